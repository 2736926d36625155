using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NnGen.Optimizers;

/// <summary>
/// The clipping applied to each gradient as an optimizer reads it: <c>clamp(g, -Limit, Limit) · Scale</c>.
/// No clipping is an infinite limit and a scale of 1, which leave every gradient bit-for-bit unchanged.
/// </summary>
internal readonly struct GradientClip
{
    public static GradientClip None => new(float.PositiveInfinity, 1f);

    private readonly Vector256<float> _low, _high, _scale;
    private readonly Vector512<float> _low512, _high512, _scale512;
    private readonly float _limit, _scaleScalar;

    public GradientClip(float limit, float scale)
    {
        _limit = limit;
        _scaleScalar = scale;
        _low = Vector256.Create(-limit);
        _high = Vector256.Create(limit);
        _scale = Vector256.Create(scale);
        _low512 = Vector512.Create(-limit);
        _high512 = Vector512.Create(limit);
        _scale512 = Vector512.Create(scale);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Apply(Vector512<float> g) => Vector512.Clamp(g, _low512, _high512) * _scale512;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Apply(Vector256<float> g) => Vector256.Clamp(g, _low, _high) * _scale;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Apply(float g) => Math.Clamp(g, -_limit, _limit) * _scaleScalar;
}

/// <summary>Scalar <c>a * b + c</c> rounded like <c>Simd.MulAdd</c>, so that the scalar tail of an update matches its vector lanes bit for bit.</summary>
internal static class Scalar
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MulAdd(float a, float b, float c) => Fma.IsSupported ? MathF.FusedMultiplyAdd(a, b, c) : a * b + c;
}
