using System;
using System.ComponentModel;
using System.Runtime.Intrinsics;

namespace NnGen.Kernels;

/// <summary>
/// MaxPooling2D, AveragePooling2D and the global poolings over NHWC samples (Keras/TensorFlow semantics), called by
/// generated code. For the windowed poolings the geometry's <see cref="Conv2DGeometry.Filters"/> equals its channels and
/// its kernel is the pool size. These passes are memory-bound and cheap next to the convolutions: loops along the
/// contiguous channels, eight at a time (Vector256) where SIMD is enabled, each lane following the scalar rule exactly.
/// Spans may be longer than needed; only the leading elements are used.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class PoolingKernels
{
    /// <summary><c>y (rows, OH, OW, C)</c> = the maximum of each window of x (padding, with 'same', is ignored); NaN propagates.</summary>
    /// <exception cref="ArgumentException">An inconsistent geometry or a span too short.</exception>
    public static void MaxForward(Span<float> y, ReadOnlySpan<float> x, in Conv2DGeometry g, int rows) => Forward(y, x, g, rows, average: false);

    /// <summary>
    /// The gradient of <see cref="MaxForward"/>: each window's dy goes to the first element equal to its maximum y (the
    /// first NaN when y is NaN) in row-major window order, TensorFlow's choice. dx is written fully (zero elsewhere);
    /// where windows overlap their gradients add.
    /// </summary>
    /// <exception cref="ArgumentException">An inconsistent geometry or a span too short.</exception>
    public static void MaxBackward(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> y, in Conv2DGeometry g, int rows)
    {
        Check(x, y, g, rows, nameof(x), nameof(y));
        Backward(dx, dy, x, y, g, rows, average: false);
    }

    /// <summary>
    /// Clears dx, then adds each window's dy to its first maximum, or dy / count to each of its in-bounds elements. Eight
    /// channels at a time: a lane mask marks the channels whose maximum is already taken, so each lane still picks its
    /// first maximum in row-major window order, and the others add an exact +0.
    /// </summary>
    private static unsafe void Backward(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> y, in Conv2DGeometry g, int rows, bool average)
    {
        Check(dx, dy, g, rows, nameof(dx), nameof(dy));
        int C = g.Channels, vectors = Simd.IsEnabled ? C / 8 * 8 : 0;
        dx[..(rows * g.InputSize)].Clear();
        fixed (float* pdx = dx, pdy = dy, px = x, py = y)
            for (int n = 0; n < rows; n++)
                for (int oh = 0; oh < g.OutputHeight; oh++)
                    for (int ow = 0; ow < g.OutputWidth; ow++)
                    {
                        Window(g, oh, ow, out int h0, out int h1, out int w0, out int w1);
                        int o = Pixel(g, n, oh, ow);
                        float count = (h1 - h0) * (w1 - w0);
                        for (int c = 0; c < vectors; c += 8)
                        {
                            Vector256<float> d = Vector256.Load(pdy + o + c);
                            if (average)
                            {
                                d /= Vector256.Create(count);
                                for (int ih = h0; ih < h1; ih++)
                                    for (int iw = w0; iw < w1; iw++)
                                    {
                                        float* q = pdx + Input(g, n, ih, iw) + c;
                                        (Vector256.Load(q) + d).Store(q);
                                    }
                                continue;
                            }
                            Vector256<float> m = Vector256.Load(py + o + c), nan = ~Vector256.Equals(m, m), taken = Vector256<float>.Zero;
                            for (int ih = h0; ih < h1; ih++)
                                for (int iw = w0; iw < w1; iw++)
                                {
                                    int i = Input(g, n, ih, iw) + c;
                                    Vector256<float> v = Vector256.Load(px + i);
                                    Vector256<float> first = (Vector256.Equals(v, m) | (nan & ~Vector256.Equals(v, v))) & ~taken;
                                    (Vector256.Load(pdx + i) + (first & d)).Store(pdx + i);
                                    taken |= first;
                                }
                            if (!Vector256.EqualsAll(taken.AsInt32(), Vector256<int>.AllBitsSet))
                                for (int lane = 0; lane < 8; lane++) FirstMaximum(x, g, n, c + lane, py[o + c + lane], h0, h1, w0, w1); // throws for the lane without one
                        }
                        for (int c = vectors; c < C; c++)
                        {
                            if (!average)
                            {
                                pdx[FirstMaximum(x, g, n, c, py[o + c], h0, h1, w0, w1)] += pdy[o + c];
                                continue;
                            }
                            for (int ih = h0; ih < h1; ih++)
                                for (int iw = w0; iw < w1; iw++) pdx[Input(g, n, ih, iw) + c] += pdy[o + c] / count;
                        }
                    }
    }

    private static int FirstMaximum(ReadOnlySpan<float> x, in Conv2DGeometry g, int n, int c, float m, int h0, int h1, int w0, int w1)
    {
        bool nan = float.IsNaN(m);
        for (int ih = h0; ih < h1; ih++)
            for (int iw = w0; iw < w1; iw++)
            {
                int i = Input(g, n, ih, iw) + c;
                if (x[i] == m || (nan && float.IsNaN(x[i]))) return i;
            }
        throw new ArgumentException($"MaxBackward: y at sample {n}, channel {c} is {m}, which is not in its window of x (y must be MaxForward's output for x).", "y");
    }

    /// <summary><c>y (rows, OH, OW, C)</c> = the mean of each window of x over its in-bounds elements only ('same' padding, as TensorFlow).</summary>
    /// <exception cref="ArgumentException">An inconsistent geometry or a span too short.</exception>
    public static void AverageForward(Span<float> y, ReadOnlySpan<float> x, in Conv2DGeometry g, int rows) => Forward(y, x, g, rows, average: true);

    /// <summary>
    /// Each window's first element, then the others in row-major order added in (average, then divided by the count) or
    /// compared; eight channels at a time where SIMD is enabled, with the scalar rule per lane (a larger value or a NaN
    /// replaces the running maximum).
    /// </summary>
    private static unsafe void Forward(Span<float> y, ReadOnlySpan<float> x, in Conv2DGeometry g, int rows, bool average)
    {
        Check(x, y, g, rows, nameof(x), nameof(y));
        int C = g.Channels, vectors = Simd.IsEnabled ? C / 8 * 8 : 0;
        fixed (float* px = x, py = y)
            for (int n = 0; n < rows; n++)
                for (int oh = 0; oh < g.OutputHeight; oh++)
                    for (int ow = 0; ow < g.OutputWidth; ow++)
                    {
                        Window(g, oh, ow, out int h0, out int h1, out int w0, out int w1);
                        float* yp = py + Pixel(g, n, oh, ow);
                        float count = (h1 - h0) * (w1 - w0);
                        for (int c = 0; c < vectors; c += 8)
                        {
                            Vector256<float> a = Vector256.Load(px + Input(g, n, h0, w0) + c);
                            for (int ih = h0; ih < h1; ih++)
                                for (int iw = ih == h0 ? w0 + 1 : w0; iw < w1; iw++)
                                {
                                    Vector256<float> v = Vector256.Load(px + Input(g, n, ih, iw) + c);
                                    a = average ? a + v : Vector256.ConditionalSelect(Vector256.GreaterThan(v, a) | ~Vector256.Equals(v, v), v, a);
                                }
                            (average ? a / Vector256.Create(count) : a).Store(yp + c);
                        }
                        for (int c = vectors; c < C; c++)
                        {
                            float a = px[Input(g, n, h0, w0) + c];
                            for (int ih = h0; ih < h1; ih++)
                                for (int iw = ih == h0 ? w0 + 1 : w0; iw < w1; iw++)
                                {
                                    float v = px[Input(g, n, ih, iw) + c];
                                    if (average) a += v;
                                    else if (v > a || float.IsNaN(v)) a = v;
                                }
                            yp[c] = average ? a / count : a;
                        }
                    }
    }

    /// <summary>The gradient of <see cref="AverageForward"/>: each window's dy / count to each of its in-bounds elements; dx written fully.</summary>
    /// <exception cref="ArgumentException">An inconsistent geometry or a span too short.</exception>
    public static void AverageBackward(Span<float> dx, ReadOnlySpan<float> dy, in Conv2DGeometry g, int rows) =>
        Backward(dx, dy, default, default, g, rows, average: true);

    /// <summary><c>y (rows, C)</c> = the mean over the positions of <c>x (rows, positions, C)</c>.</summary>
    /// <exception cref="ArgumentException">A size not positive or a span too short.</exception>
    public static void GlobalAverageForward(Span<float> y, ReadOnlySpan<float> x, int positions, int channels)
    {
        int rows = CheckGlobal(x, y, positions, channels, nameof(x), nameof(y));
        for (int n = 0; n < rows; n++)
        {
            Span<float> yp = y.Slice(n * channels, channels);
            yp.Clear();
            for (int q = 0; q < positions; q++)
            {
                ReadOnlySpan<float> xp = x.Slice((n * positions + q) * channels, channels);
                for (int c = 0; c < channels; c++) yp[c] += xp[c];
            }
            for (int c = 0; c < channels; c++) yp[c] /= positions;
        }
    }

    /// <summary><c>dx (rows, positions, C) = dy (rows, C) / positions</c> at every position.</summary>
    /// <exception cref="ArgumentException">A size not positive or a span too short.</exception>
    public static void GlobalAverageBackward(Span<float> dx, ReadOnlySpan<float> dy, int positions, int channels)
    {
        int rows = CheckGlobal(dx, dy, positions, channels, nameof(dx), nameof(dy));
        for (int n = 0; n < rows; n++)
        {
            ReadOnlySpan<float> dyp = dy.Slice(n * channels, channels);
            for (int q = 0; q < positions; q++)
            {
                Span<float> dxp = dx.Slice((n * positions + q) * channels, channels);
                for (int c = 0; c < channels; c++) dxp[c] = dyp[c] / positions;
            }
        }
    }

    /// <summary><c>y (rows, C)</c> = the maximum over the positions of <c>x (rows, positions, C)</c>; NaN propagates.</summary>
    /// <exception cref="ArgumentException">A size not positive or a span too short.</exception>
    public static void GlobalMaxForward(Span<float> y, ReadOnlySpan<float> x, int positions, int channels)
    {
        int rows = CheckGlobal(x, y, positions, channels, nameof(x), nameof(y));
        for (int n = 0; n < rows; n++)
        {
            Span<float> yp = y.Slice(n * channels, channels);
            x.Slice(n * positions * channels, channels).CopyTo(yp);
            for (int q = 1; q < positions; q++)
            {
                ReadOnlySpan<float> xp = x.Slice((n * positions + q) * channels, channels);
                for (int c = 0; c < channels; c++)
                    if (xp[c] > yp[c] || float.IsNaN(xp[c])) yp[c] = xp[c];
            }
        }
    }

    /// <summary>The gradient of <see cref="GlobalMaxForward"/>: dy to the first position equal to the maximum y (the first NaN when y is NaN); dx written fully.</summary>
    /// <exception cref="ArgumentException">A size not positive, a span too short, or a y that is not in x.</exception>
    public static void GlobalMaxBackward(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> y, int positions, int channels)
    {
        int rows = CheckGlobal(dx, dy, positions, channels, nameof(dx), nameof(dy));
        CheckGlobal(x, y, positions, channels, nameof(x), nameof(y), rows);
        dx[..(rows * positions * channels)].Clear();
        for (int n = 0; n < rows; n++)
            for (int c = 0; c < channels; c++)
            {
                float m = y[n * channels + c];
                bool nan = float.IsNaN(m);
                int q = 0;
                while (q < positions && !(x[(n * positions + q) * channels + c] == m || (nan && float.IsNaN(x[(n * positions + q) * channels + c])))) q++;
                if (q == positions)
                    throw new ArgumentException($"GlobalMaxBackward: y at sample {n}, channel {c} is {m}, which is not among x's positions (y must be GlobalMaxForward's output for x).", nameof(y));
                dx[(n * positions + q) * channels + c] = dy[n * channels + c];
            }
    }

    /// <summary>The in-bounds input rows [h0, h1) and columns [w0, w1) of output pixel (oh, ow)'s window.</summary>
    private static void Window(in Conv2DGeometry g, int oh, int ow, out int h0, out int h1, out int w0, out int w1)
    {
        int top = oh * g.StrideHeight - g.PadTop, left = ow * g.StrideWidth - g.PadLeft;
        h0 = Math.Max(top, 0);
        h1 = Math.Min(top + g.KernelHeight, g.Height);
        w0 = Math.Max(left, 0);
        w1 = Math.Min(left + g.KernelWidth, g.Width);
    }

    private static int Pixel(in Conv2DGeometry g, int n, int oh, int ow) => ((n * g.OutputHeight + oh) * g.OutputWidth + ow) * g.Channels;

    private static int Input(in Conv2DGeometry g, int n, int ih, int iw) => ((n * g.Height + ih) * g.Width + iw) * g.Channels;

    private static void Check(ReadOnlySpan<float> input, ReadOnlySpan<float> output, in Conv2DGeometry g, int rows, string inputName, string outputName)
    {
        g.Validate();
        if (g.Filters != g.Channels)
            throw new ArgumentException($"Pooling geometry must have as many filters as channels, got {g.Filters} filters and {g.Channels} channels.", nameof(g));
        Conv2DGeometry.CheckRows(rows);
        Conv2DGeometry.CheckLength(input, (long)rows * g.InputSize, inputName, "rows·H·W·C", rows, g.Height, g.Width, g.Channels);
        Conv2DGeometry.CheckLength(output, (long)rows * g.OutputSize, outputName, "rows·OH·OW·C", rows, g.OutputHeight, g.OutputWidth, g.Channels);
    }

    /// <summary>Checks the sizes; the rows are those x holds (or <paramref name="rows"/> when given), and y must hold as many.</summary>
    private static int CheckGlobal(ReadOnlySpan<float> input, ReadOnlySpan<float> output, int positions, int channels, string inputName, string outputName, int rows = -1)
    {
        if (positions <= 0) throw new ArgumentException($"positions must be positive, got {positions}.", nameof(positions));
        if (channels <= 0) throw new ArgumentException($"channels must be positive, got {channels}.", nameof(channels));
        long perRow = (long)positions * channels;
        if (rows < 0)
        {
            if (input.Length % perRow != 0)
                throw new ArgumentException($"{inputName} must hold whole samples of positions·channels = {positions}·{channels} = {perRow} floats, got {input.Length}.", inputName);
            rows = (int)(input.Length / perRow);
        }
        else Conv2DGeometry.CheckLength(input, rows * perRow, inputName, "rows·positions·channels", rows, positions, channels);
        Conv2DGeometry.CheckLength(output, (long)rows * channels, outputName, "rows·channels", rows, channels);
        return rows;
    }
}
