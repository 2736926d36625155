using System;
using NnGen.Kernels;

namespace NnGen.Reference;

/// <summary>
/// Naive references for <see cref="Conv2DKernels"/> and <see cref="PoolingKernels"/>: the textbook loops over every sample,
/// output pixel, kernel position, channel and filter, with double accumulation and explicit bounds tests for the padding,
/// written independently of the fast kernels (gradients with respect to x are scattered from each window, not gathered).
/// Full ranges only. Not for production use: it allocates.
/// </summary>
public static class ConvReference
{
    /// <summary><c>y = x ⊛ w + b</c> (ReLU when <paramref name="relu"/>), NHWC with w in (KH, KW, C, F).</summary>
    public static void Forward(Span<float> y, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, in Conv2DGeometry g, int rows, bool relu)
    {
        for (int n = 0; n < rows; n++)
            for (int oh = 0; oh < g.OutputHeight; oh++)
                for (int ow = 0; ow < g.OutputWidth; ow++)
                    for (int f = 0; f < g.Filters; f++)
                    {
                        double s = b[f];
                        for (int kh = 0; kh < g.KernelHeight; kh++)
                            for (int kw = 0; kw < g.KernelWidth; kw++)
                                for (int c = 0; c < g.Channels; c++)
                                {
                                    int ih = oh * g.StrideHeight - g.PadTop + kh, iw = ow * g.StrideWidth - g.PadLeft + kw;
                                    if (ih < 0 || ih >= g.Height || iw < 0 || iw >= g.Width) continue;
                                    s += (double)x[X(g, n, ih, iw, c)] * w[Wi(g, kh, kw, c, f)];
                                }
                        y[Y(g, n, oh, ow, f)] = (float)(relu && s < 0 ? 0 : s);
                    }
    }

    /// <summary><c>dw = Σ patchᵀ·dy</c>, <c>db = Σ dy</c> over every sample and output pixel.</summary>
    public static void WeightGradient(Span<float> dw, Span<float> db, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, in Conv2DGeometry g, int rows)
    {
        for (int f = 0; f < g.Filters; f++)
        {
            double sb = 0;
            for (int n = 0; n < rows; n++)
                for (int oh = 0; oh < g.OutputHeight; oh++)
                    for (int ow = 0; ow < g.OutputWidth; ow++)
                        sb += dy[Y(g, n, oh, ow, f)];
            db[f] = (float)sb;
            for (int kh = 0; kh < g.KernelHeight; kh++)
                for (int kw = 0; kw < g.KernelWidth; kw++)
                    for (int c = 0; c < g.Channels; c++)
                    {
                        double s = 0;
                        for (int n = 0; n < rows; n++)
                            for (int oh = 0; oh < g.OutputHeight; oh++)
                                for (int ow = 0; ow < g.OutputWidth; ow++)
                                {
                                    int ih = oh * g.StrideHeight - g.PadTop + kh, iw = ow * g.StrideWidth - g.PadLeft + kw;
                                    if (ih < 0 || ih >= g.Height || iw < 0 || iw >= g.Width) continue;
                                    s += (double)x[X(g, n, ih, iw, c)] * dy[Y(g, n, oh, ow, f)];
                                }
                        dw[Wi(g, kh, kw, c, f)] = (float)s;
                    }
        }
    }

    /// <summary><c>dx</c>: each window's <c>dy·wᵀ</c> scattered onto the input elements it covers.</summary>
    public static void InputGradient(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> w, in Conv2DGeometry g, int rows)
    {
        var acc = new double[rows * g.Height * g.Width * g.Channels];
        for (int n = 0; n < rows; n++)
            for (int oh = 0; oh < g.OutputHeight; oh++)
                for (int ow = 0; ow < g.OutputWidth; ow++)
                    for (int kh = 0; kh < g.KernelHeight; kh++)
                        for (int kw = 0; kw < g.KernelWidth; kw++)
                        {
                            int ih = oh * g.StrideHeight - g.PadTop + kh, iw = ow * g.StrideWidth - g.PadLeft + kw;
                            if (ih < 0 || ih >= g.Height || iw < 0 || iw >= g.Width) continue;
                            for (int c = 0; c < g.Channels; c++)
                                for (int f = 0; f < g.Filters; f++)
                                    acc[X(g, n, ih, iw, c)] += (double)dy[Y(g, n, oh, ow, f)] * w[Wi(g, kh, kw, c, f)];
                        }
        for (int i = 0; i < acc.Length; i++) dx[i] = (float)acc[i];
    }

