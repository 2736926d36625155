using System;
using System.ComponentModel;
using System.Numerics.Tensors;

namespace NnGen.Kernels;

/// <summary>
/// Batch normalisation, dropout and weight regularisation over (rows, n) blocks, called by generated code with constant
/// sizes. These passes are linear in the data (no matrix products), vectorised along the features with TensorPrimitives.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LayerKernels
{
    /// <summary>
    /// Training-mode batch normalisation (Keras semantics): per feature, the batch mean and (biased) variance normalise x,
    /// <c>y = gamma·xhat + beta</c>, and the moving statistics move towards the batch's by <c>1 - momentum</c>.
    /// Keeps xhat and 1/sqrt(var + eps) for the backward pass.
    /// </summary>
    public static void BatchNormTraining(Span<float> y, Span<float> xhat, Span<float> invStd, ReadOnlySpan<float> x,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> movingMean, Span<float> movingVariance,
        int n, float momentum, float epsilon)
    {
        int rows = x.Length / n;
        Span<float> mean = invStd; // the mean lives in invStd until the variance is known
        mean.Clear();
        for (int r = 0; r < rows; r++) TensorPrimitives.Add(mean, x.Slice(r * n, n), mean);
        TensorPrimitives.Multiply(mean, 1f / rows, mean);
        TensorPrimitives.Multiply(movingMean, momentum, movingMean);
        TensorPrimitives.MultiplyAdd(mean, 1 - momentum, movingMean, movingMean);
        Span<float> variance = y[..n]; // scratch: the first output row is written last
        variance.Clear();
        for (int r = 0; r < rows; r++)
        {
            Span<float> d = xhat.Slice(r * n, n);
            TensorPrimitives.Subtract(x.Slice(r * n, n), mean, d);
            TensorPrimitives.MultiplyAdd(d, d, variance, variance);
        }
        TensorPrimitives.Multiply(variance, 1f / rows, variance);
        TensorPrimitives.Multiply(movingVariance, momentum, movingVariance);
        TensorPrimitives.MultiplyAdd(variance, 1 - momentum, movingVariance, movingVariance);
        TensorPrimitives.Add(variance, epsilon, invStd);
        TensorPrimitives.ReciprocalSqrt(invStd, invStd);
        for (int r = rows - 1; r >= 0; r--)
        {
            Span<float> h = xhat.Slice(r * n, n);
            TensorPrimitives.Multiply(h, invStd, h);
            TensorPrimitives.FusedMultiplyAdd(h, gamma, beta, y.Slice(r * n, n));
        }
    }

    /// <summary>Inference-mode batch normalisation with the moving statistics: <c>y = gamma·(x - mean)/sqrt(var + eps) + beta</c>.</summary>
    public static void BatchNormInference(Span<float> y, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        ReadOnlySpan<float> movingMean, ReadOnlySpan<float> movingVariance, int n, float epsilon, Span<float> scale)
    {
        // scale = gamma / sqrt(var + eps); y = (x - mean)·scale + beta
        TensorPrimitives.Add(movingVariance, epsilon, scale);
        TensorPrimitives.ReciprocalSqrt(scale, scale);
        TensorPrimitives.Multiply(scale, gamma, scale);
        int rows = x.Length / n;
        for (int r = 0; r < rows; r++)
        {
            Span<float> yr = y.Slice(r * n, n);
            TensorPrimitives.Subtract(x.Slice(r * n, n), movingMean, yr);
            TensorPrimitives.FusedMultiplyAdd(yr, scale, beta, yr);
        }
    }

    /// <summary>
    /// Backward of training-mode batch normalisation: <c>dbeta = Σ dy</c>, <c>dgamma = Σ dy·xhat</c>,
    /// <c>dx = gamma·invStd·(dy - dbeta/B - xhat·dgamma/B)</c>.
    /// </summary>
    public static void BatchNormBackward(Span<float> dx, Span<float> dgamma, Span<float> dbeta, ReadOnlySpan<float> dy,
        ReadOnlySpan<float> xhat, ReadOnlySpan<float> gamma, ReadOnlySpan<float> invStd, int n, Span<float> scale)
    {
        int rows = dy.Length / n;
        dgamma.Clear();
        dbeta.Clear();
        for (int r = 0; r < rows; r++)
        {
            TensorPrimitives.Add(dbeta, dy.Slice(r * n, n), dbeta);
            TensorPrimitives.MultiplyAdd(dy.Slice(r * n, n), xhat.Slice(r * n, n), dgamma, dgamma);
        }
        TensorPrimitives.Multiply(gamma, invStd, scale);
        float inv = 1f / rows;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> dyr = dy.Slice(r * n, n), hr = xhat.Slice(r * n, n);
            Span<float> dxr = dx.Slice(r * n, n);
            for (int j = 0; j < n; j++)
                dxr[j] = scale[j] * (dyr[j] - (dbeta[j] + hr[j] * dgamma[j]) * inv);
        }
    }

    /// <summary>
    /// Backward of inference-mode batch normalisation, as a frozen layer runs in training: the moving statistics are
    /// constants, so <c>dx = dy·scale</c> with the <c>scale = gamma / sqrt(movingVar + eps)</c> that
    /// <see cref="BatchNormInference"/> left; gamma and beta get no gradient.
    /// </summary>
    public static void BatchNormFrozenBackward(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> scale, int n)
    {
        int rows = dy.Length / n;
        for (int r = 0; r < rows; r++) TensorPrimitives.Multiply(dy.Slice(r * n, n), scale, dx.Slice(r * n, n));
    }

    /// <summary>Inverted dropout in training: each element kept with probability 1 - rate and scaled by 1/(1 - rate); the mask (0 or the scale) is kept for backward.</summary>
    public static void DropoutTraining(Span<float> y, Span<float> mask, ReadOnlySpan<float> x, float rate, ref Rng rng)
    {
        float scale = 1f / (1f - rate);
        uint threshold = (uint)(rate * 16777216f); // compare 24 random bits, as Rng.NextFloat does
        for (int i = 0; i < x.Length; i++)
        {
            float m = (rng.NextUInt() >> 8) >= threshold ? scale : 0f;
            mask[i] = m;
            y[i] = x[i] * m;
        }
    }

    /// <summary>dx = dy ⊙ mask (dropout's backward pass).</summary>
    public static void Multiply(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> mask) =>
        TensorPrimitives.Multiply(dy, mask, dx);

    /// <summary>Keras's L1L2 regulariser: <c>l1·Σ|w| + l2·Σw²</c>.</summary>
    public static float RegularizationPenalty(ReadOnlySpan<float> kernel, float l1, float l2) =>
        (l1 != 0 ? l1 * TensorPrimitives.SumOfMagnitudes(kernel) : 0) + (l2 != 0 ? l2 * TensorPrimitives.SumOfSquares(kernel) : 0);

    /// <summary>Adds the regulariser's gradient, <c>l1·sign(w) + 2·l2·w</c>, to the kernel's gradient.</summary>
    public static void AddRegularizationGradient(Span<float> gradient, ReadOnlySpan<float> kernel, float l1, float l2)
    {
        if (l2 != 0) TensorPrimitives.MultiplyAdd(kernel, 2 * l2, gradient, gradient);
        if (l1 != 0)
            for (int i = 0; i < kernel.Length; i++) gradient[i] += l1 * MathF.Sign(kernel[i]);
    }
}
