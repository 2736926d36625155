using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NnGen.Kernels;

namespace NnGen.Optimizers;

/// <summary>
/// Adam, exactly as Keras computes it:
/// <c>m = b1 m + (1-b1) g; v = b2 v + (1-b2) g²; p -= lr·sqrt(1-b2^t)/(1-b1^t) · m / (sqrt(v) + eps)</c>.
/// One fused, vectorised pass over the parameters.
/// </summary>
public sealed class Adam : IOptimizer
{
    private float[]? _m, _v;

    /// <summary>Creates Adam with the Keras defaults unless told otherwise.</summary>
    public Adam(float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-7f)
    {
        LearningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
    }

    /// <inheritdoc/>
    public float LearningRate { get; set; }
    /// <summary>First-moment decay.</summary>
    public float Beta1 { get; }
    /// <summary>Second-moment decay.</summary>
    public float Beta2 { get; }
    /// <summary>Added to sqrt(v).</summary>
    public float Epsilon { get; }
    /// <inheritdoc/>
    public long Iterations { get; private set; }

    /// <inheritdoc/>
    public void Reset()
    {
        Iterations = 0;
        _m = _v = null;
    }

    /// <inheritdoc/>
    public void Update(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        OptimizerChecks.SameLength(parameters, gradients);
        float[] m = OptimizerChecks.State(ref _m, parameters.Length);
        float[] v = OptimizerChecks.State(ref _v, parameters.Length);
        long t = ++Iterations;
        float alpha = (float)(LearningRate * Math.Sqrt(1 - Math.Pow(Beta2, t)) / (1 - Math.Pow(Beta1, t)));
        Step(parameters, gradients, m, v, alpha, Beta1, Beta2, Epsilon);
    }

    /// <summary>The fused update with the bias correction folded into <paramref name="alpha"/>.</summary>
    internal static void Step(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, float alpha, float b1, float b2, float eps)
    {
        int n = p.Length, i = 0;
        ref float rp = ref MemoryMarshal.GetReference(p);
        ref float rg = ref MemoryMarshal.GetReference(g);
        ref float rm = ref MemoryMarshal.GetReference(m);
        ref float rv = ref MemoryMarshal.GetReference(v);
        if (Simd.IsEnabled)
        {
            var vb1 = Vector256.Create(b1); var vc1 = Vector256.Create(1 - b1);
            var vb2 = Vector256.Create(b2); var vc2 = Vector256.Create(1 - b2);
            var va = Vector256.Create(alpha); var ve = Vector256.Create(eps);
            for (; i <= n - 8; i += 8)
            {
                nuint o = (nuint)i;
                var gi = Vector256.LoadUnsafe(ref rg, o);
                var mi = Simd.MulAdd(vb1, Vector256.LoadUnsafe(ref rm, o), vc1 * gi);
                var vi = Simd.MulAdd(vb2, Vector256.LoadUnsafe(ref rv, o), vc2 * gi * gi);
                mi.StoreUnsafe(ref rm, o);
                vi.StoreUnsafe(ref rv, o);
                var step = va * mi / (Vector256.Sqrt(vi) + ve);
                (Vector256.LoadUnsafe(ref rp, o) - step).StoreUnsafe(ref rp, o);
            }
        }
        for (; i < n; i++)
        {
            float gi = Unsafe.Add(ref rg, i);
            float mi = Unsafe.Add(ref rm, i) = b1 * Unsafe.Add(ref rm, i) + (1 - b1) * gi;
            float vi = Unsafe.Add(ref rv, i) = b2 * Unsafe.Add(ref rv, i) + (1 - b2) * gi * gi;
            Unsafe.Add(ref rp, i) -= alpha * mi / (MathF.Sqrt(vi) + eps);
        }
    }
}