    /// <summary>Each window's maximum over its in-bounds elements.</summary>
    public static void MaxPoolForward(Span<float> y, ReadOnlySpan<float> x, in Conv2DGeometry g, int rows) =>
        Pool(y, x, g, rows, average: false);

    /// <summary>Each window's mean over its in-bounds elements.</summary>
    public static void AveragePoolForward(Span<float> y, ReadOnlySpan<float> x, in Conv2DGeometry g, int rows) =>
        Pool(y, x, g, rows, average: true);

    private static void Pool(Span<float> y, ReadOnlySpan<float> x, in Conv2DGeometry g, int rows, bool average)
    {
        for (int n = 0; n < rows; n++)
            for (int oh = 0; oh < g.OutputHeight; oh++)
                for (int ow = 0; ow < g.OutputWidth; ow++)
                    for (int c = 0; c < g.Channels; c++)
                    {
                        double s = 0, m = double.NegativeInfinity;
                        int count = 0;
                        foreach ((int ih, int iw) in Window(g, oh, ow))
                        {
                            double v = x[X(g, n, ih, iw, c)];
                            s += v;
                            m = Math.Max(m, v);
                            count++;
                        }
                        y[Y(g, n, oh, ow, c)] = (float)(average ? s / count : m);
                    }
    }

    /// <summary>Each window's dy added to its first maximal element (row-major window order).</summary>
    public static void MaxPoolBackward(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, in Conv2DGeometry g, int rows)
    {
        var acc = new double[rows * g.Height * g.Width * g.Channels];
        for (int n = 0; n < rows; n++)
            for (int oh = 0; oh < g.OutputHeight; oh++)
                for (int ow = 0; ow < g.OutputWidth; ow++)
                    for (int c = 0; c < g.Channels; c++)
                    {
                        int best = -1;
                        foreach ((int ih, int iw) in Window(g, oh, ow))
                            if (best < 0 || x[X(g, n, ih, iw, c)] > x[best]) best = X(g, n, ih, iw, c);
                        acc[best] += dy[Y(g, n, oh, ow, c)];
                    }
        for (int i = 0; i < acc.Length; i++) dx[i] = (float)acc[i];
    }

    /// <summary>Each window's dy divided by its in-bounds count, added to each of those elements.</summary>
    public static void AveragePoolBackward(Span<float> dx, ReadOnlySpan<float> dy, in Conv2DGeometry g, int rows)
    {
        var acc = new double[rows * g.Height * g.Width * g.Channels];
        for (int n = 0; n < rows; n++)
            for (int oh = 0; oh < g.OutputHeight; oh++)
                for (int ow = 0; ow < g.OutputWidth; ow++)
                {
                    var window = Window(g, oh, ow);
                    for (int c = 0; c < g.Channels; c++)
                        foreach ((int ih, int iw) in window)
                            acc[X(g, n, ih, iw, c)] += (double)dy[Y(g, n, oh, ow, c)] / window.Length;
                }
        for (int i = 0; i < acc.Length; i++) dx[i] = (float)acc[i];
    }

    /// <summary>The in-bounds input positions of output pixel (oh, ow)'s window, row-major.</summary>
    private static (int, int)[] Window(in Conv2DGeometry g, int oh, int ow)
    {
        var list = new System.Collections.Generic.List<(int, int)>();
        for (int kh = 0; kh < g.KernelHeight; kh++)
            for (int kw = 0; kw < g.KernelWidth; kw++)
            {
                int ih = oh * g.StrideHeight - g.PadTop + kh, iw = ow * g.StrideWidth - g.PadLeft + kw;
                if (ih >= 0 && ih < g.Height && iw >= 0 && iw < g.Width) list.Add((ih, iw));
            }
        return list.ToArray();
    }

    private static int X(in Conv2DGeometry g, int n, int ih, int iw, int c) => ((n * g.Height + ih) * g.Width + iw) * g.Channels + c;

    private static int Y(in Conv2DGeometry g, int n, int oh, int ow, int f) => ((n * g.OutputHeight + oh) * g.OutputWidth + ow) * g.Filters + f;

    private static int Wi(in Conv2DGeometry g, int kh, int kw, int c, int f) => ((kh * g.KernelWidth + kw) * g.Channels + c) * g.Filters + f;
}
