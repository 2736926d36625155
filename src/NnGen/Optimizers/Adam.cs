using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NnGen.Kernels;

namespace NnGen.Optimizers;

/// <summary>
/// Adam, exactly as Keras computes it:
/// <c>m = b1 m + (1-b1) g; v = b2 v + (1-b2) g²; p -= lr·sqrt(1-b2^t)/(1-b1^t) · m / (sqrt(v) + eps)</c>.
/// One fused, vectorised pass over the parameters. Supports clipping (<see cref="OptimizerBase"/>).
/// </summary>
public class Adam : OptimizerBase
{
    private readonly float _weightDecay;
    private float[]? _m, _v;

    /// <summary>Creates Adam with the Keras defaults unless told otherwise.</summary>
    /// <param name="learningRate">Step size (Keras default 1e-3).</param>
    /// <param name="beta1">First-moment decay.</param>
    /// <param name="beta2">Second-moment decay.</param>
    /// <param name="epsilon">Added to sqrt(v).</param>
    /// <param name="clipValue">Clamp each gradient to [-clipValue, clipValue] (Keras <c>clipvalue</c>).</param>
    /// <param name="globalClipNorm">Scale the gradients down to this global L2 norm when larger (Keras <c>global_clipnorm</c>).</param>
    public Adam(float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-7f,
        float? clipValue = null, float? globalClipNorm = null)
        : this(learningRate, 0f, beta1, beta2, epsilon, clipValue, globalClipNorm)
    {
    }

    private protected Adam(float learningRate, float weightDecay, float beta1, float beta2, float epsilon, float? clipValue, float? globalClipNorm)
        : base(learningRate, clipValue, globalClipNorm)
    {
        _weightDecay = OptimizerChecks.NonNegative(weightDecay, nameof(weightDecay));
        Beta1 = OptimizerChecks.Fraction(beta1, nameof(beta1));
        Beta2 = OptimizerChecks.Fraction(beta2, nameof(beta2));
        Epsilon = epsilon;
    }

    /// <summary>First-moment decay.</summary>
    public float Beta1 { get; }
    /// <summary>Second-moment decay.</summary>
    public float Beta2 { get; }
    /// <summary>Added to sqrt(v).</summary>
    public float Epsilon { get; }

    /// <summary>Decoupled weight decay per unit learning rate (0 for Adam; see <see cref="AdamW"/>).</summary>
    private protected float DecoupledWeightDecay => _weightDecay;

    private protected override void ResetState() => _m = _v = null;

    private protected override void AllocateState(int length)
    {
        OptimizerChecks.State(ref _m, length);
        OptimizerChecks.State(ref _v, length);
    }

    private protected override void Apply(Span<float> parameters, ReadOnlySpan<float> gradients, int offset, GradientClip clip, float learningRate, long step)
    {
        Span<float> m = _m.AsSpan(offset, parameters.Length), v = _v.AsSpan(offset, parameters.Length);
        float alpha = (float)(learningRate * Math.Sqrt(1 - Math.Pow(Beta2, step)) / (1 - Math.Pow(Beta1, step)));
        Step(parameters, gradients, m, v, clip, alpha, Beta1, Beta2, Epsilon, learningRate * _weightDecay);
    }

    /// <summary>
    /// The fused update with the bias correction folded into <paramref name="alpha"/>: first the decoupled weight decay
    /// <c>p -= decay·p</c> (Keras applies it before the step), then the Adam step with the clipped gradient.
    /// </summary>
    private static void Step(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, GradientClip clip,
        float alpha, float b1, float b2, float eps, float decay)
    {
        int n = p.Length, i = 0;
        ref float rp = ref MemoryMarshal.GetReference(p);
        ref float rg = ref MemoryMarshal.GetReference(g);
        ref float rm = ref MemoryMarshal.GetReference(m);
        ref float rv = ref MemoryMarshal.GetReference(v);
        if (Simd.IsEnabled512)
        {
            // The same operations as the 256-bit loop below, sixteen lanes at a time: identical results.
            var vb1 = Vector512.Create(b1); var vc1 = Vector512.Create(1 - b1);
            var vb2 = Vector512.Create(b2); var vc2 = Vector512.Create(1 - b2);
            var va = Vector512.Create(alpha); var ve = Vector512.Create(eps);
            var vd = Vector512.Create(-decay);
            for (; i <= n - 16; i += 16)
            {
                nuint o = (nuint)i;
                var gi = clip.Apply(Vector512.LoadUnsafe(ref rg, o));
                var mi = Simd.MulAdd(vb1, Vector512.LoadUnsafe(ref rm, o), vc1 * gi);
                var vi = Simd.MulAdd(vb2, Vector512.LoadUnsafe(ref rv, o), vc2 * gi * gi);
                mi.StoreUnsafe(ref rm, o);
                vi.StoreUnsafe(ref rv, o);
                var pi = Vector512.LoadUnsafe(ref rp, o);
                pi = Simd.MulAdd(pi, vd, pi);
                (pi - va * mi / (Vector512.Sqrt(vi) + ve)).StoreUnsafe(ref rp, o);
            }
        }
        if (Simd.IsEnabled)
        {
            var vb1 = Vector256.Create(b1); var vc1 = Vector256.Create(1 - b1);
            var vb2 = Vector256.Create(b2); var vc2 = Vector256.Create(1 - b2);
            var va = Vector256.Create(alpha); var ve = Vector256.Create(eps);
            var vd = Vector256.Create(-decay);
            for (; i <= n - 8; i += 8)
            {
                nuint o = (nuint)i;
                var gi = clip.Apply(Vector256.LoadUnsafe(ref rg, o));
                var mi = Simd.MulAdd(vb1, Vector256.LoadUnsafe(ref rm, o), vc1 * gi);
                var vi = Simd.MulAdd(vb2, Vector256.LoadUnsafe(ref rv, o), vc2 * gi * gi);
                mi.StoreUnsafe(ref rm, o);
                vi.StoreUnsafe(ref rv, o);
                var pi = Vector256.LoadUnsafe(ref rp, o);
                pi = Simd.MulAdd(pi, vd, pi);
                (pi - va * mi / (Vector256.Sqrt(vi) + ve)).StoreUnsafe(ref rp, o);
            }
        }
        for (; i < n; i++)
        {
            float gi = clip.Apply(Unsafe.Add(ref rg, i));
            float mi = Unsafe.Add(ref rm, i) = Scalar.MulAdd(b1, Unsafe.Add(ref rm, i), (1 - b1) * gi);
            float vi = Unsafe.Add(ref rv, i) = Scalar.MulAdd(b2, Unsafe.Add(ref rv, i), (1 - b2) * gi * gi);
            ref float pi = ref Unsafe.Add(ref rp, i);
            pi = Scalar.MulAdd(pi, -decay, pi);
            pi -= alpha * mi / (MathF.Sqrt(vi) + eps);
        }
    }
}
