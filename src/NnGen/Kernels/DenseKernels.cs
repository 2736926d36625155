using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NnGen.Kernels;

/// <summary>
/// The Dense layer's three matrix products, register-blocked SIMD kernels called by generated networks: the forward product
/// <c>y = act(x·w + b)</c>, the weight gradient <c>dw = xᵀ·dz</c> and the input gradient <c>dx = dz·wᵀ</c>.
/// </summary>
/// <remarks>
/// <para>Arguments follow llm.c: outputs, inputs, then sizes. Matrices are row-major: x (rows, inputs), w (inputs, outputs),
/// b (outputs), y and dz (rows, outputs), dx (rows, inputs), dw (inputs, outputs).</para>
/// <para>They live here rather than in the generated code so that they always run optimised (this assembly ships in Release)
/// whatever the configuration of the user's build, and so that the generated source stays small.</para>
/// <para>Each kernel computes a range of output columns (inputs for <see cref="InputGradient"/>) as
/// <see cref="Workers.Partition"/> hands them out: every number is computed by the same instructions in the same order
/// whatever the range, so results do not depend on the thread count. Paths: 512-bit tiles for widths that are multiples of
/// 32 (<see cref="Simd.IsEnabled512"/>), 256-bit tiles with scalar tails (<see cref="Simd.IsEnabled"/>), a portable scalar loop.</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class DenseKernels
{
    // Gemm and Dot are compiled on their own (never inlined into the entry points), so the JIT's inlining budget is theirs
    // and every tile inlines into them. Tiles are also marked fully optimised: one left as a call would otherwise start
    // unoptimised (tier 0), many times slower, until tiering caught up.
    private const MethodImplOptions Root = MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization;
    private const MethodImplOptions Hot = MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization;

    /// <summary>
    /// y (rows, outputs) = x (rows, inputs) · w (inputs, outputs) + b (outputs), then max(0, ·) when relu
    /// (NaN stays NaN), over the columns [j0, j1).
    /// </summary>
    /// <remarks>j0 is a multiple of 32; j1 is a multiple of 32 or the output count.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(ref float y, ref float x, ref float w, ref float b, int rows, int inputs, int outputs, int j0, int j1, bool relu)
    {
        CheckSizes(rows, inputs, outputs, j0, j1, outputs, 32, nameof(j0), nameof(j1));
        if (relu) Gemm<ForwardRelu>(ref y, ref x, ref w, ref b, rows, inputs, outputs, j0, j1);
        else Gemm<ForwardLinear>(ref y, ref x, ref w, ref b, rows, inputs, outputs, j0, j1);
    }

    /// <summary>dw (inputs, outputs) = x (rows, inputs)ᵀ · dz (rows, outputs), over the columns [j0, j1).</summary>
    /// <remarks>j0 is a multiple of 32; j1 is a multiple of 32 or the output count.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WeightGradient(ref float dw, ref float dz, ref float x, int rows, int inputs, int outputs, int j0, int j1)
    {
        CheckSizes(rows, inputs, outputs, j0, j1, outputs, 32, nameof(j0), nameof(j1));
        Gemm<Weights>(ref dw, ref x, ref dz, ref Unsafe.NullRef<float>(), rows, inputs, outputs, j0, j1);
    }

    /// <summary>dx (rows, inputs) = dz (rows, outputs) · w (inputs, outputs)ᵀ, over the inputs [k0, k1).</summary>
    /// <remarks>k0 is a multiple of 4; k1 is a multiple of 4 or the input count.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void InputGradient(ref float dx, ref float dz, ref float w, int rows, int inputs, int outputs, int k0, int k1)
    {
        CheckSizes(rows, inputs, outputs, k0, k1, inputs, 4, nameof(k0), nameof(k1));
        Dot(ref dx, ref dz, ref w, rows, inputs, outputs, k0, k1);
    }

    /// <summary>Rejects sizes and ranges the kernels cannot compute: a range starts on a block boundary and ends on one or at its end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckSizes(int rows, int inputs, int outputs, int from, int to, int end, int align, string fromName, string toName)
    {
        if (rows < 0 || inputs < 1 || outputs < 1 || from < 0 || from > to || to > end || from % align != 0 || (to % align != 0 && to != end))
            ThrowBadSizes(rows, inputs, outputs, from, to, end, align, fromName, toName);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBadSizes(int rows, int inputs, int outputs, int from, int to, int end, int align, string fromName, string toName)
    {
        if (rows < 0) throw new ArgumentOutOfRangeException(nameof(rows), rows, "The row count must be 0 or more.");
        if (inputs < 1 || outputs < 1)
            throw new ArgumentOutOfRangeException(inputs < 1 ? nameof(inputs) : nameof(outputs),
                $"A Dense layer has at least 1 input and 1 output; found {inputs} inputs and {outputs} outputs.");
        throw new ArgumentOutOfRangeException(fromName,
            $"The range [{fromName}, {toName}) = [{from}, {to}) must lie in [0, {end}], start on a multiple of {align} and end on one or at {end}.");
    }

    /// <summary>
    /// C (M, N) = A (M, R) · B (R, N) [+ bias] [relu] over the columns [j0, j1): the forward product (A = x, M = rows,
    /// R = K) or the weight gradient (A = xᵀ, M = K, R = rows). A's element (m, r) is at m·aStrideM + r·aStrideR; B and C
    /// are row-major with row length N.
    /// </summary>
    [MethodImpl(Root)]
    private static void Gemm<TProduct>(ref float c, ref float a, ref float b, ref float bias, int rows, int K, int N, int j0, int j1)
        where TProduct : struct
    {
        // The product's kind is a type argument, so the JIT compiles one copy per kind with these known: the bias and
        // ReLU branches fold, and the unit stride is a constant.
        bool hasBias = typeof(TProduct) != typeof(Weights), relu = typeof(TProduct) == typeof(ForwardRelu);
        bool weights = typeof(TProduct) == typeof(Weights);
        int M = weights ? K : rows, R = weights ? rows : K, aStrideM = weights ? 1 : K, aStrideR = weights ? K : 1;
        int m4 = M - M % 4;
        if (N % 32 == 0 && Simd.IsEnabled512)
        {
            // 4 x 32 tiles of 8 Vector512 accumulators, single rows in 1 x 32 tiles with two accumulator sets.
            for (int j = j0; j < j1; j += 32)
                for (int m = 0; m < m4; m += 4)
                    Tile512x4(ref Unsafe.Add(ref c, m * N), ref Unsafe.Add(ref a, m * aStrideM), ref b, ref bias, hasBias, R, N, aStrideM, aStrideR, relu, j);
            for (int m = m4; m < M; m++)
            {
                ref float cm = ref Unsafe.Add(ref c, m * N);
                ref float am = ref Unsafe.Add(ref a, m * aStrideM);
                int j = j0;
                for (; j + 128 <= j1; j += 128)
                    Tile512x1x4(ref cm, ref am, ref b, ref bias, hasBias, R, N, aStrideR, relu, j);
                for (; j < j1; j += 32)
                    Tile512x1(ref cm, ref am, ref b, ref bias, hasBias, R, N, aStrideR, relu, j);
            }
            return;
        }
        if (N >= 8 && Simd.IsEnabled)
        {
            int n8 = N - N % 8, n16 = N - N % 16, n32 = N - N % 32;
            // Column strips outermost, so a strip of B stays in cache while every 4-row tile of A passes over it.
            int end16 = Math.Min(j1, n16);
            for (int j = j0; j < end16; j += 16)
                for (int m = 0; m < m4; m += 4)
                    Tile256x4x2(ref Unsafe.Add(ref c, m * N), ref Unsafe.Add(ref a, m * aStrideM), ref b, ref bias, hasBias, R, N, aStrideM, aStrideR, relu, j);
            if (j1 == N)
            {
                if (n8 > n16)
                    for (int m = 0; m < m4; m += 4)
                        Tile256x4x1(ref Unsafe.Add(ref c, m * N), ref Unsafe.Add(ref a, m * aStrideM), ref b, ref bias, hasBias, R, N, aStrideM, aStrideR, relu, n16);
                if (N > n8)
                    for (int m = 0; m < m4; m += 4)
                        ScalarColumns4(ref Unsafe.Add(ref c, m * N), ref Unsafe.Add(ref a, m * aStrideM), ref b, ref bias, hasBias, R, N, aStrideM, aStrideR, relu, n8, N);
            }
            // Remaining rows one at a time: 1 x 32 tiles with two accumulator sets (8 independent FMA chains).
            for (int m = m4; m < M; m++)
            {
                ref float cm = ref Unsafe.Add(ref c, m * N);
                ref float am = ref Unsafe.Add(ref a, m * aStrideM);
                int end32 = Math.Min(j1, n32);
                for (int j = j0; j < end32; j += 32)
                    Tile256x1x4(ref cm, ref am, ref b, ref bias, hasBias, R, N, aStrideR, relu, j);
                if (j1 == N)
                {
                    for (int j = n32; j < n8; j += 8)
                        Tile256x1x1(ref cm, ref am, ref b, ref bias, hasBias, R, N, aStrideR, relu, j);
                    if (N > n8) ScalarColumns1(ref cm, ref am, ref b, ref bias, hasBias, R, N, aStrideR, relu, n8, N);
                }
            }
            return;
        }
        // Portable path.
        for (int m = 0; m < M; m++)
            ScalarColumns1(ref Unsafe.Add(ref c, m * N), ref Unsafe.Add(ref a, m * aStrideM), ref b, ref bias, hasBias, R, N, aStrideR, relu, j0, j1);
    }

    private struct ForwardLinear;
    private struct ForwardRelu;
    private struct Weights;

    /// <summary>A 4 x 32 tile at column j of 512-bit accumulators; cm and am point at the tile's first row.</summary>
    [MethodImpl(Hot)]
    private static void Tile512x4(ref float cm, ref float am, ref float b, ref float bias, bool hasBias, int R, int N, int aStrideM, int aStrideR, bool relu, int j)
    {
        // Offsets as nint, computed once: int arithmetic inside the loop is redone (and sign-extended) every step.
        nint m1 = aStrideM, m2 = 2 * (nint)aStrideM, m3 = 3 * (nint)aStrideM, n = N, sr = aStrideR;
        Vector512<float> c00 = hasBias ? Vector512.LoadUnsafe(ref bias, (nuint)j) : Vector512<float>.Zero;
        Vector512<float> c01 = hasBias ? Vector512.LoadUnsafe(ref bias, (nuint)(j + 16)) : Vector512<float>.Zero;
        Vector512<float> c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01;
        ref float br = ref Unsafe.Add(ref b, j);
        ref float ar = ref am;
        for (int r = 0; r < R; r++)
        {
            Vector512<float> b0 = Vector512.LoadUnsafe(ref br), b1 = Vector512.LoadUnsafe(ref br, 16);
            Vector512<float> a0 = Vector512.Create(ar);
            c00 = Simd.MulAdd(a0, b0, c00); c01 = Simd.MulAdd(a0, b1, c01);
            Vector512<float> a1 = Vector512.Create(Unsafe.Add(ref ar, m1));
            c10 = Simd.MulAdd(a1, b0, c10); c11 = Simd.MulAdd(a1, b1, c11);
            Vector512<float> a2 = Vector512.Create(Unsafe.Add(ref ar, m2));
            c20 = Simd.MulAdd(a2, b0, c20); c21 = Simd.MulAdd(a2, b1, c21);
            Vector512<float> a3 = Vector512.Create(Unsafe.Add(ref ar, m3));
            c30 = Simd.MulAdd(a3, b0, c30); c31 = Simd.MulAdd(a3, b1, c31);
            br = ref Unsafe.Add(ref br, n);
            ar = ref Unsafe.Add(ref ar, sr);
        }
        if (relu)
        {
            // max(0, c) with c second: maxps returns its second operand when either is NaN, so NaN propagates as in Keras.
            Vector512<float> zero = Vector512<float>.Zero;
            c00 = Vector512.MaxNative(zero, c00); c01 = Vector512.MaxNative(zero, c01);
            c10 = Vector512.MaxNative(zero, c10); c11 = Vector512.MaxNative(zero, c11);
            c20 = Vector512.MaxNative(zero, c20); c21 = Vector512.MaxNative(zero, c21);
            c30 = Vector512.MaxNative(zero, c30); c31 = Vector512.MaxNative(zero, c31);
        }
        Vector512.StoreUnsafe(c00, ref cm, (nuint)j); Vector512.StoreUnsafe(c01, ref cm, (nuint)(j + 16));
        Vector512.StoreUnsafe(c10, ref cm, (nuint)(j + N)); Vector512.StoreUnsafe(c11, ref cm, (nuint)(j + N + 16));
        Vector512.StoreUnsafe(c20, ref cm, (nuint)(j + 2 * N)); Vector512.StoreUnsafe(c21, ref cm, (nuint)(j + 2 * N + 16));
        Vector512.StoreUnsafe(c30, ref cm, (nuint)(j + 3 * N)); Vector512.StoreUnsafe(c31, ref cm, (nuint)(j + 3 * N + 16));
    }

    /// <summary>A 1 x 32 tile at column j of 512-bit accumulators, alternating two accumulator sets along the reduction.</summary>
    [MethodImpl(Hot)]
    private static void Tile512x1(ref float cm, ref float am, ref float b, ref float bias, bool hasBias, int R, int N, int aStrideR, bool relu, int j)
    {
        // Offsets as nint, computed once: int arithmetic inside the loop is redone (and sign-extended) every step.
        nint n = N, sr = aStrideR, n2 = 2 * (nint)N, sr2 = 2 * (nint)aStrideR;
        Vector512<float> c00 = hasBias ? Vector512.LoadUnsafe(ref bias, (nuint)j) : Vector512<float>.Zero;
        Vector512<float> c01 = hasBias ? Vector512.LoadUnsafe(ref bias, (nuint)(j + 16)) : Vector512<float>.Zero;
        Vector512<float> d0 = Vector512<float>.Zero, d1 = Vector512<float>.Zero;
        ref float br = ref Unsafe.Add(ref b, j);
        ref float ar = ref am;
        int r = 0;
        for (; r + 2 <= R; r += 2)
        {
            Vector512<float> b0 = Vector512.LoadUnsafe(ref br), b1 = Vector512.LoadUnsafe(ref br, 16);
            Vector512<float> a0 = Vector512.Create(ar);
            c00 = Simd.MulAdd(a0, b0, c00); c01 = Simd.MulAdd(a0, b1, c01);
            b0 = Vector512.LoadUnsafe(ref br, (nuint)n); b1 = Vector512.LoadUnsafe(ref br, (nuint)(n + 16));
            a0 = Vector512.Create(Unsafe.Add(ref ar, sr));
            d0 = Simd.MulAdd(a0, b0, d0); d1 = Simd.MulAdd(a0, b1, d1);
            br = ref Unsafe.Add(ref br, n2);
            ar = ref Unsafe.Add(ref ar, sr2);
        }
        for (; r < R; r++)
        {
            Vector512<float> b0 = Vector512.LoadUnsafe(ref br), b1 = Vector512.LoadUnsafe(ref br, 16);
            Vector512<float> a0 = Vector512.Create(ar);
            c00 = Simd.MulAdd(a0, b0, c00); c01 = Simd.MulAdd(a0, b1, c01);
            br = ref Unsafe.Add(ref br, n);
            ar = ref Unsafe.Add(ref ar, sr);
        }
        c00 += d0; c01 += d1;
        if (relu)
        {
            Vector512<float> zero = Vector512<float>.Zero;
            c00 = Vector512.MaxNative(zero, c00); c01 = Vector512.MaxNative(zero, c01);
        }
        Vector512.StoreUnsafe(c00, ref cm, (nuint)j); Vector512.StoreUnsafe(c01, ref cm, (nuint)(j + 16));
    }

    /// <summary>
    /// Four <see cref="Tile512x1"/> side by side (128 columns, sixteen accumulators), by the same operations in the same
    /// order, so a column's result does not depend on which of the two computed it. A single row (Predict of one sample)
    /// is bound by how fast w streams from the cache: this reads 512 contiguous bytes of each row of w per step, where
    /// the 32-column tile reads 128 bytes and jumps a whole row ahead, which the hardware prefetcher follows less well
    /// (the seed model's single Predict on one thread: 17.3 us before, 12.2-13.7 us with it; reading its 940 KB of weights
    /// once takes 10.3 us on this machine's core, the `peak` command's figure).
    /// </summary>
    [MethodImpl(Hot)]
    private static void Tile512x1x4(ref float cm, ref float am, ref float b, ref float bias, bool hasBias, int R, int N, int aStrideR, bool relu, int j)
    {
        nint n = N, sr = aStrideR, n2 = 2 * (nint)N, sr2 = 2 * (nint)aStrideR;
        Vector512<float> c0 = Vector512<float>.Zero, c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        if (hasBias)
        {
            c0 = Vector512.LoadUnsafe(ref bias, (nuint)j); c1 = Vector512.LoadUnsafe(ref bias, (nuint)(j + 16));
            c2 = Vector512.LoadUnsafe(ref bias, (nuint)(j + 32)); c3 = Vector512.LoadUnsafe(ref bias, (nuint)(j + 48));
            c4 = Vector512.LoadUnsafe(ref bias, (nuint)(j + 64)); c5 = Vector512.LoadUnsafe(ref bias, (nuint)(j + 80));
            c6 = Vector512.LoadUnsafe(ref bias, (nuint)(j + 96)); c7 = Vector512.LoadUnsafe(ref bias, (nuint)(j + 112));
        }
        Vector512<float> d0 = Vector512<float>.Zero, d1 = d0, d2 = d0, d3 = d0, d4 = d0, d5 = d0, d6 = d0, d7 = d0;
        ref float br = ref Unsafe.Add(ref b, j);
        ref float ar = ref am;
        int r = 0;
        for (; r + 2 <= R; r += 2)
        {
            Vector512<float> a0 = Vector512.Create(ar);
            c0 = Simd.MulAdd(a0, Vector512.LoadUnsafe(ref br), c0); c1 = Simd.MulAdd(a0, Vector512.LoadUnsafe(ref br, 16), c1);
            c2 = Simd.MulAdd(a0, Vector512.LoadUnsafe(ref br, 32), c2); c3 = Simd.MulAdd(a0, Vector512.LoadUnsafe(ref br, 48), c3);
            c4 = Simd.MulAdd(a0, Vector512.LoadUnsafe(ref br, 64), c4); c5 = Simd.MulAdd(a0, Vector512.LoadUnsafe(ref br, 80), c5);
            c6 = Simd.MulAdd(a0, Vector512.LoadUnsafe(ref br, 96), c6); c7 = Simd.MulAdd(a0, Vector512.LoadUnsafe(ref br, 112), c7);
            ref float br1 = ref Unsafe.Add(ref br, n);
            Vector512<float> a1 = Vector512.Create(Unsafe.Add(ref ar, sr));
            d0 = Simd.MulAdd(a1, Vector512.LoadUnsafe(ref br1), d0); d1 = Simd.MulAdd(a1, Vector512.LoadUnsafe(ref br1, 16), d1);
            d2 = Simd.MulAdd(a1, Vector512.LoadUnsafe(ref br1, 32), d2); d3 = Simd.MulAdd(a1, Vector512.LoadUnsafe(ref br1, 48), d3);
            d4 = Simd.MulAdd(a1, Vector512.LoadUnsafe(ref br1, 64), d4); d5 = Simd.MulAdd(a1, Vector512.LoadUnsafe(ref br1, 80), d5);
            d6 = Simd.MulAdd(a1, Vector512.LoadUnsafe(ref br1, 96), d6); d7 = Simd.MulAdd(a1, Vector512.LoadUnsafe(ref br1, 112), d7);
            br = ref Unsafe.Add(ref br, n2);
            ar = ref Unsafe.Add(ref ar, sr2);
        }
        if (r < R)
        {
            Vector512<float> a0 = Vector512.Create(ar);
            c0 = Simd.MulAdd(a0, Vector512.LoadUnsafe(ref br), c0); c1 = Simd.MulAdd(a0, Vector512.LoadUnsafe(ref br, 16), c1);
            c2 = Simd.MulAdd(a0, Vector512.LoadUnsafe(ref br, 32), c2); c3 = Simd.MulAdd(a0, Vector512.LoadUnsafe(ref br, 48), c3);
            c4 = Simd.MulAdd(a0, Vector512.LoadUnsafe(ref br, 64), c4); c5 = Simd.MulAdd(a0, Vector512.LoadUnsafe(ref br, 80), c5);
            c6 = Simd.MulAdd(a0, Vector512.LoadUnsafe(ref br, 96), c6); c7 = Simd.MulAdd(a0, Vector512.LoadUnsafe(ref br, 112), c7);
        }
        c0 += d0; c1 += d1; c2 += d2; c3 += d3; c4 += d4; c5 += d5; c6 += d6; c7 += d7;
        if (relu)
        {
            Vector512<float> zero = Vector512<float>.Zero;
            c0 = Vector512.MaxNative(zero, c0); c1 = Vector512.MaxNative(zero, c1); c2 = Vector512.MaxNative(zero, c2); c3 = Vector512.MaxNative(zero, c3);
            c4 = Vector512.MaxNative(zero, c4); c5 = Vector512.MaxNative(zero, c5); c6 = Vector512.MaxNative(zero, c6); c7 = Vector512.MaxNative(zero, c7);
        }
        ref float o = ref Unsafe.Add(ref cm, j);
        c0.StoreUnsafe(ref o); c1.StoreUnsafe(ref o, 16); c2.StoreUnsafe(ref o, 32); c3.StoreUnsafe(ref o, 48);
        c4.StoreUnsafe(ref o, 64); c5.StoreUnsafe(ref o, 80); c6.StoreUnsafe(ref o, 96); c7.StoreUnsafe(ref o, 112);
    }

    /// <summary>A 4 x 16 tile at column j of 256-bit accumulators.</summary>
    [MethodImpl(Hot)]
    private static void Tile256x4x2(ref float cm, ref float am, ref float b, ref float bias, bool hasBias, int R, int N, int aStrideM, int aStrideR, bool relu, int j)
    {
        // Offsets as nint, computed once: int arithmetic inside the loop is redone (and sign-extended) every step.
        nint m1 = aStrideM, m2 = 2 * (nint)aStrideM, m3 = 3 * (nint)aStrideM, n = N, sr = aStrideR;
        Vector256<float> c00 = hasBias ? Vector256.LoadUnsafe(ref bias, (nuint)j) : Vector256<float>.Zero;
        Vector256<float> c01 = hasBias ? Vector256.LoadUnsafe(ref bias, (nuint)(j + 8)) : Vector256<float>.Zero;
        Vector256<float> c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01;
        ref float br = ref Unsafe.Add(ref b, j);
        ref float ar = ref am;
        for (int r = 0; r < R; r++)
        {
            Vector256<float> b0 = Vector256.LoadUnsafe(ref br), b1 = Vector256.LoadUnsafe(ref br, 8);
            Vector256<float> a0 = Vector256.Create(ar);
            c00 = Simd.MulAdd(a0, b0, c00); c01 = Simd.MulAdd(a0, b1, c01);
            Vector256<float> a1 = Vector256.Create(Unsafe.Add(ref ar, m1));
            c10 = Simd.MulAdd(a1, b0, c10); c11 = Simd.MulAdd(a1, b1, c11);
            Vector256<float> a2 = Vector256.Create(Unsafe.Add(ref ar, m2));
            c20 = Simd.MulAdd(a2, b0, c20); c21 = Simd.MulAdd(a2, b1, c21);
            Vector256<float> a3 = Vector256.Create(Unsafe.Add(ref ar, m3));
            c30 = Simd.MulAdd(a3, b0, c30); c31 = Simd.MulAdd(a3, b1, c31);
            br = ref Unsafe.Add(ref br, n);
            ar = ref Unsafe.Add(ref ar, sr);
        }
        if (relu)
        {
            Vector256<float> zero = Vector256<float>.Zero;
            c00 = Vector256.MaxNative(zero, c00); c01 = Vector256.MaxNative(zero, c01);
            c10 = Vector256.MaxNative(zero, c10); c11 = Vector256.MaxNative(zero, c11);
            c20 = Vector256.MaxNative(zero, c20); c21 = Vector256.MaxNative(zero, c21);
            c30 = Vector256.MaxNative(zero, c30); c31 = Vector256.MaxNative(zero, c31);
        }
        Vector256.StoreUnsafe(c00, ref cm, (nuint)j); Vector256.StoreUnsafe(c01, ref cm, (nuint)(j + 8));
        Vector256.StoreUnsafe(c10, ref cm, (nuint)(j + N)); Vector256.StoreUnsafe(c11, ref cm, (nuint)(j + N + 8));
        Vector256.StoreUnsafe(c20, ref cm, (nuint)(j + 2 * N)); Vector256.StoreUnsafe(c21, ref cm, (nuint)(j + 2 * N + 8));
        Vector256.StoreUnsafe(c30, ref cm, (nuint)(j + 3 * N)); Vector256.StoreUnsafe(c31, ref cm, (nuint)(j + 3 * N + 8));
    }

    /// <summary>A 4 x 8 tile at column j of 256-bit accumulators.</summary>
    [MethodImpl(Hot)]
    private static void Tile256x4x1(ref float cm, ref float am, ref float b, ref float bias, bool hasBias, int R, int N, int aStrideM, int aStrideR, bool relu, int j)
    {
        // Offsets as nint, computed once: int arithmetic inside the loop is redone (and sign-extended) every step.
        nint m1 = aStrideM, m2 = 2 * (nint)aStrideM, m3 = 3 * (nint)aStrideM, n = N, sr = aStrideR;
        Vector256<float> c00 = hasBias ? Vector256.LoadUnsafe(ref bias, (nuint)j) : Vector256<float>.Zero;
        Vector256<float> c10 = c00, c20 = c00, c30 = c00;
        ref float br = ref Unsafe.Add(ref b, j);
        ref float ar = ref am;
        for (int r = 0; r < R; r++)
        {
            Vector256<float> b0 = Vector256.LoadUnsafe(ref br);
            c00 = Simd.MulAdd(Vector256.Create(ar), b0, c00);
            c10 = Simd.MulAdd(Vector256.Create(Unsafe.Add(ref ar, m1)), b0, c10);
            c20 = Simd.MulAdd(Vector256.Create(Unsafe.Add(ref ar, m2)), b0, c20);
            c30 = Simd.MulAdd(Vector256.Create(Unsafe.Add(ref ar, m3)), b0, c30);
            br = ref Unsafe.Add(ref br, n);
            ar = ref Unsafe.Add(ref ar, sr);
        }
        if (relu)
        {
            Vector256<float> zero = Vector256<float>.Zero;
            c00 = Vector256.MaxNative(zero, c00); c10 = Vector256.MaxNative(zero, c10);
            c20 = Vector256.MaxNative(zero, c20); c30 = Vector256.MaxNative(zero, c30);
        }
        Vector256.StoreUnsafe(c00, ref cm, (nuint)j); Vector256.StoreUnsafe(c10, ref cm, (nuint)(j + N));
        Vector256.StoreUnsafe(c20, ref cm, (nuint)(j + 2 * N)); Vector256.StoreUnsafe(c30, ref cm, (nuint)(j + 3 * N));
    }

    /// <summary>A 1 x 32 tile at column j of 256-bit accumulators, alternating two accumulator sets along the reduction.</summary>
    [MethodImpl(Hot)]
    private static void Tile256x1x4(ref float cm, ref float am, ref float b, ref float bias, bool hasBias, int R, int N, int aStrideR, bool relu, int j)
    {
        // Offsets as nint, computed once: int arithmetic inside the loop is redone (and sign-extended) every step.
        nint n = N, sr = aStrideR, n2 = 2 * (nint)N, sr2 = 2 * (nint)aStrideR;
        Vector256<float> c00 = hasBias ? Vector256.LoadUnsafe(ref bias, (nuint)j) : Vector256<float>.Zero;
        Vector256<float> c01 = hasBias ? Vector256.LoadUnsafe(ref bias, (nuint)(j + 8)) : Vector256<float>.Zero;
        Vector256<float> c02 = hasBias ? Vector256.LoadUnsafe(ref bias, (nuint)(j + 16)) : Vector256<float>.Zero;
        Vector256<float> c03 = hasBias ? Vector256.LoadUnsafe(ref bias, (nuint)(j + 24)) : Vector256<float>.Zero;
        Vector256<float> d0 = Vector256<float>.Zero, d1 = d0, d2 = d0, d3 = d0;
        ref float br = ref Unsafe.Add(ref b, j);
        ref float ar = ref am;
        int r = 0;
        for (; r + 2 <= R; r += 2)
        {
            Vector256<float> b0 = Vector256.LoadUnsafe(ref br), b1 = Vector256.LoadUnsafe(ref br, 8);
            Vector256<float> b2 = Vector256.LoadUnsafe(ref br, 16), b3 = Vector256.LoadUnsafe(ref br, 24);
            Vector256<float> a0 = Vector256.Create(ar);
            c00 = Simd.MulAdd(a0, b0, c00); c01 = Simd.MulAdd(a0, b1, c01); c02 = Simd.MulAdd(a0, b2, c02); c03 = Simd.MulAdd(a0, b3, c03);
            b0 = Vector256.LoadUnsafe(ref br, (nuint)n); b1 = Vector256.LoadUnsafe(ref br, (nuint)(n + 8));
            b2 = Vector256.LoadUnsafe(ref br, (nuint)(n + 16)); b3 = Vector256.LoadUnsafe(ref br, (nuint)(n + 24));
            a0 = Vector256.Create(Unsafe.Add(ref ar, sr));
            d0 = Simd.MulAdd(a0, b0, d0); d1 = Simd.MulAdd(a0, b1, d1); d2 = Simd.MulAdd(a0, b2, d2); d3 = Simd.MulAdd(a0, b3, d3);
            br = ref Unsafe.Add(ref br, n2);
            ar = ref Unsafe.Add(ref ar, sr2);
        }
        for (; r < R; r++)
        {
            Vector256<float> b0 = Vector256.LoadUnsafe(ref br), b1 = Vector256.LoadUnsafe(ref br, 8);
            Vector256<float> b2 = Vector256.LoadUnsafe(ref br, 16), b3 = Vector256.LoadUnsafe(ref br, 24);
            Vector256<float> a0 = Vector256.Create(ar);
            c00 = Simd.MulAdd(a0, b0, c00); c01 = Simd.MulAdd(a0, b1, c01); c02 = Simd.MulAdd(a0, b2, c02); c03 = Simd.MulAdd(a0, b3, c03);
            br = ref Unsafe.Add(ref br, n);
            ar = ref Unsafe.Add(ref ar, sr);
        }
        c00 += d0; c01 += d1; c02 += d2; c03 += d3;
        if (relu)
        {
            Vector256<float> zero = Vector256<float>.Zero;
            c00 = Vector256.MaxNative(zero, c00); c01 = Vector256.MaxNative(zero, c01);
            c02 = Vector256.MaxNative(zero, c02); c03 = Vector256.MaxNative(zero, c03);
        }
        Vector256.StoreUnsafe(c00, ref cm, (nuint)j); Vector256.StoreUnsafe(c01, ref cm, (nuint)(j + 8));
        Vector256.StoreUnsafe(c02, ref cm, (nuint)(j + 16)); Vector256.StoreUnsafe(c03, ref cm, (nuint)(j + 24));
    }

    /// <summary>A 1 x 8 tile at column j of one 256-bit accumulator.</summary>
    [MethodImpl(Hot)]
    private static void Tile256x1x1(ref float cm, ref float am, ref float b, ref float bias, bool hasBias, int R, int N, int aStrideR, bool relu, int j)
    {
        // Offsets as nint, computed once: int arithmetic inside the loop is redone (and sign-extended) every step.
        nint n = N, sr = aStrideR;
        Vector256<float> c00 = hasBias ? Vector256.LoadUnsafe(ref bias, (nuint)j) : Vector256<float>.Zero;
        ref float br = ref Unsafe.Add(ref b, j);
        ref float ar = ref am;
        for (int r = 0; r < R; r++)
        {
            c00 = Simd.MulAdd(Vector256.Create(ar), Vector256.LoadUnsafe(ref br), c00);
            br = ref Unsafe.Add(ref br, n);
            ar = ref Unsafe.Add(ref ar, sr);
        }
        if (relu) c00 = Vector256.MaxNative(Vector256<float>.Zero, c00);
        Vector256.StoreUnsafe(c00, ref cm, (nuint)j);
    }

    /// <summary>Scalar columns [from, to) of four consecutive rows starting at cm/am.</summary>
    [MethodImpl(Hot)]
    private static void ScalarColumns4(ref float cm, ref float am, ref float b, ref float bias, bool hasBias, int R, int N, int aStrideM, int aStrideR, bool relu, int from, int to)
    {
        // Offsets as nint, computed once: int arithmetic inside the loop is redone (and sign-extended) every step.
        nint m1 = aStrideM, m2 = 2 * (nint)aStrideM, m3 = 3 * (nint)aStrideM, n = N, sr = aStrideR;
        for (int j = from; j < to; j++)
        {
            float s0 = hasBias ? Unsafe.Add(ref bias, j) : 0f;
            float s1 = s0, s2 = s0, s3 = s0;
            ref float br = ref Unsafe.Add(ref b, j);
            ref float ar = ref am;
            for (int r = 0; r < R; r++)
            {
                float bv = br;
                s0 += ar * bv;
                s1 += Unsafe.Add(ref ar, m1) * bv;
                s2 += Unsafe.Add(ref ar, m2) * bv;
                s3 += Unsafe.Add(ref ar, m3) * bv;
                br = ref Unsafe.Add(ref br, n);
                ar = ref Unsafe.Add(ref ar, sr);
            }
            Unsafe.Add(ref cm, j) = Relu(s0, relu);
            Unsafe.Add(ref cm, N + j) = Relu(s1, relu);
            Unsafe.Add(ref cm, 2 * N + j) = Relu(s2, relu);
            Unsafe.Add(ref cm, 3 * N + j) = Relu(s3, relu);
        }
    }

    /// <summary>Scalar columns [from, to) of one row at cm/am.</summary>
    [MethodImpl(Hot)]
    private static void ScalarColumns1(ref float cm, ref float am, ref float b, ref float bias, bool hasBias, int R, int N, int aStrideR, bool relu, int from, int to)
    {
        // Offsets as nint, computed once: int arithmetic inside the loop is redone (and sign-extended) every step.
        nint n = N, sr = aStrideR;
        for (int j = from; j < to; j++)
        {
            float s0 = hasBias ? Unsafe.Add(ref bias, j) : 0f;
            ref float br = ref Unsafe.Add(ref b, j);
            ref float ar = ref am;
            for (int r = 0; r < R; r++)
            {
                s0 += ar * br;
                br = ref Unsafe.Add(ref br, n);
                ar = ref Unsafe.Add(ref ar, sr);
            }
            Unsafe.Add(ref cm, j) = Relu(s0, relu);
        }
    }

    /// <summary>max(0, s) when <paramref name="relu"/>, NaN propagating.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Relu(float s, bool relu) => relu && s < 0f ? 0f : s;

    /// <summary>
    /// dx (rows, K) = dz (rows, N) · w (K, N)ᵀ over the inputs [k0, k1), as blocked dot products along N: 2 rows x 4 inputs
    /// (8 accumulators) per tile, reduced to 8 sums with one horizontal-add tree.
    /// </summary>
    [MethodImpl(Root)]
    private static void Dot(ref float dx, ref float dz, ref float w, int rows, int K, int N, int k0, int k1)
    {
        if (N >= 8 && Simd.IsEnabled)
        {
            int k4 = K - K % 4, end4 = Math.Min(k1, k4);
            int r = 0;
            for (; r + 2 <= rows; r += 2)
            {
                ref float dr = ref Unsafe.Add(ref dz, r * N);
                ref float xr = ref Unsafe.Add(ref dx, r * K);
                for (int k = k0; k < end4; k += 4) DotTile2x4(ref xr, ref dr, ref w, K, N, k);
                if (k1 == K) for (int k = k4; k < K; k++) DotTile2x1(ref xr, ref dr, ref w, K, N, k);
            }
            for (; r < rows; r++)
            {
                ref float dr = ref Unsafe.Add(ref dz, r * N);
                ref float xr = ref Unsafe.Add(ref dx, r * K);
                for (int k = k0; k < end4; k += 4) DotTile1x4(ref xr, ref dr, ref w, N, k);
                if (k1 == K) for (int k = k4; k < K; k++) DotTile1x1(ref xr, ref dr, ref w, N, k);
            }
            return;
        }
        // Portable path.
        for (int r = 0; r < rows; r++)
        {
            ref float dr = ref Unsafe.Add(ref dz, r * N);
            ref float xr = ref Unsafe.Add(ref dx, r * K);
            for (int k = k0; k < k1; k++)
            {
                ref float wk = ref Unsafe.Add(ref w, k * N);
                float s = 0f;
                for (int j = 0; j < N; j++) s += Unsafe.Add(ref dr, j) * Unsafe.Add(ref wk, j);
                Unsafe.Add(ref xr, k) = s;
            }
        }
    }

    /// <summary>Inputs k..k+3 of rows r and r+1 (xr and dr point at row r).</summary>
    [MethodImpl(Hot)]
    private static void DotTile2x4(ref float xr, ref float dr, ref float w, int K, int N, int k)
    {
        // One reference per row, so the loop only steps j.
        ref float wk = ref Unsafe.Add(ref w, k * N);
        ref float wk1 = ref Unsafe.Add(ref wk, N), wk2 = ref Unsafe.Add(ref wk, 2 * N), wk3 = ref Unsafe.Add(ref wk, 3 * N);
        ref float dr1 = ref Unsafe.Add(ref dr, N);
        Vector256<float> s00 = Vector256<float>.Zero, s01 = s00, s02 = s00, s03 = s00, s10 = s00, s11 = s00, s12 = s00, s13 = s00;
        int n8 = N - N % 8, j = 0;
        for (; j < n8; j += 8)
        {
            Vector256<float> d0 = Vector256.LoadUnsafe(ref dr, (nuint)j), d1 = Vector256.LoadUnsafe(ref dr1, (nuint)j);
            Vector256<float> w0 = Vector256.LoadUnsafe(ref wk, (nuint)j);
            s00 = Simd.MulAdd(d0, w0, s00); s10 = Simd.MulAdd(d1, w0, s10);
            Vector256<float> w1 = Vector256.LoadUnsafe(ref wk1, (nuint)j);
            s01 = Simd.MulAdd(d0, w1, s01); s11 = Simd.MulAdd(d1, w1, s11);
            Vector256<float> w2 = Vector256.LoadUnsafe(ref wk2, (nuint)j);
            s02 = Simd.MulAdd(d0, w2, s02); s12 = Simd.MulAdd(d1, w2, s12);
            Vector256<float> w3 = Vector256.LoadUnsafe(ref wk3, (nuint)j);
            s03 = Simd.MulAdd(d0, w3, s03); s13 = Simd.MulAdd(d1, w3, s13);
        }
        Vector256<float> t = Simd.HorizontalSums(s00, s01, s02, s03, s10, s11, s12, s13);
        Vector128.StoreUnsafe(t.GetLower(), ref xr, (nuint)k);
        Vector128.StoreUnsafe(t.GetUpper(), ref xr, (nuint)(K + k));
        for (; j < N; j++)
        {
            float d0 = Unsafe.Add(ref dr, j), d1 = Unsafe.Add(ref dr, N + j);
            float w0 = Unsafe.Add(ref wk, j), w1 = Unsafe.Add(ref wk, N + j), w2 = Unsafe.Add(ref wk, 2 * N + j), w3 = Unsafe.Add(ref wk, 3 * N + j);
            Unsafe.Add(ref xr, k) += d0 * w0; Unsafe.Add(ref xr, k + 1) += d0 * w1;
            Unsafe.Add(ref xr, k + 2) += d0 * w2; Unsafe.Add(ref xr, k + 3) += d0 * w3;
            Unsafe.Add(ref xr, K + k) += d1 * w0; Unsafe.Add(ref xr, K + k + 1) += d1 * w1;
            Unsafe.Add(ref xr, K + k + 2) += d1 * w2; Unsafe.Add(ref xr, K + k + 3) += d1 * w3;
        }
    }

    /// <summary>Input k of rows r and r+1.</summary>
    [MethodImpl(Hot)]
    private static void DotTile2x1(ref float xr, ref float dr, ref float w, int K, int N, int k)
    {
        ref float wk = ref Unsafe.Add(ref w, k * N);
        ref float dr1 = ref Unsafe.Add(ref dr, N);
        Vector256<float> s00 = Vector256<float>.Zero, s10 = s00;
        int n8 = N - N % 8, j = 0;
        for (; j < n8; j += 8)
        {
            Vector256<float> w0 = Vector256.LoadUnsafe(ref wk, (nuint)j);
            s00 = Simd.MulAdd(Vector256.LoadUnsafe(ref dr, (nuint)j), w0, s00);
            s10 = Simd.MulAdd(Vector256.LoadUnsafe(ref dr1, (nuint)j), w0, s10);
        }
        Unsafe.Add(ref xr, k) = Simd.HorizontalSum(s00);
        Unsafe.Add(ref xr, K + k) = Simd.HorizontalSum(s10);
        for (; j < N; j++)
        {
            float w0 = Unsafe.Add(ref wk, j);
            Unsafe.Add(ref xr, k) += Unsafe.Add(ref dr, j) * w0;
            Unsafe.Add(ref xr, K + k) += Unsafe.Add(ref dr, N + j) * w0;
        }
    }

    /// <summary>Inputs k..k+3 of one row.</summary>
    [MethodImpl(Hot)]
    private static void DotTile1x4(ref float xr, ref float dr, ref float w, int N, int k)
    {
        ref float wk = ref Unsafe.Add(ref w, k * N);
        ref float wk1 = ref Unsafe.Add(ref wk, N), wk2 = ref Unsafe.Add(ref wk, 2 * N), wk3 = ref Unsafe.Add(ref wk, 3 * N);
        Vector256<float> s00 = Vector256<float>.Zero, s01 = s00, s02 = s00, s03 = s00;
        int n8 = N - N % 8, j = 0;
        for (; j < n8; j += 8)
        {
            Vector256<float> d0 = Vector256.LoadUnsafe(ref dr, (nuint)j);
            s00 = Simd.MulAdd(d0, Vector256.LoadUnsafe(ref wk, (nuint)j), s00);
            s01 = Simd.MulAdd(d0, Vector256.LoadUnsafe(ref wk1, (nuint)j), s01);
            s02 = Simd.MulAdd(d0, Vector256.LoadUnsafe(ref wk2, (nuint)j), s02);
            s03 = Simd.MulAdd(d0, Vector256.LoadUnsafe(ref wk3, (nuint)j), s03);
        }
        Vector128.StoreUnsafe(Simd.HorizontalSums(s00, s01, s02, s03), ref xr, (nuint)k);
        for (; j < N; j++)
        {
            float d0 = Unsafe.Add(ref dr, j);
            Unsafe.Add(ref xr, k) += d0 * Unsafe.Add(ref wk, j);
            Unsafe.Add(ref xr, k + 1) += d0 * Unsafe.Add(ref wk, N + j);
            Unsafe.Add(ref xr, k + 2) += d0 * Unsafe.Add(ref wk, 2 * N + j);
            Unsafe.Add(ref xr, k + 3) += d0 * Unsafe.Add(ref wk, 3 * N + j);
        }
    }

    /// <summary>Input k of one row.</summary>
    [MethodImpl(Hot)]
    private static void DotTile1x1(ref float xr, ref float dr, ref float w, int N, int k)
    {
        ref float wk = ref Unsafe.Add(ref w, k * N);
        Vector256<float> s00 = Vector256<float>.Zero;
        int n8 = N - N % 8, j = 0;
        for (; j < n8; j += 8) s00 = Simd.MulAdd(Vector256.LoadUnsafe(ref dr, (nuint)j), Vector256.LoadUnsafe(ref wk, (nuint)j), s00);
        Unsafe.Add(ref xr, k) = Simd.HorizontalSum(s00);
        for (; j < N; j++) Unsafe.Add(ref xr, k) += Unsafe.Add(ref dr, j) * Unsafe.Add(ref wk, j);
    }
}
