using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NnGen.Kernels;

/// <summary>
/// Chooses the kernel path once per process. Generated code branches on <see cref="IsEnabled"/>;
/// since it is a <c>static readonly</c> bool the JIT folds the branch away in optimised code.
/// </summary>
/// <remarks>
/// The portable path is forced with the environment variable <c>NNGEN_DISABLE_SIMD=1</c> or the
/// AppContext switch <c>NnGen.DisableSimd</c> (runtimeconfig or <c>AppContext.SetSwitch</c> before first use).
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Simd
{
    /// <summary>True when the Vector256 + FMA kernels run; false for the portable scalar path.</summary>
    public static readonly bool IsEnabled =
        Vector256.IsHardwareAccelerated && !ForcedOff();

    /// <summary>
    /// True when the Dense kernels whose widths are multiples of 32 use 512-bit vectors (AVX-512).
    /// <c>NNGEN_DISABLE_AVX512=1</c> keeps them on 256-bit vectors.
    /// </summary>
    public static readonly bool IsEnabled512 =
        IsEnabled && Vector512.IsHardwareAccelerated && Avx512F.IsSupported &&
        Environment.GetEnvironmentVariable("NNGEN_DISABLE_AVX512") is not ("1" or "true");

    /// <summary>Which path runs, for logs and benchmarks.</summary>
    public static string Description => !IsEnabled ? "portable scalar"
        : IsEnabled512 ? "Vector512 (AVX-512) and Vector256 + FMA"
        : Fma.IsSupported ? "Vector256 + FMA" : "Vector256 (no FMA)";

    private static bool ForcedOff() =>
        (AppContext.TryGetSwitch("NnGen.DisableSimd", out bool off) && off) ||
        Environment.GetEnvironmentVariable("NNGEN_DISABLE_SIMD") is "1" or "true";

    /// <summary><c>a * b + c</c> on 512-bit vectors, fused.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MulAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) =>
        Avx512F.IsSupported ? Avx512F.FusedMultiplyAdd(a, b, c) : a * b + c;

    /// <summary><c>a * b + c</c>, fused where the CPU has FMA.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MulAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;

    /// <summary>The lane sums of four vectors: [Σa0, Σa1, Σa2, Σa3].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> HorizontalSums(Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3)
    {
        if (Avx.IsSupported)
        {
            Vector256<float> h = Avx.HorizontalAdd(Avx.HorizontalAdd(a0, a1), Avx.HorizontalAdd(a2, a3));
            return h.GetLower() + h.GetUpper();
        }
        return Vector128.Create(HorizontalSum(a0), HorizontalSum(a1), HorizontalSum(a2), HorizontalSum(a3));
    }

    /// <summary>The lane sums of eight vectors: [Σa0, Σa1, Σa2, Σa3, Σb0, Σb1, Σb2, Σb3].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> HorizontalSums(Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3,
        Vector256<float> b0, Vector256<float> b1, Vector256<float> b2, Vector256<float> b3)
    {
        if (Avx.IsSupported)
        {
            Vector256<float> ha = Avx.HorizontalAdd(Avx.HorizontalAdd(a0, a1), Avx.HorizontalAdd(a2, a3));
            Vector256<float> hb = Avx.HorizontalAdd(Avx.HorizontalAdd(b0, b1), Avx.HorizontalAdd(b2, b3));
            // ha = [a lower-half sums | a upper-half sums], hb likewise: add the halves, a's in the low lane, b's in the high.
            return Avx.Permute2x128(ha, hb, 0x20) + Avx.Permute2x128(ha, hb, 0x31);
        }
        return Vector256.Create(HorizontalSums(a0, a1, a2, a3), HorizontalSums(b0, b1, b2, b3));
    }

    /// <summary>Sum of the 8 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HorizontalSum(Vector256<float> v)
    {
        Vector128<float> s = v.GetLower() + v.GetUpper();
        s += Vector128.Shuffle(s, Vector128.Create(2, 3, 0, 1));
        s += Vector128.Shuffle(s, Vector128.Create(1, 0, 3, 2));
        return s.ToScalar();
    }
}
