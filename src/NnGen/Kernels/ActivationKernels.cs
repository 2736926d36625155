using System;
using System.ComponentModel;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NnGen.Kernels;

/// <summary>
/// Element-wise activation passes called by generated code for the activations that are not fused
/// into the matrix-product tiles (ReLU and linear are fused there). <c>y</c> is the layer's output,
/// <c>dy</c> the gradient of the loss with respect to it, turned into the gradient with respect to
/// the pre-activation in place.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ActivationKernels
{
    /// <summary>Slope of <see cref="Activation.LeakyRelu"/> for negative inputs (Keras's <c>leaky_relu</c> default).</summary>
    public const float LeakySlope = 0.2f;

    /// <summary>Applies <paramref name="activation"/> in place to a (rows, n) block. ReLU and linear are normally fused into Dense.</summary>
    public static void Forward(Activation activation, Span<float> y, int n)
    {
        switch (activation)
        {
            case Activation.Linear: break;
            case Activation.Relu: TensorPrimitives.Max(y, 0f, y); break;
            case Activation.Sigmoid: Sigmoid(y); break;
            case Activation.Tanh: Tanh(y); break;
            case Activation.Softmax: Softmax(y, n); break;
            case Activation.LeakyRelu:
                for (int i = 0; i < y.Length; i++) if (y[i] < 0) y[i] *= LeakySlope;
                break;
            case Activation.Elu:
                for (int i = 0; i < y.Length; i++) if (y[i] < 0) y[i] = MathF.Exp(y[i]) - 1;
                break;
            default: throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }

    /// <summary>Turns dy (w.r.t. the activation's output y) into the gradient w.r.t. its input, in place.</summary>
    public static void Backward(Activation activation, Span<float> dy, ReadOnlySpan<float> y, int n)
    {
        switch (activation)
        {
            case Activation.Linear: break;
            case Activation.Relu: ReluBackward(dy, y); break;
            case Activation.Sigmoid: SigmoidBackward(dy, y); break;
            case Activation.Tanh: TanhBackward(dy, y); break;
            case Activation.Softmax: SoftmaxBackward(dy, y, n); break;
            case Activation.LeakyRelu:
                for (int i = 0; i < dy.Length; i++) if (y[i] <= 0) dy[i] *= LeakySlope;
                break;
            case Activation.Elu:
                for (int i = 0; i < dy.Length; i++) if (y[i] <= 0) dy[i] *= y[i] + 1;
                break;
            default: throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }

    /// <summary>y = 1 / (1 + e^-y), in place.</summary>
    public static void Sigmoid(Span<float> y) => TensorPrimitives.Sigmoid(y, y);

    /// <summary>y = tanh(y), in place.</summary>
    public static void Tanh(Span<float> y) => TensorPrimitives.Tanh(y, y);

    /// <summary>Row-wise softmax of a (rows, n) block, in place, max-subtracted for stability.</summary>
    public static void Softmax(Span<float> y, int n)
    {
        for (int r = 0; r + n <= y.Length; r += n)
        {
            Span<float> row = y.Slice(r, n);
            float max = TensorPrimitives.Max(row);
            TensorPrimitives.Subtract(row, max, row);
            TensorPrimitives.Exp(row, row);
            TensorPrimitives.Divide(row, TensorPrimitives.Sum(row), row);
        }
    }

    /// <summary>
    /// dy = 0 where y &lt;= 0 (a NaN y keeps its dy), eight elements at a time; branch-free, as the signs of a layer's
    /// outputs are close to random and a branch per element mispredicts half the time.
    /// </summary>
    /// <exception cref="ArgumentException">y is shorter than dy.</exception>
    public static void ReluBackward(Span<float> dy, ReadOnlySpan<float> y)
    {
        if (y.Length < dy.Length) throw new ArgumentException($"ReluBackward: y must hold at least dy's {dy.Length} elements, got {y.Length}.", nameof(y));
        ref float d = ref MemoryMarshal.GetReference(dy);
        ref float v = ref MemoryMarshal.GetReference(y);
        int i = 0;
        for (; i + 8 <= dy.Length; i += 8)
        {
            Vector256<float> keep = ~Vector256.LessThanOrEqual(Vector256.LoadUnsafe(ref v, (nuint)i), Vector256<float>.Zero);
            (Vector256.LoadUnsafe(ref d, (nuint)i) & keep).StoreUnsafe(ref d, (nuint)i);
        }
        for (; i < dy.Length; i++)
            if (y[i] <= 0) dy[i] = 0;
    }

    /// <summary>dy *= y (1 - y).</summary>
    public static void SigmoidBackward(Span<float> dy, ReadOnlySpan<float> y)
    {
        for (int i = 0; i < dy.Length; i++) dy[i] *= y[i] * (1 - y[i]);
    }

    /// <summary>dy *= 1 - y².</summary>
    public static void TanhBackward(Span<float> dy, ReadOnlySpan<float> y)
    {
        for (int i = 0; i < dy.Length; i++) dy[i] *= 1 - y[i] * y[i];
    }

    /// <summary>Softmax Jacobian per row: dz = y ⊙ (dy - Σ dy⊙y).</summary>
    public static void SoftmaxBackward(Span<float> dy, ReadOnlySpan<float> y, int n)
    {
        for (int r = 0; r + n <= dy.Length; r += n)
        {
            Span<float> d = dy.Slice(r, n);
            ReadOnlySpan<float> p = y.Slice(r, n);
            float dot = TensorPrimitives.Dot(d, p);
            TensorPrimitives.Subtract(d, dot, d);
            TensorPrimitives.Multiply(d, p, d);
        }
    }

    /// <summary>db[j] = Σ_r dz[r, j] for a (rows, n) block (overwrites db).</summary>
    public static void ColumnSums(Span<float> db, ReadOnlySpan<float> dz, int n)
    {
        db.Slice(0, n).Clear();
        for (int r = 0; r + n <= dz.Length; r += n)
            TensorPrimitives.Add(db.Slice(0, n), dz.Slice(r, n), db.Slice(0, n));
    }
}
