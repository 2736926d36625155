using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NnGen.Kernels;

namespace NnGen.Optimizers;

/// <summary>
/// Stochastic gradient descent, as Keras computes it. Plain: <c>p -= lr·g</c>. With momentum:
/// <c>u = momentum·u - lr·g; p += u</c>; with Nesterov: <c>p += momentum·u - lr·g</c> (after updating u).
/// One fused, vectorised pass over the parameters. Supports clipping (<see cref="OptimizerBase"/>).
/// </summary>
public sealed class Sgd : OptimizerBase
{
    private float[]? _velocity;

    /// <summary>Creates SGD; Keras's default learning rate is 0.01.</summary>
    /// <param name="learningRate">Step size.</param>
    /// <param name="momentum">Momentum factor in [0, 1) (0 = none).</param>
    /// <param name="nesterov">Use Nesterov momentum.</param>
    /// <param name="clipValue">Clamp each gradient to [-clipValue, clipValue] (Keras <c>clipvalue</c>).</param>
    /// <param name="globalClipNorm">Scale the gradients down to this global L2 norm when larger (Keras <c>global_clipnorm</c>).</param>
    public Sgd(float learningRate = 0.01f, float momentum = 0f, bool nesterov = false, float? clipValue = null, float? globalClipNorm = null)
        : base(learningRate, clipValue, globalClipNorm)
    {
        Momentum = OptimizerChecks.Fraction(momentum, nameof(momentum));
        Nesterov = nesterov;
    }

    /// <summary>Momentum factor (0 = none).</summary>
    public float Momentum { get; }
    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    private protected override void ResetState() => _velocity = null;

    private protected override void AllocateState(int length)
    {
        if (Momentum != 0) OptimizerChecks.State(ref _velocity, length);
    }

    private protected override void Apply(Span<float> parameters, ReadOnlySpan<float> gradients, int offset, GradientClip clip, float learningRate, long step)
    {
        bool momentum = Momentum != 0;
        Span<float> u = momentum ? _velocity.AsSpan(offset, parameters.Length) : default;
        int n = parameters.Length, i = 0;
        float mu = Momentum, lr = learningRate;
        bool nesterov = Nesterov;
        ref float rp = ref MemoryMarshal.GetReference(parameters);
        ref float rg = ref MemoryMarshal.GetReference(gradients);
        ref float ru = ref MemoryMarshal.GetReference(u);
        if (Simd.IsEnabled)
        {
            var vmu = Vector256.Create(mu);
            var vlr = Vector256.Create(-lr);
            for (; i <= n - 8; i += 8)
            {
                nuint o = (nuint)i;
                var delta = vlr * clip.Apply(Vector256.LoadUnsafe(ref rg, o));   // -lr·g
                var pi = Vector256.LoadUnsafe(ref rp, o);
                if (momentum)
                {
                    var ui = Simd.MulAdd(Vector256.LoadUnsafe(ref ru, o), vmu, delta); // u = momentum·u - lr·g
                    ui.StoreUnsafe(ref ru, o);
                    delta = nesterov ? Simd.MulAdd(ui, vmu, delta) : ui;
                }
                (pi + delta).StoreUnsafe(ref rp, o);
            }
        }
        for (; i < n; i++)
        {
            float delta = -lr * clip.Apply(Unsafe.Add(ref rg, i));
            if (momentum)
            {
                float ui = Unsafe.Add(ref ru, i) = Scalar.MulAdd(Unsafe.Add(ref ru, i), mu, delta);
                delta = nesterov ? Scalar.MulAdd(ui, mu, delta) : ui;
            }
            Unsafe.Add(ref rp, i) += delta;
        }
    }
}
