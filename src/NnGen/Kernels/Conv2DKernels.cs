using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NnGen.Kernels;

/// <summary>
/// Conv2D over NHWC samples with the kernel in (KH, KW, C, F) layout (Keras's), called by generated code. The kernel is a
/// (KH·KW·C, F) row-major matrix and each output pixel's patch is KH runs of KW·C contiguous input floats, so the passes
/// are implicit matrix products register-blocked along the filters (Vector256 FMA, Vector512 where enabled).
/// </summary>
/// <remarks>
/// Every output element is one fixed chain of fused multiply-adds (or, on the portable path, of multiplies and adds)
/// that depends only on the geometry, so the result is bit-identical however the range arguments split the work across
/// threads. Padding is implicit: terms outside the input are skipped in <see cref="Forward"/> and
/// <see cref="InputGradient"/>, and count as zeros in <see cref="WeightGradient"/> (as TensorFlow's padded patches do).
/// Spans may be longer than needed; only the leading elements are used.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static unsafe class Conv2DKernels
{
    /// <summary>
    /// <c>y (rows, OH, OW, F) = x (rows, H, W, C) ⊛ w (KH, KW, C, F) + b (F)</c>, with ReLU fused when <paramref name="relu"/>
    /// (<c>max(0, v)</c>, NaN propagating), over the output pixels [<paramref name="p0"/>, <paramref name="p1"/>), pixels
    /// counted sample-major over rows·OH·OW. Other pixels of y are not touched.
    /// </summary>
    /// <exception cref="ArgumentException">An inconsistent geometry, a range outside the pixels or a span too short.</exception>
    public static void Forward(Span<float> y, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, in Conv2DGeometry g,
        int rows, bool relu, int p0, int p1)
    {
        g.Validate();
        Conv2DGeometry.CheckRows(rows);
        long pixels = (long)rows * g.OutputHeight * g.OutputWidth;
        Conv2DGeometry.CheckRange(p0, p1, pixels, nameof(p0), nameof(p1), "output pixels rows·OH·OW");
        CheckOperands(x, w, y, g, rows, nameof(x), nameof(y));
        Conv2DGeometry.CheckLength(b, g.Filters, nameof(b), "F");
        if (p0 == p1) return;
        fixed (float* py = y, px = x, pw = w, pb = b)
        {
            var k = new Geometry(g);
            if (!Simd.IsEnabled) ForwardPortable(py, px, pw, pb, k, relu, p0, p1);
            else ForwardSimd(py, px, pw, pb, k, relu, p0, p1);
        }
    }

    /// <summary>
    /// <c>dw (KH, KW, C, F) = Σ over every output pixel of patchᵀ·dy</c> and <c>db (F) = Σ dy</c>, written (=, not +=), for
    /// the filters [<paramref name="f0"/>, <paramref name="f1"/>). Other filters' columns are not touched.
    /// </summary>
    /// <exception cref="ArgumentException">An inconsistent geometry, a range outside the filters or a span too short.</exception>
    public static void WeightGradient(Span<float> dw, Span<float> db, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, in Conv2DGeometry g,
        int rows, int f0, int f1)
    {
        g.Validate();
        Conv2DGeometry.CheckRows(rows);
        Conv2DGeometry.CheckRange(f0, f1, g.Filters, nameof(f0), nameof(f1), "filters F");
        CheckOperands(x, dw, dy, g, rows, nameof(x), nameof(dy), nameof(dw));
        Conv2DGeometry.CheckLength(db, g.Filters, nameof(db), "F");
        if (f0 == f1) return;
        fixed (float* pdw = dw, pdb = db, pdy = dy, px = x)
        {
            var k = new Geometry(g);
            BiasGradient(pdb, pdy, k.F, rows * k.OH * k.OW, f0, f1);
            if (rows == 0)
            {
                for (int r = 0; r < k.KH * k.KW * k.C; r++) new Span<float>(pdw + r * k.F + f0, f1 - f0).Clear();
                return;
            }
            if (!Simd.IsEnabled) WeightGradientPortable(pdw, pdy, px, k, rows, f0, f1);
            else WeightGradientSimd(pdw, pdy, px, k, rows, f0, f1);
        }
    }

    /// <summary>
    /// <c>dx (rows, H, W, C)</c> = the gradient of the loss with respect to x, written (=), over the input image rows
    /// [<paramref name="r0"/>, <paramref name="r1"/>), counted sample-major over rows·H. Each element gathers the windows
    /// that cover it.
    /// </summary>
    /// <exception cref="ArgumentException">An inconsistent geometry, a range outside the image rows or a span too short.</exception>
    public static void InputGradient(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> w, in Conv2DGeometry g, int rows, int r0, int r1)
    {
        g.Validate();
        Conv2DGeometry.CheckRows(rows);
        Conv2DGeometry.CheckRange(r0, r1, (long)rows * g.Height, nameof(r0), nameof(r1), "input image rows rows·H");
        CheckOperands(dx, w, dy, g, rows, nameof(dx), nameof(dy));
        if (r0 == r1) return;
        fixed (float* pdx = dx, pdy = dy, pw = w)
        {
            var k = new Geometry(g);
            if (!Simd.IsEnabled) InputGradientPortable(pdx, pdy, pw, k, r0, r1);
            else if (k.SH == 1 && k.SW == 1 && k.C >= 8) InputGradientTransposed(pdx, pdy, pw, k, r0, r1);
            else InputGradientSimd(pdx, pdy, pw, k, r0, r1);
        }
    }

    private static void CheckOperands(ReadOnlySpan<float> input, ReadOnlySpan<float> kernel, ReadOnlySpan<float> output, in Conv2DGeometry g,
        int rows, string inputName, string outputName, string kernelName = "w")
    {
        Conv2DGeometry.CheckLength(input, (long)rows * g.InputSize, inputName, "rows·H·W·C", rows, g.Height, g.Width, g.Channels);
        Conv2DGeometry.CheckLength(output, (long)rows * g.OutputSize, outputName, "rows·OH·OW·F", rows, g.OutputHeight, g.OutputWidth, g.Filters);
        Conv2DGeometry.CheckLength(kernel, g.KernelSize, kernelName, "KH·KW·C·F", g.KernelHeight, g.KernelWidth, g.Channels, g.Filters);
    }

    /// <summary>The geometry in locals the kernels read often, with the range of output rows/columns whose windows lie inside the input.</summary>
    private readonly struct Geometry
    {
        public readonly int H, W, C, F, KH, KW, SH, SW, PT, PL, OH, OW;
        /// <summary>Output rows [OhLo, OhHi) and columns [OwLo, OwHi) whose whole window is inside the input.</summary>
        public readonly int OhLo, OhHi, OwLo, OwHi;

        public Geometry(in Conv2DGeometry g)
        {
            H = g.Height; W = g.Width; C = g.Channels; F = g.Filters;
            KH = g.KernelHeight; KW = g.KernelWidth; SH = g.StrideHeight; SW = g.StrideWidth;
            PT = g.PadTop; PL = g.PadLeft; OH = g.OutputHeight; OW = g.OutputWidth;
            (OhLo, OhHi) = Inside(H, KH, SH, PT, OH);
            (OwLo, OwHi) = Inside(W, KW, SW, PL, OW);
        }

        private static (int, int) Inside(int size, int kernel, int stride, int pad, int output)
        {
            int lo = Math.Min((pad + stride - 1) / stride, output);
            int hi = size + pad - kernel < 0 ? 0 : Math.Min((size + pad - kernel) / stride + 1, output);
            return (lo, Math.Max(lo, hi));
        }

        public bool Interior(int oh, int ow) => oh >= OhLo && oh < OhHi && ow >= OwLo && ow < OwHi;
    }

    /// <summary><c>a·b + c</c> with the rounding of <see cref="Simd.MulAdd(Vector256{float}, Vector256{float}, Vector256{float})"/>'s lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Mad(float a, float b, float c) => Fma.IsSupported ? MathF.FusedMultiplyAdd(a, b, c) : a * b + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Relu(float v) => v < 0f ? 0f : v;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Relu(Vector256<float> v) => Vector256.MaxNative(Vector256<float>.Zero, v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Relu(Vector512<float> v) => Vector512.MaxNative(Vector512<float>.Zero, v);

    // ---------------------------------------------------------------- Forward

    private static void ForwardPortable(float* y, float* x, float* w, float* b, in Geometry g, bool relu, int p0, int p1)
    {
        int F = g.F, C = g.C;
        for (int p = p0; p < p1; p++)
        {
            int n = p / (g.OH * g.OW), oh = p / g.OW % g.OH, ow = p % g.OW;
            float* yp = y + (long)p * F;
            for (int f = 0; f < F; f++) yp[f] = b[f];
            for (int kh = 0; kh < g.KH; kh++)
            {
                int ih = oh * g.SH - g.PT + kh;
                if ((uint)ih >= (uint)g.H) continue;
                for (int kw = 0; kw < g.KW; kw++)
                {
                    int iw = ow * g.SW - g.PL + kw;
                    if ((uint)iw >= (uint)g.W) continue;
                    float* xp = x + (((long)n * g.H + ih) * g.W + iw) * C;
                    float* wp = w + (long)(kh * g.KW + kw) * C * F;
                    for (int c = 0; c < C; c++, wp += F)
                    {
                        float v = xp[c];
                        for (int f = 0; f < F; f++) yp[f] += v * wp[f];
                    }
                }
            }
            if (relu) for (int f = 0; f < F; f++) yp[f] = Relu(yp[f]);
        }
    }

    private static void ForwardSimd(float* y, float* x, float* w, float* b, in Geometry g, bool relu, int p0, int p1)
    {
        int perSample = g.OH * g.OW;
        // Runs of consecutive interior pixels share each kernel row load: four with 512-bit tiles (8 accumulators of
        // 16 lanes), six with 256-bit ones (12 of 8 lanes, enough chains to cover the FMA latency on two pipes).
        bool six = !Simd.IsEnabled512 && g.F % 16 == 0;
        int group = six ? 6 : 4;
        long* o = stackalloc long[6];
        int p = p0;
        while (p < p1)
        {
            // Any other pixel runs alone. Both do the same per-element chain (bias, then the terms in (kh, kw, c)
            // order), so the grouping never changes a result.
            if (p + group <= p1 && InteriorRun(g, p, perSample, group, o))
            {
                if (six) Forward6(y + (long)p * g.F, x, o, w, b, g, relu);
                else Forward4(y + (long)p * g.F, x, o[0], o[1], o[2], o[3], w, b, g, relu);
                p += group;
            }
            else if (six && p + 4 <= p1 && InteriorRun(g, p, perSample, 4, o))
            {
                // The end of an interior run too short for six.
                Forward4(y + (long)p * g.F, x, o[0], o[1], o[2], o[3], w, b, g, relu);
                p += 4;
            }
            else
            {
                Forward1(y + (long)p * g.F, x, w, b, g, relu, p / perSample, p % perSample / g.OW, p % g.OW);
                p++;
            }
        }
    }

    /// <summary>Whether pixels p..p+count-1 all have their whole window inside the input; if so, each one's window origin in x.</summary>
    private static bool InteriorRun(in Geometry g, int p, int perSample, int count, long* origins)
    {
        int n = p / perSample, oh = p % perSample / g.OW, ow = p % g.OW;
        for (int j = 0; j < count; j++)
        {
            if (!g.Interior(oh, ow)) return false;
            origins[j] = (((long)n * g.H + oh * g.SH - g.PT) * g.W + ow * g.SW - g.PL) * g.C;
            if (++ow == g.OW) { ow = 0; if (++oh == g.OH) { oh = 0; n++; } }
        }
        return true;
    }

    /// <summary>Six interior pixels by runs of 16 filters in 256-bit registers (F a multiple of 16).</summary>
    private static void Forward6(float* y, float* x, long* o, float* w, float* b, in Geometry g, bool relu)
    {
        int F = g.F, run = g.KW * g.C, rowStride = g.W * g.C;
        for (int f = 0; f < F; f += 16)
        {
            Vector256<float> b0 = Vector256.Load(b + f), b1 = Vector256.Load(b + f + 8);
            Vector256<float> c00 = b0, c01 = b1, c10 = b0, c11 = b1, c20 = b0, c21 = b1, c30 = b0, c31 = b1, c40 = b0, c41 = b1, c50 = b0, c51 = b1;
            for (int kh = 0; kh < g.KH; kh++)
            {
                long row = (long)kh * rowStride;
                float* x0 = x + o[0] + row, x1 = x + o[1] + row, x2 = x + o[2] + row, x3 = x + o[3] + row, x4 = x + o[4] + row, x5 = x + o[5] + row;
                float* wp = w + (long)kh * run * F + f;
                for (int t = 0; t < run; t++, wp += F)
                {
                    Vector256<float> w0 = Vector256.Load(wp), w1 = Vector256.Load(wp + 8);
                    Vector256<float> a = Vector256.Create(x0[t]);
                    c00 = Simd.MulAdd(a, w0, c00); c01 = Simd.MulAdd(a, w1, c01);
                    a = Vector256.Create(x1[t]);
                    c10 = Simd.MulAdd(a, w0, c10); c11 = Simd.MulAdd(a, w1, c11);
                    a = Vector256.Create(x2[t]);
                    c20 = Simd.MulAdd(a, w0, c20); c21 = Simd.MulAdd(a, w1, c21);
                    a = Vector256.Create(x3[t]);
                    c30 = Simd.MulAdd(a, w0, c30); c31 = Simd.MulAdd(a, w1, c31);
                    a = Vector256.Create(x4[t]);
                    c40 = Simd.MulAdd(a, w0, c40); c41 = Simd.MulAdd(a, w1, c41);
                    a = Vector256.Create(x5[t]);
                    c50 = Simd.MulAdd(a, w0, c50); c51 = Simd.MulAdd(a, w1, c51);
                }
            }
            if (relu)
            {
                c00 = Relu(c00); c01 = Relu(c01); c10 = Relu(c10); c11 = Relu(c11); c20 = Relu(c20); c21 = Relu(c21);
                c30 = Relu(c30); c31 = Relu(c31); c40 = Relu(c40); c41 = Relu(c41); c50 = Relu(c50); c51 = Relu(c51);
            }
            c00.Store(y + f); c01.Store(y + f + 8);
            c10.Store(y + F + f); c11.Store(y + F + f + 8);
            c20.Store(y + 2 * F + f); c21.Store(y + 2 * F + f + 8);
            c30.Store(y + 3 * F + f); c31.Store(y + 3 * F + f + 8);
            c40.Store(y + 4 * F + f); c41.Store(y + 4 * F + f + 8);
            c50.Store(y + 5 * F + f); c51.Store(y + 5 * F + f + 8);
        }
    }

    private static void Forward4(float* y, float* x, long o0, long o1, long o2, long o3, float* w, float* b, in Geometry g, bool relu)
    {
        int F = g.F, run = g.KW * g.C, rowStride = g.W * g.C;
        int f = 0;
        if (Simd.IsEnabled512 && F % 32 == 0)
        {
            for (; f < F; f += 32)
            {
                Vector512<float> b0 = Vector512.Load(b + f), b1 = Vector512.Load(b + f + 16);
                Vector512<float> c00 = b0, c01 = b1, c10 = b0, c11 = b1, c20 = b0, c21 = b1, c30 = b0, c31 = b1;
                for (int kh = 0; kh < g.KH; kh++)
                {
                    float* x0 = x + o0 + kh * rowStride, x1 = x + o1 + kh * rowStride, x2 = x + o2 + kh * rowStride, x3 = x + o3 + kh * rowStride;
                    float* wp = w + (long)kh * run * F + f;
                    for (int t = 0; t < run; t++, wp += F)
                    {
                        Vector512<float> w0 = Vector512.Load(wp), w1 = Vector512.Load(wp + 16);
                        Vector512<float> a = Vector512.Create(x0[t]);
                        c00 = Simd.MulAdd(a, w0, c00); c01 = Simd.MulAdd(a, w1, c01);
                        a = Vector512.Create(x1[t]);
                        c10 = Simd.MulAdd(a, w0, c10); c11 = Simd.MulAdd(a, w1, c11);
                        a = Vector512.Create(x2[t]);
                        c20 = Simd.MulAdd(a, w0, c20); c21 = Simd.MulAdd(a, w1, c21);
                        a = Vector512.Create(x3[t]);
                        c30 = Simd.MulAdd(a, w0, c30); c31 = Simd.MulAdd(a, w1, c31);
                    }
                }
                if (relu)
                {
                    c00 = Relu(c00); c01 = Relu(c01); c10 = Relu(c10); c11 = Relu(c11);
                    c20 = Relu(c20); c21 = Relu(c21); c30 = Relu(c30); c31 = Relu(c31);
                }
                c00.Store(y + f); c01.Store(y + f + 16);
                c10.Store(y + F + f); c11.Store(y + F + f + 16);
                c20.Store(y + 2 * F + f); c21.Store(y + 2 * F + f + 16);
                c30.Store(y + 3 * F + f); c31.Store(y + 3 * F + f + 16);
            }
            return;
        }
        for (; f + 16 <= F; f += 16)
        {
            Vector256<float> b0 = Vector256.Load(b + f), b1 = Vector256.Load(b + f + 8);
            Vector256<float> c00 = b0, c01 = b1, c10 = b0, c11 = b1, c20 = b0, c21 = b1, c30 = b0, c31 = b1;
            for (int kh = 0; kh < g.KH; kh++)
            {
                float* x0 = x + o0 + kh * rowStride, x1 = x + o1 + kh * rowStride, x2 = x + o2 + kh * rowStride, x3 = x + o3 + kh * rowStride;
                float* wp = w + (long)kh * run * F + f;
                for (int t = 0; t < run; t++, wp += F)
                {
                    Vector256<float> w0 = Vector256.Load(wp), w1 = Vector256.Load(wp + 8);
                    Vector256<float> a = Vector256.Create(x0[t]);
                    c00 = Simd.MulAdd(a, w0, c00); c01 = Simd.MulAdd(a, w1, c01);
                    a = Vector256.Create(x1[t]);
                    c10 = Simd.MulAdd(a, w0, c10); c11 = Simd.MulAdd(a, w1, c11);
                    a = Vector256.Create(x2[t]);
                    c20 = Simd.MulAdd(a, w0, c20); c21 = Simd.MulAdd(a, w1, c21);
                    a = Vector256.Create(x3[t]);
                    c30 = Simd.MulAdd(a, w0, c30); c31 = Simd.MulAdd(a, w1, c31);
                }
            }
            if (relu)
            {
                c00 = Relu(c00); c01 = Relu(c01); c10 = Relu(c10); c11 = Relu(c11);
                c20 = Relu(c20); c21 = Relu(c21); c30 = Relu(c30); c31 = Relu(c31);
            }
            c00.Store(y + f); c01.Store(y + f + 8);
            c10.Store(y + F + f); c11.Store(y + F + f + 8);
            c20.Store(y + 2 * F + f); c21.Store(y + 2 * F + f + 8);
            c30.Store(y + 3 * F + f); c31.Store(y + 3 * F + f + 8);
        }
        for (; f + 8 <= F; f += 8)
        {
            Vector256<float> c0 = Vector256.Load(b + f), c1 = c0, c2 = c0, c3 = c0;
            for (int kh = 0; kh < g.KH; kh++)
            {
                float* x0 = x + o0 + kh * rowStride, x1 = x + o1 + kh * rowStride, x2 = x + o2 + kh * rowStride, x3 = x + o3 + kh * rowStride;
                float* wp = w + (long)kh * run * F + f;
                for (int t = 0; t < run; t++, wp += F)
                {
                    Vector256<float> w0 = Vector256.Load(wp);
                    c0 = Simd.MulAdd(Vector256.Create(x0[t]), w0, c0);
                    c1 = Simd.MulAdd(Vector256.Create(x1[t]), w0, c1);
                    c2 = Simd.MulAdd(Vector256.Create(x2[t]), w0, c2);
                    c3 = Simd.MulAdd(Vector256.Create(x3[t]), w0, c3);
                }
            }
            if (relu) { c0 = Relu(c0); c1 = Relu(c1); c2 = Relu(c2); c3 = Relu(c3); }
            c0.Store(y + f); c1.Store(y + F + f); c2.Store(y + 2 * F + f); c3.Store(y + 3 * F + f);
        }
        for (; f < F; f++)
        {
            float s0 = b[f], s1 = s0, s2 = s0, s3 = s0;
            for (int kh = 0; kh < g.KH; kh++)
            {
                float* x0 = x + o0 + kh * rowStride, x1 = x + o1 + kh * rowStride, x2 = x + o2 + kh * rowStride, x3 = x + o3 + kh * rowStride;
                float* wp = w + (long)kh * run * F + f;
                for (int t = 0; t < run; t++, wp += F)
                {
                    float wv = *wp;
                    s0 = Mad(x0[t], wv, s0); s1 = Mad(x1[t], wv, s1); s2 = Mad(x2[t], wv, s2); s3 = Mad(x3[t], wv, s3);
                }
            }
            if (relu) { s0 = Relu(s0); s1 = Relu(s1); s2 = Relu(s2); s3 = Relu(s3); }
            y[f] = s0; y[F + f] = s1; y[2 * F + f] = s2; y[3 * F + f] = s3;
        }
    }

    /// <summary>One output pixel, any position: the terms whose input lies outside are skipped.</summary>
    private static void Forward1(float* y, float* x, float* w, float* b, in Geometry g, bool relu, int n, int oh, int ow)
    {
        int F = g.F, C = g.C;
        int ih0 = oh * g.SH - g.PT, iw0 = ow * g.SW - g.PL;
        int khLo = Math.Max(0, -ih0), khHi = Math.Min(g.KH, g.H - ih0);
        int kwLo = Math.Max(0, -iw0), kwHi = Math.Min(g.KW, g.W - iw0);
        int runLo = kwLo * C, runHi = kwHi * C;
        long origin = (((long)n * g.H + ih0) * g.W + iw0) * C;
        int f = 0;
        if (Simd.IsEnabled512 && F % 32 == 0)
        {
            for (; f < F; f += 32)
            {
                Vector512<float> c0 = Vector512.Load(b + f), c1 = Vector512.Load(b + f + 16);
                for (int kh = khLo; kh < khHi; kh++)
                {
                    float* xr = x + origin + (long)kh * g.W * C;
                    float* wp = w + ((long)kh * g.KW * C + runLo) * F + f;
                    for (int t = runLo; t < runHi; t++, wp += F)
                    {
                        Vector512<float> a = Vector512.Create(xr[t]);
                        c0 = Simd.MulAdd(a, Vector512.Load(wp), c0);
                        c1 = Simd.MulAdd(a, Vector512.Load(wp + 16), c1);
                    }
                }
                if (relu) { c0 = Relu(c0); c1 = Relu(c1); }
                c0.Store(y + f); c1.Store(y + f + 16);
            }
            return;
        }
        for (; f + 16 <= F; f += 16)
        {
            Vector256<float> c0 = Vector256.Load(b + f), c1 = Vector256.Load(b + f + 8);
            for (int kh = khLo; kh < khHi; kh++)
            {
                float* xr = x + origin + (long)kh * g.W * C;
                float* wp = w + ((long)kh * g.KW * C + runLo) * F + f;
                for (int t = runLo; t < runHi; t++, wp += F)
                {
                    Vector256<float> a = Vector256.Create(xr[t]);
                    c0 = Simd.MulAdd(a, Vector256.Load(wp), c0);
                    c1 = Simd.MulAdd(a, Vector256.Load(wp + 8), c1);
                }
            }
            if (relu) { c0 = Relu(c0); c1 = Relu(c1); }
            c0.Store(y + f); c1.Store(y + f + 8);
        }
        for (; f + 8 <= F; f += 8)
        {
            Vector256<float> c0 = Vector256.Load(b + f);
            for (int kh = khLo; kh < khHi; kh++)
            {
                float* xr = x + origin + (long)kh * g.W * C;
                float* wp = w + ((long)kh * g.KW * C + runLo) * F + f;
                for (int t = runLo; t < runHi; t++, wp += F) c0 = Simd.MulAdd(Vector256.Create(xr[t]), Vector256.Load(wp), c0);
            }
            if (relu) c0 = Relu(c0);
            c0.Store(y + f);
        }
        for (; f < F; f++)
        {
            float s = b[f];
            for (int kh = khLo; kh < khHi; kh++)
            {
                float* xr = x + origin + (long)kh * g.W * C;
                float* wp = w + ((long)kh * g.KW * C + runLo) * F + f;
                for (int t = runLo; t < runHi; t++, wp += F) s = Mad(xr[t], *wp, s);
            }
            y[f] = relu ? Relu(s) : s;
        }
    }

    // ---------------------------------------------------------------- WeightGradient

    /// <summary>db[f] = Σ over the pixels of dy[p, f], pixels in order, for f in [f0, f1).</summary>
    private static void BiasGradient(float* db, float* dy, int F, int pixels, int f0, int f1)
    {
        int f = f0;
        if (Simd.IsEnabled)
        {
            for (; f + 8 <= f1; f += 8)
            {
                Vector256<float> s = Vector256<float>.Zero;
                for (int p = 0; p < pixels; p++) s += Vector256.Load(dy + (long)p * F + f);
                s.Store(db + f);
            }
        }
        for (; f < f1; f++)
        {
            float s = 0;
            for (int p = 0; p < pixels; p++) s += dy[(long)p * F + f];
            db[f] = s;
        }
    }

    private static void WeightGradientPortable(float* dw, float* dy, float* x, in Geometry g, int rows, int f0, int f1)
    {
        int F = g.F, C = g.C;
        for (int kh = 0; kh < g.KH; kh++)
            for (int kw = 0; kw < g.KW; kw++)
                for (int c = 0; c < C; c++)
                {
                    float* dwr = dw + ((long)(kh * g.KW + kw) * C + c) * F;
                    for (int f = f0; f < f1; f++) dwr[f] = 0;
                    for (int n = 0; n < rows; n++)
                        for (int oh = 0; oh < g.OH; oh++)
                        {
                            int ih = oh * g.SH - g.PT + kh;
                            if ((uint)ih >= (uint)g.H) continue;
                            for (int ow = 0; ow < g.OW; ow++)
                            {
                                int iw = ow * g.SW - g.PL + kw;
                                if ((uint)iw >= (uint)g.W) continue;
                                float v = x[(((long)n * g.H + ih) * g.W + iw) * C + c];
                                float* dyp = dy + (((long)n * g.OH + oh) * g.OW + ow) * F;
                                for (int f = f0; f < f1; f++) dwr[f] += v * dyp[f];
                            }
                        }
                }
    }

    /// <summary>
    /// Blocks of four kernel rows k = (kh, kw, c) by a run of filters, held in registers over one sample's pixels (in order)
    /// and carried in dw from sample to sample. Each element's chain is the same whatever [f0, f1) is: the pixels in order,
    /// each adding patch·dy with one fused multiply-add, a padded patch element counting as zero.
    /// </summary>
    private static void WeightGradientSimd(float* dw, float* dy, float* x, in Geometry g, int rows, int f0, int f1)
    {
        int K = g.KH * g.KW * g.C;
        for (int n = 0; n < rows; n++)
        {
            float* xs = x + (long)n * g.H * g.W * g.C;
            float* dys = dy + (long)n * g.OH * g.OW * g.F;
            int k = 0;
            if (Simd.IsEnabled512)
                for (; k + 8 <= K; k += 8) WeightGradientBlock8(dw, dys, xs, g, k, n == 0, f0, f1);
            for (; k + 4 <= K; k += 4) WeightGradientBlock(dw, dys, xs, g, k, 4, n == 0, f0, f1);
            for (; k < K; k++) WeightGradientBlock(dw, dys, xs, g, k, 1, n == 0, f0, f1);
        }
    }

    /// <summary>Kernel rows [k, k + count) (count 4 or 1), filters [f0, f1), one sample.</summary>
    private static void WeightGradientBlock(float* dw, float* dy, float* x, in Geometry g, int k, int count, bool first, int f0, int f1)
    {
        int F = g.F, C = g.C;
        // Each kernel row's offset from a pixel's window origin, and its (kh, kw) for the padded pixels.
        int khA = k / (g.KW * C), kwA = k / C % g.KW, cA = k % C;
        int khB = 0, kwB = 0, cB = 0, khC = 0, kwC = 0, cC = 0, khD = 0, kwD = 0, cD = 0;
        if (count == 4)
        {
            khB = (k + 1) / (g.KW * C); kwB = (k + 1) / C % g.KW; cB = (k + 1) % C;
            khC = (k + 2) / (g.KW * C); kwC = (k + 2) / C % g.KW; cC = (k + 2) % C;
            khD = (k + 3) / (g.KW * C); kwD = (k + 3) / C % g.KW; cD = (k + 3) % C;
        }
        long offA = ((long)khA * g.W + kwA) * C + cA, offB = ((long)khB * g.W + kwB) * C + cB;
        long offC = ((long)khC * g.W + kwC) * C + cC, offD = ((long)khD * g.W + kwD) * C + cD;
        float* dwA = dw + (long)k * F, dwB = dwA + F, dwC = dwB + F, dwD = dwC + F;
        int f = f0;
        if (count == 4)
        {
            for (; f + 16 <= f1; f += 16)
            {
                Vector256<float> a0, a1, b0, b1, c0, c1, d0, d1;
                if (first) a0 = a1 = b0 = b1 = c0 = c1 = d0 = d1 = Vector256<float>.Zero;
                else
                {
                    a0 = Vector256.Load(dwA + f); a1 = Vector256.Load(dwA + f + 8);
                    b0 = Vector256.Load(dwB + f); b1 = Vector256.Load(dwB + f + 8);
                    c0 = Vector256.Load(dwC + f); c1 = Vector256.Load(dwC + f + 8);
                    d0 = Vector256.Load(dwD + f); d1 = Vector256.Load(dwD + f + 8);
                }
                for (int oh = 0; oh < g.OH; oh++)
                {
                    int ih0 = oh * g.SH - g.PT;
                    bool rowInside = oh >= g.OhLo && oh < g.OhHi;
                    for (int ow = 0; ow < g.OW; ow++)
                    {
                        int iw0 = ow * g.SW - g.PL;
                        float* dyp = dy + ((long)oh * g.OW + ow) * F + f;
                        float* xo = x + ((long)ih0 * g.W + iw0) * C;
                        float va, vb, vc, vd;
                        if (rowInside && ow >= g.OwLo && ow < g.OwHi) { va = xo[offA]; vb = xo[offB]; vc = xo[offC]; vd = xo[offD]; }
                        else
                        {
                            va = Patch(xo, offA, ih0 + khA, iw0 + kwA, g);
                            vb = Patch(xo, offB, ih0 + khB, iw0 + kwB, g);
                            vc = Patch(xo, offC, ih0 + khC, iw0 + kwC, g);
                            vd = Patch(xo, offD, ih0 + khD, iw0 + kwD, g);
                        }
                        Vector256<float> y0 = Vector256.Load(dyp), y1 = Vector256.Load(dyp + 8);
                        Vector256<float> v = Vector256.Create(va);
                        a0 = Simd.MulAdd(v, y0, a0); a1 = Simd.MulAdd(v, y1, a1);
                        v = Vector256.Create(vb);
                        b0 = Simd.MulAdd(v, y0, b0); b1 = Simd.MulAdd(v, y1, b1);
                        v = Vector256.Create(vc);
                        c0 = Simd.MulAdd(v, y0, c0); c1 = Simd.MulAdd(v, y1, c1);
                        v = Vector256.Create(vd);
                        d0 = Simd.MulAdd(v, y0, d0); d1 = Simd.MulAdd(v, y1, d1);
                    }
                }
                a0.Store(dwA + f); a1.Store(dwA + f + 8);
                b0.Store(dwB + f); b1.Store(dwB + f + 8);
                c0.Store(dwC + f); c1.Store(dwC + f + 8);
                d0.Store(dwD + f); d1.Store(dwD + f + 8);
            }
        }
        WeightGradientRows(dw, dy, x, g, k, count, first, f, f1);
    }

    /// <summary>Kernel rows [k, k + count), filters [f0, f1), one sample: a vector (or a lane) of filters for one row at a time.</summary>
    private static void WeightGradientRows(float* dw, float* dy, float* x, in Geometry g, int k, int count, bool first, int f0, int f1)
    {
        int F = g.F, C = g.C;
        for (int row = k; row < k + count; row++)
        {
            int kh = row / (g.KW * C), kw = row / C % g.KW;
            long off = ((long)kh * g.W + kw) * C + row % C;
            float* dwr = dw + (long)row * F;
            int fr = f0;
            for (; Simd.IsEnabled512 && fr + 32 <= f1; fr += 32)
            {
                Vector512<float> s0 = first ? Vector512<float>.Zero : Vector512.Load(dwr + fr);
                Vector512<float> s1 = first ? Vector512<float>.Zero : Vector512.Load(dwr + fr + 16);
                for (int oh = 0; oh < g.OH; oh++)
                {
                    int ih0 = oh * g.SH - g.PT;
                    for (int ow = 0; ow < g.OW; ow++)
                    {
                        int iw0 = ow * g.SW - g.PL;
                        Vector512<float> v = Vector512.Create(Patch(x + ((long)ih0 * g.W + iw0) * C, off, ih0 + kh, iw0 + kw, g));
                        float* dyp = dy + ((long)oh * g.OW + ow) * F + fr;
                        s0 = Simd.MulAdd(v, Vector512.Load(dyp), s0);
                        s1 = Simd.MulAdd(v, Vector512.Load(dyp + 16), s1);
                    }
                }
                s0.Store(dwr + fr);
                s1.Store(dwr + fr + 16);
            }
            for (; fr + 8 <= f1; fr += 8)
            {
                Vector256<float> s = first ? Vector256<float>.Zero : Vector256.Load(dwr + fr);
                for (int oh = 0; oh < g.OH; oh++)
                {
                    int ih0 = oh * g.SH - g.PT;
                    for (int ow = 0; ow < g.OW; ow++)
                    {
                        int iw0 = ow * g.SW - g.PL;
                        float v = Patch(x + ((long)ih0 * g.W + iw0) * C, off, ih0 + kh, iw0 + kw, g);
                        s = Simd.MulAdd(Vector256.Create(v), Vector256.Load(dy + ((long)oh * g.OW + ow) * F + fr), s);
                    }
                }
                s.Store(dwr + fr);
            }
            for (; fr < f1; fr++)
            {
                float s = first ? 0f : dwr[fr];
                for (int oh = 0; oh < g.OH; oh++)
                {
                    int ih0 = oh * g.SH - g.PT;
                    for (int ow = 0; ow < g.OW; ow++)
                    {
                        int iw0 = ow * g.SW - g.PL;
                        float v = Patch(x + ((long)ih0 * g.W + iw0) * C, off, ih0 + kh, iw0 + kw, g);
                        s = Mad(v, dy[((long)oh * g.OW + ow) * F + fr], s);
                    }
                }
                dwr[fr] = s;
            }
        }
    }

    /// <summary>Kernel rows [k, k + 8) by runs of 32 filters in Vector512 registers (AVX-512), the rest by <see cref="WeightGradientRows"/>.</summary>
    private static void WeightGradientBlock8(float* dw, float* dy, float* x, in Geometry g, int k, bool first, int f0, int f1)
    {
        int F = g.F, C = g.C;
        long* off = stackalloc long[8];
        int* kh = stackalloc int[8], kw = stackalloc int[8];
        for (int i = 0; i < 8; i++)
        {
            kh[i] = (k + i) / (g.KW * C);
            kw[i] = (k + i) / C % g.KW;
            off[i] = ((long)kh[i] * g.W + kw[i]) * C + (k + i) % C;
        }
        float* d0 = dw + (long)k * F, d1 = d0 + F, d2 = d1 + F, d3 = d2 + F, d4 = d3 + F, d5 = d4 + F, d6 = d5 + F, d7 = d6 + F;
        int f = f0;
        for (; f + 32 <= f1; f += 32)
        {
            Vector512<float> a0, a1, b0, b1, c0, c1, e0, e1, g0, g1, h0, h1, i0, i1, j0, j1;
            if (first) a0 = a1 = b0 = b1 = c0 = c1 = e0 = e1 = g0 = g1 = h0 = h1 = i0 = i1 = j0 = j1 = Vector512<float>.Zero;
            else
            {
                a0 = Vector512.Load(d0 + f); a1 = Vector512.Load(d0 + f + 16);
                b0 = Vector512.Load(d1 + f); b1 = Vector512.Load(d1 + f + 16);
                c0 = Vector512.Load(d2 + f); c1 = Vector512.Load(d2 + f + 16);
                e0 = Vector512.Load(d3 + f); e1 = Vector512.Load(d3 + f + 16);
                g0 = Vector512.Load(d4 + f); g1 = Vector512.Load(d4 + f + 16);
                h0 = Vector512.Load(d5 + f); h1 = Vector512.Load(d5 + f + 16);
                i0 = Vector512.Load(d6 + f); i1 = Vector512.Load(d6 + f + 16);
                j0 = Vector512.Load(d7 + f); j1 = Vector512.Load(d7 + f + 16);
            }
            for (int oh = 0; oh < g.OH; oh++)
            {
                int ih0 = oh * g.SH - g.PT;
                bool rowInside = oh >= g.OhLo && oh < g.OhHi;
                for (int ow = 0; ow < g.OW; ow++)
                {
                    int iw0 = ow * g.SW - g.PL;
                    float* dyp = dy + ((long)oh * g.OW + ow) * F + f;
                    float* xo = x + ((long)ih0 * g.W + iw0) * C;
                    float v0, v1, v2, v3, v4, v5, v6, v7;
                    if (rowInside && ow >= g.OwLo && ow < g.OwHi)
                    {
                        v0 = xo[off[0]]; v1 = xo[off[1]]; v2 = xo[off[2]]; v3 = xo[off[3]];
                        v4 = xo[off[4]]; v5 = xo[off[5]]; v6 = xo[off[6]]; v7 = xo[off[7]];
                    }
                    else
                    {
                        v0 = Patch(xo, off[0], ih0 + kh[0], iw0 + kw[0], g); v1 = Patch(xo, off[1], ih0 + kh[1], iw0 + kw[1], g);
                        v2 = Patch(xo, off[2], ih0 + kh[2], iw0 + kw[2], g); v3 = Patch(xo, off[3], ih0 + kh[3], iw0 + kw[3], g);
                        v4 = Patch(xo, off[4], ih0 + kh[4], iw0 + kw[4], g); v5 = Patch(xo, off[5], ih0 + kh[5], iw0 + kw[5], g);
                        v6 = Patch(xo, off[6], ih0 + kh[6], iw0 + kw[6], g); v7 = Patch(xo, off[7], ih0 + kh[7], iw0 + kw[7], g);
                    }
                    Vector512<float> y0 = Vector512.Load(dyp), y1 = Vector512.Load(dyp + 16), v = Vector512.Create(v0);
                    a0 = Simd.MulAdd(v, y0, a0); a1 = Simd.MulAdd(v, y1, a1);
                    v = Vector512.Create(v1);
                    b0 = Simd.MulAdd(v, y0, b0); b1 = Simd.MulAdd(v, y1, b1);
                    v = Vector512.Create(v2);
                    c0 = Simd.MulAdd(v, y0, c0); c1 = Simd.MulAdd(v, y1, c1);
                    v = Vector512.Create(v3);
                    e0 = Simd.MulAdd(v, y0, e0); e1 = Simd.MulAdd(v, y1, e1);
                    v = Vector512.Create(v4);
                    g0 = Simd.MulAdd(v, y0, g0); g1 = Simd.MulAdd(v, y1, g1);
                    v = Vector512.Create(v5);
                    h0 = Simd.MulAdd(v, y0, h0); h1 = Simd.MulAdd(v, y1, h1);
                    v = Vector512.Create(v6);
                    i0 = Simd.MulAdd(v, y0, i0); i1 = Simd.MulAdd(v, y1, i1);
                    v = Vector512.Create(v7);
                    j0 = Simd.MulAdd(v, y0, j0); j1 = Simd.MulAdd(v, y1, j1);
                }
            }
            a0.Store(d0 + f); a1.Store(d0 + f + 16);
            b0.Store(d1 + f); b1.Store(d1 + f + 16);
            c0.Store(d2 + f); c1.Store(d2 + f + 16);
            e0.Store(d3 + f); e1.Store(d3 + f + 16);
            g0.Store(d4 + f); g1.Store(d4 + f + 16);
            h0.Store(d5 + f); h1.Store(d5 + f + 16);
            i0.Store(d6 + f); i1.Store(d6 + f + 16);
            j0.Store(d7 + f); j1.Store(d7 + f + 16);
        }
        WeightGradientRows(dw, dy, x, g, k, 8, first, f, f1);
    }

    /// <summary>The patch element at input (ih, iw) (its address origin + offset), zero when that is padding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Patch(float* origin, long offset, int ih, int iw, in Geometry g) =>
        (uint)ih < (uint)g.H && (uint)iw < (uint)g.W ? origin[offset] : 0f;

    // ---------------------------------------------------------------- InputGradient

    private static void InputGradientPortable(float* dx, float* dy, float* w, in Geometry g, int r0, int r1)
    {
        int F = g.F, C = g.C;
        for (int r = r0; r < r1; r++)
        {
            int n = r / g.H, ih = r % g.H;
            for (int iw = 0; iw < g.W; iw++)
            {
                float* dxp = dx + ((long)r * g.W + iw) * C;
                for (int c = 0; c < C; c++) dxp[c] = 0;
                for (int kh = 0; kh < g.KH; kh++)
                {
                    int oh = Source(ih, kh, g.PT, g.SH, g.OH);
                    if (oh < 0) continue;
                    for (int kw = 0; kw < g.KW; kw++)
                    {
                        int ow = Source(iw, kw, g.PL, g.SW, g.OW);
                        if (ow < 0) continue;
                        float* dyp = dy + (((long)n * g.OH + oh) * g.OW + ow) * F;
                        float* wp = w + (long)(kh * g.KW + kw) * C * F;
                        for (int c = 0; c < C; c++, wp += F)
                        {
                            float s = 0;
                            for (int f = 0; f < F; f++) s += dyp[f] * wp[f];
                            dxp[c] += s;
                        }
                    }
                }
            }
        }
    }

    /// <summary>The output row (or column) whose window holds input position i at kernel offset k, or -1 when there is none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Source(int i, int k, int pad, int stride, int output)
    {
        int t = i + pad - k;
        if (t < 0) return -1;
        int o = t / stride;
        return o * stride == t && o < output ? o : -1;
    }

    /// <summary>Per thread: the flipped, transposed kernel and one zero-padded sample of dy for <see cref="InputGradientTransposed"/>.</summary>
    [ThreadStatic] private static float[]? t_scratch;

    /// <summary>
    /// Stride 1: dx is the 'valid' convolution of dy, zero-padded by KH-1-PT rows on top and KW-1-PL columns on the left
    /// (to (H+KH-1, W+KW-1, F)), with the kernel flipped in both axes and transposed to (KH, KW, F, C), so it runs on the
    /// forward pass's register-blocked four-pixel tiles (every pixel interior) with the channels as its filters. Each
    /// element's chain depends only on the geometry: 0, then the terms in (kh, kw, f) order of the flipped kernel, the
    /// padding's terms adding exact zeros, whatever [r0, r1) is.
    /// </summary>
    private static void InputGradientTransposed(float* dx, float* dy, float* w, in Geometry g, int r0, int r1)
    {
        int H = g.H, W = g.W, C = g.C, F = g.F, KH = g.KH, KW = g.KW;
        int hp = H + KH - 1, wp = W + KW - 1, top = KH - 1 - g.PT, left = KW - 1 - g.PL;
        long kernel = (long)KH * KW * C * F, padded = (long)hp * wp * F;
        long need = kernel + padded + C;
        if (need > Array.MaxLength) throw new ArgumentException($"Conv2D InputGradient: the kernel and one padded sample need {need} floats of scratch, more than an array holds.");
        if (t_scratch is null || t_scratch.Length < need) t_scratch = new float[need];
        fixed (float* s = t_scratch)
        {
            float* wt = s, xp = s + kernel, zero = xp + padded;
            for (int kh = 0; kh < KH; kh++)
                for (int kw = 0; kw < KW; kw++)
                {
                    float* from = w + ((long)(KH - 1 - kh) * KW + (KW - 1 - kw)) * C * F, to = wt + ((long)kh * KW + kw) * F * C;
                    for (int c = 0; c < C; c++)
                        for (int f = 0; f < F; f++) to[(long)f * C + c] = from[(long)c * F + f];
                }
            new Span<float>(zero, C).Clear();
            new Span<float>(xp, (int)padded).Clear(); // the border stays zero; each sample overwrites the interior
            var t = new Geometry(new Conv2DGeometry(hp, wp, F, C, KH, KW, 1, 1, 0, 0, H, W));
            long rowBytes = (long)g.OW * F * sizeof(float);
            for (int r = r0; r < r1;)
            {
                int n = r / H, ih0 = r % H, ih1 = Math.Min(H, ih0 + (r1 - r));
                for (int oh = 0; oh < g.OH; oh++)
                    Buffer.MemoryCopy(dy + ((long)n * g.OH + oh) * g.OW * F, xp + ((long)(top + oh) * wp + left) * F, rowBytes, rowBytes);
                ForwardSimd(dx + (long)n * H * W * C, xp, wt, zero, t, relu: false, ih0 * W, ih1 * W);
                r += ih1 - ih0;
            }
        }
    }

    /// <summary>
    /// Per input pixel, blocks of four channels: Vector256 lanes accumulate dy·w along the filters over every window that
    /// covers the pixel ((kh, kw) in order), then a horizontal sum plus the filter tail's scalar sum. Two neighbouring pixels
    /// covered by the same kernel columns (stride 1, away from the edges) share the kernel loads; each element still takes
    /// the same chain, so the pairing never changes a result.
    /// </summary>
    private static void InputGradientSimd(float* dx, float* dy, float* w, in Geometry g, int r0, int r1)
    {
        int* kh = stackalloc int[g.KH], oh = stackalloc int[g.KH];
        int* kwA = stackalloc int[g.KW], owA = stackalloc int[g.KW], kwB = stackalloc int[g.KW], owB = stackalloc int[g.KW];
        for (int r = r0; r < r1; r++)
        {
            int n = r / g.H, ih = r % g.H, nh = 0;
            for (int k = 0; k < g.KH; k++)
            {
                int o = Source(ih, k, g.PT, g.SH, g.OH);
                if (o >= 0) { kh[nh] = k; oh[nh] = o; nh++; }
            }
            float* dys = dy + (long)n * g.OH * g.OW * g.F;
            // Eight channels at a time across the row, so their slice of the kernel stays in the L1 cache.
            for (int c0 = 0; c0 < g.C; c0 += 8)
            {
                int c1 = Math.Min(c0 + 8, g.C);
                int iw = 0;
                while (iw < g.W)
                {
                    float* dxp = dx + ((long)r * g.W + iw) * g.C;
                    int nw = Columns(g, iw, kwA, owA);
                    bool pair = iw + 1 < g.W && Columns(g, iw + 1, kwB, owB) == nw;
                    for (int j = 0; pair && j < nw; j++) pair = kwB[j] == kwA[j] && owB[j] == owA[j] + 1;
                    if (pair)
                    {
                        InputGradient2(dxp, dys, w, g, kh, oh, nh, kwA, owA, nw, c0, c1);
                        iw += 2;
                    }
                    else
                    {
                        InputGradient1(dxp, dys, w, g, kh, oh, nh, kwA, owA, nw, c0, c1);
                        iw++;
                    }
                }
            }
        }
    }

    /// <summary>The four-channel blocks of <see cref="InputGradient1"/> in Vector512 lanes (AVX-512, F a multiple of 32); returns the first channel left.</summary>
    private static int InputGradient1Wide(float* dxp, float* dys, float* w, in Geometry g, int* kh, int* oh, int nh, int* kw, int* ow, int nw, int c0, int c1)
    {
        int F = g.F, C = g.C;
        int c = c0;
        for (; c + 4 <= c1; c += 4)
        {
            Vector512<float> a0 = Vector512<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (int i = 0; i < nh; i++)
                for (int j = 0; j < nw; j++)
                {
                    float* d = dys + ((long)oh[i] * g.OW + ow[j]) * F;
                    float* w0 = w + ((long)(kh[i] * g.KW + kw[j]) * C + c) * F, w1 = w0 + F, w2 = w1 + F, w3 = w2 + F;
                    for (int f = 0; f < F; f += 16)
                    {
                        Vector512<float> v = Vector512.Load(d + f);
                        a0 = Simd.MulAdd(v, Vector512.Load(w0 + f), a0);
                        a1 = Simd.MulAdd(v, Vector512.Load(w1 + f), a1);
                        a2 = Simd.MulAdd(v, Vector512.Load(w2 + f), a2);
                        a3 = Simd.MulAdd(v, Vector512.Load(w3 + f), a3);
                    }
                }
            Sums(a0, a1, a2, a3).Store(dxp + c);
        }
        return c;
    }

    /// <summary>The four-channel blocks of <see cref="InputGradient2"/> in Vector512 lanes (AVX-512, F a multiple of 32); returns the first channel left.</summary>
    private static int InputGradient2Wide(float* dxp, float* dys, float* w, in Geometry g, int* kh, int* oh, int nh, int* kw, int* ow, int nw, int c0, int c1)
    {
        int F = g.F, C = g.C;
        int c = c0;
        for (; c + 4 <= c1; c += 4)
        {
            Vector512<float> a0 = Vector512<float>.Zero, a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
            for (int i = 0; i < nh; i++)
                for (int j = 0; j < nw; j++)
                {
                    float* d = dys + ((long)oh[i] * g.OW + ow[j]) * F, e = d + F;
                    float* w0 = w + ((long)(kh[i] * g.KW + kw[j]) * C + c) * F, w1 = w0 + F, w2 = w1 + F, w3 = w2 + F;
                    for (int f = 0; f < F; f += 16)
                    {
                        Vector512<float> v = Vector512.Load(d + f), u = Vector512.Load(e + f), q = Vector512.Load(w0 + f);
                        a0 = Simd.MulAdd(v, q, a0); b0 = Simd.MulAdd(u, q, b0);
                        q = Vector512.Load(w1 + f);
                        a1 = Simd.MulAdd(v, q, a1); b1 = Simd.MulAdd(u, q, b1);
                        q = Vector512.Load(w2 + f);
                        a2 = Simd.MulAdd(v, q, a2); b2 = Simd.MulAdd(u, q, b2);
                        q = Vector512.Load(w3 + f);
                        a3 = Simd.MulAdd(v, q, a3); b3 = Simd.MulAdd(u, q, b3);
                    }
                }
            Sums(a0, a1, a2, a3).Store(dxp + c);
            Sums(b0, b1, b2, b3).Store(dxp + C + c);
        }
        return c;
    }

    /// <summary>The lane sums of four 512-bit vectors (halves added, then <see cref="Simd.HorizontalSums(Vector256{float}, Vector256{float}, Vector256{float}, Vector256{float})"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Sums(Vector512<float> a0, Vector512<float> a1, Vector512<float> a2, Vector512<float> a3) =>
        Simd.HorizontalSums(a0.GetLower() + a0.GetUpper(), a1.GetLower() + a1.GetUpper(), a2.GetLower() + a2.GetUpper(), a3.GetLower() + a3.GetUpper());

    /// <summary>The kernel columns kw covering input column iw and the output column ow of each, in order; returns how many.</summary>
    private static int Columns(in Geometry g, int iw, int* kw, int* ow)
    {
        int count = 0;
        for (int k = 0; k < g.KW; k++)
        {
            int o = Source(iw, k, g.PL, g.SW, g.OW);
            if (o >= 0) { kw[count] = k; ow[count] = o; count++; }
        }
        return count;
    }

    private static void InputGradient1(float* dxp, float* dys, float* w, in Geometry g, int* kh, int* oh, int nh, int* kw, int* ow, int nw, int c0, int c1)
    {
        int F = g.F, C = g.C, F8 = F & ~7;
        int c = c0;
        if (Simd.IsEnabled512 && F % 32 == 0) c = InputGradient1Wide(dxp, dys, w, g, kh, oh, nh, kw, ow, nw, c0, c1);
        for (; c + 4 <= c1; c += 4)
        {
            Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
            float t0 = 0, t1 = 0, t2 = 0, t3 = 0;
            for (int i = 0; i < nh; i++)
                for (int j = 0; j < nw; j++)
                {
                    float* d = dys + ((long)oh[i] * g.OW + ow[j]) * F;
                    float* w0 = w + ((long)(kh[i] * g.KW + kw[j]) * C + c) * F, w1 = w0 + F, w2 = w1 + F, w3 = w2 + F;
                    int f = 0;
                    for (; f < F8; f += 8)
                    {
                        Vector256<float> v = Vector256.Load(d + f);
                        a0 = Simd.MulAdd(v, Vector256.Load(w0 + f), a0);
                        a1 = Simd.MulAdd(v, Vector256.Load(w1 + f), a1);
                        a2 = Simd.MulAdd(v, Vector256.Load(w2 + f), a2);
                        a3 = Simd.MulAdd(v, Vector256.Load(w3 + f), a3);
                    }
                    for (; f < F; f++)
                    {
                        float v = d[f];
                        t0 = Mad(v, w0[f], t0); t1 = Mad(v, w1[f], t1); t2 = Mad(v, w2[f], t2); t3 = Mad(v, w3[f], t3);
                    }
                }
            (Simd.HorizontalSums(a0, a1, a2, a3) + Vector128.Create(t0, t1, t2, t3)).Store(dxp + c);
        }
        for (; c < c1; c++)
        {
            Vector256<float> a = Vector256<float>.Zero;
            float t = 0;
            for (int i = 0; i < nh; i++)
                for (int j = 0; j < nw; j++)
                {
                    float* d = dys + ((long)oh[i] * g.OW + ow[j]) * F;
                    float* wc = w + ((long)(kh[i] * g.KW + kw[j]) * C + c) * F;
                    int f = 0;
                    for (; f < F8; f += 8) a = Simd.MulAdd(Vector256.Load(d + f), Vector256.Load(wc + f), a);
                    for (; f < F; f++) t = Mad(d[f], wc[f], t);
                }
            dxp[c] = Simd.HorizontalSum(a) + t;
        }
    }

    /// <summary><see cref="InputGradient1"/> for two neighbouring pixels whose windows are one output column apart, sharing the kernel loads.</summary>
    private static void InputGradient2(float* dxp, float* dys, float* w, in Geometry g, int* kh, int* oh, int nh, int* kw, int* ow, int nw, int c0, int c1)
    {
        int F = g.F, C = g.C, F8 = F & ~7;
        int c = c0;
        if (Simd.IsEnabled512 && F % 32 == 0) c = InputGradient2Wide(dxp, dys, w, g, kh, oh, nh, kw, ow, nw, c0, c1);
        for (; c + 4 <= c1; c += 4)
        {
            Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
            float t0 = 0, t1 = 0, t2 = 0, t3 = 0, u0 = 0, u1 = 0, u2 = 0, u3 = 0;
            for (int i = 0; i < nh; i++)
                for (int j = 0; j < nw; j++)
                {
                    float* d = dys + ((long)oh[i] * g.OW + ow[j]) * F, e = d + F;
                    float* w0 = w + ((long)(kh[i] * g.KW + kw[j]) * C + c) * F, w1 = w0 + F, w2 = w1 + F, w3 = w2 + F;
                    int f = 0;
                    for (; f < F8; f += 8)
                    {
                        Vector256<float> v = Vector256.Load(d + f), u = Vector256.Load(e + f), q = Vector256.Load(w0 + f);
                        a0 = Simd.MulAdd(v, q, a0); b0 = Simd.MulAdd(u, q, b0);
                        q = Vector256.Load(w1 + f);
                        a1 = Simd.MulAdd(v, q, a1); b1 = Simd.MulAdd(u, q, b1);
                        q = Vector256.Load(w2 + f);
                        a2 = Simd.MulAdd(v, q, a2); b2 = Simd.MulAdd(u, q, b2);
                        q = Vector256.Load(w3 + f);
                        a3 = Simd.MulAdd(v, q, a3); b3 = Simd.MulAdd(u, q, b3);
                    }
                    for (; f < F; f++)
                    {
                        float v = d[f], u = e[f];
                        t0 = Mad(v, w0[f], t0); t1 = Mad(v, w1[f], t1); t2 = Mad(v, w2[f], t2); t3 = Mad(v, w3[f], t3);
                        u0 = Mad(u, w0[f], u0); u1 = Mad(u, w1[f], u1); u2 = Mad(u, w2[f], u2); u3 = Mad(u, w3[f], u3);
                    }
                }
            (Simd.HorizontalSums(a0, a1, a2, a3) + Vector128.Create(t0, t1, t2, t3)).Store(dxp + c);
            (Simd.HorizontalSums(b0, b1, b2, b3) + Vector128.Create(u0, u1, u2, u3)).Store(dxp + C + c);
        }
        for (; c < c1; c++)
        {
            Vector256<float> a = Vector256<float>.Zero, b = a;
            float t = 0, u = 0;
            for (int i = 0; i < nh; i++)
                for (int j = 0; j < nw; j++)
                {
                    float* d = dys + ((long)oh[i] * g.OW + ow[j]) * F, e = d + F;
                    float* wc = w + ((long)(kh[i] * g.KW + kw[j]) * C + c) * F;
                    int f = 0;
                    for (; f < F8; f += 8)
                    {
                        Vector256<float> q = Vector256.Load(wc + f);
                        a = Simd.MulAdd(Vector256.Load(d + f), q, a);
                        b = Simd.MulAdd(Vector256.Load(e + f), q, b);
                    }
                    for (; f < F; f++) { t = Mad(d[f], wc[f], t); u = Mad(e[f], wc[f], u); }
                }
            dxp[c] = Simd.HorizontalSum(a) + t;
            dxp[C + c] = Simd.HorizontalSum(b) + u;
        }
    }
}
