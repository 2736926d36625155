using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NnGen.Kernels;

namespace NnGen.Optimizers;

/// <summary>
/// RMSprop, exactly as Keras's <c>keras.optimizers.RMSprop</c> computes it:
/// <code>
/// v = rho·v + (1-rho)·g²
/// centered:  a = rho·a + (1-rho)·g;  d = v - a² + eps      otherwise: d = v + eps
/// inc = lr·g / sqrt(d)
/// momentum:  u = momentum·u + inc;   p -= u                otherwise: p -= inc
/// </code>
/// Note that, as in Keras, epsilon is added inside the square root. One fused, vectorised pass over the parameters.
/// Supports clipping (<see cref="OptimizerBase"/>).
/// </summary>
public sealed class RmsProp : OptimizerBase
{
    private float[]? _v, _average, _velocity;

    /// <summary>Creates RMSprop with the Keras defaults unless told otherwise.</summary>
    /// <param name="learningRate">Step size (Keras default 1e-3).</param>
    /// <param name="rho">Decay of the moving average of squared gradients, in [0, 1).</param>
    /// <param name="momentum">Momentum factor in [0, 1) (0 = none).</param>
    /// <param name="epsilon">Added to the mean square inside the square root.</param>
    /// <param name="centered">Divide by the estimated variance (mean square minus squared mean) instead of the mean square.</param>
    /// <param name="clipValue">Clamp each gradient to [-clipValue, clipValue] (Keras <c>clipvalue</c>).</param>
    /// <param name="globalClipNorm">Scale the gradients down to this global L2 norm when larger (Keras <c>global_clipnorm</c>).</param>
    public RmsProp(float learningRate = 1e-3f, float rho = 0.9f, float momentum = 0f, float epsilon = 1e-7f, bool centered = false,
        float? clipValue = null, float? globalClipNorm = null)
        : base(learningRate, clipValue, globalClipNorm)
    {
        Rho = OptimizerChecks.Fraction(rho, nameof(rho));
        Momentum = OptimizerChecks.Fraction(momentum, nameof(momentum));
        Epsilon = epsilon;
        Centered = centered;
    }

    /// <summary>Decay of the moving average of squared gradients.</summary>
    public float Rho { get; }
    /// <summary>Momentum factor (0 = none).</summary>
    public float Momentum { get; }
    /// <summary>Added to the mean square inside the square root.</summary>
    public float Epsilon { get; }
    /// <summary>Whether the moving average of the gradients is subtracted (centered RMSprop).</summary>
    public bool Centered { get; }

    private protected override void ResetState() => _v = _average = _velocity = null;

    private protected override void AllocateState(int length)
    {
        OptimizerChecks.State(ref _v, length);
        if (Centered) OptimizerChecks.State(ref _average, length);
        if (Momentum != 0) OptimizerChecks.State(ref _velocity, length);
    }

    private protected override void Apply(Span<float> parameters, ReadOnlySpan<float> gradients, int offset, GradientClip clip, float learningRate, long step)
    {
        int n = parameters.Length, i = 0;
        bool centered = Centered, momentum = Momentum != 0;
        Span<float> v = _v.AsSpan(offset, n);
        Span<float> a = centered ? _average.AsSpan(offset, n) : default;
        Span<float> u = momentum ? _velocity.AsSpan(offset, n) : default;
        float rho = Rho, c = 1 - Rho, mu = Momentum, eps = Epsilon, lr = learningRate;
        ref float rp = ref MemoryMarshal.GetReference(parameters);
        ref float rg = ref MemoryMarshal.GetReference(gradients);
        ref float rv = ref MemoryMarshal.GetReference(v);
        ref float ra = ref MemoryMarshal.GetReference(a);
        ref float ru = ref MemoryMarshal.GetReference(u);
        if (Simd.IsEnabled)
        {
            var vrho = Vector256.Create(rho); var vc = Vector256.Create(c);
            var vmu = Vector256.Create(mu); var ve = Vector256.Create(eps); var vlr = Vector256.Create(lr);
            for (; i <= n - 8; i += 8)
            {
                nuint o = (nuint)i;
                var gi = clip.Apply(Vector256.LoadUnsafe(ref rg, o));
                var vi = Simd.MulAdd(vrho, Vector256.LoadUnsafe(ref rv, o), vc * gi * gi);
                vi.StoreUnsafe(ref rv, o);
                Vector256<float> d;
                if (centered)
                {
                    var ai = Simd.MulAdd(vrho, Vector256.LoadUnsafe(ref ra, o), vc * gi);
                    ai.StoreUnsafe(ref ra, o);
                    d = vi - ai * ai + ve;
                }
                else d = vi + ve;
                var inc = vlr * gi / Vector256.Sqrt(d);
                if (momentum)
                {
                    inc = Simd.MulAdd(vmu, Vector256.LoadUnsafe(ref ru, o), inc);
                    inc.StoreUnsafe(ref ru, o);
                }
                (Vector256.LoadUnsafe(ref rp, o) - inc).StoreUnsafe(ref rp, o);
            }
        }
        for (; i < n; i++)
        {
            float gi = clip.Apply(Unsafe.Add(ref rg, i));
            float vi = Unsafe.Add(ref rv, i) = Scalar.MulAdd(rho, Unsafe.Add(ref rv, i), c * gi * gi);
            float d;
            if (centered)
            {
                float ai = Unsafe.Add(ref ra, i) = Scalar.MulAdd(rho, Unsafe.Add(ref ra, i), c * gi);
                d = vi - ai * ai + eps;
            }
            else d = vi + eps;
            float inc = lr * gi / MathF.Sqrt(d);
            if (momentum) inc = Unsafe.Add(ref ru, i) = Scalar.MulAdd(mu, Unsafe.Add(ref ru, i), inc);
            Unsafe.Add(ref rp, i) -= inc;
        }
    }
}
