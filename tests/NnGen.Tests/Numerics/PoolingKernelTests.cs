using System;
using System.Linq;
using NnGen.Kernels;
using NnGen.Reference;

namespace NnGen.Tests.Numerics;

/// <summary>
/// PoolingKernels against ConvReference (windowed) and double-precision sums written here (global), backward passes by
/// central differences on inputs without ties, the first-maximum rule on ties, NaN propagation and the errors.
/// </summary>
public class PoolingKernelTests
{
    /// <summary>(H, W, C, KH, KW, SH, SW, same, rows): the usual 2x2/2, overlapping 3x3/1 and 3x3/2, odd sizes with both paddings, 1x1.</summary>
    public static readonly (int H, int W, int C, int KH, int KW, int SH, int SW, bool Same, int Rows)[] Cases =
    [
        (4, 4, 1, 2, 2, 2, 2, false, 1),
        (5, 7, 3, 2, 2, 2, 2, false, 2),
        (5, 7, 3, 2, 2, 2, 2, true, 2),
        (7, 6, 8, 3, 3, 1, 1, true, 1),
        (9, 8, 17, 3, 3, 2, 2, true, 3),
        (6, 9, 2, 3, 2, 1, 2, false, 2),
        (4, 5, 3, 1, 1, 1, 1, false, 1),
        (3, 3, 5, 4, 4, 3, 3, true, 2),
    ];

    public static TheoryData<int> Indices() => new(Enumerable.Range(0, Cases.Length));

    private static Conv2DGeometry Geometry(int i)
    {
        var c = Cases[i];
        return Conv2DGeometry.Create(c.H, c.W, c.C, c.C, c.KH, c.KW, c.SH, c.SW, c.Same);
    }

    /// <summary>Distinct values at least 0.01 apart (a shuffled grid), so that a 1e-3 step never changes which element is a maximum.</summary>
    private static float[] Distinct(int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(i => (i - length / 2) * 0.01f).OrderBy(_ => random.Next()).ToArray();
    }

    /// <summary>Max and average pooling, forward and backward, of case i against the reference, or the first mismatch.</summary>
    public static string? CheckPooling(int i)
    {
        Conv2DGeometry g = Geometry(i);
        int rows = Cases[i].Rows, inputs = rows * g.Height * g.Width * g.Channels, outputs = rows * g.OutputHeight * g.OutputWidth * g.Channels;
        float[] x = ConvCases.Random(inputs, 20 + i), dy = ConvCases.Random(outputs, 21 + i);
        float[] y = new float[outputs], yr = new float[outputs], dx = ConvCases.Filled(inputs, float.NaN), dxr = new float[inputs];
        PoolingKernels.MaxForward(y, x, g, rows);
        ConvReference.MaxPoolForward(yr, x, g, rows);
        if (ConvCases.Compare(y, yr, $"{g} MaxForward") is { } e1) return e1;
        PoolingKernels.MaxBackward(dx, dy, x, y, g, rows);
        ConvReference.MaxPoolBackward(dxr, dy, x, g, rows);
        if (ConvCases.Compare(dx, dxr, $"{g} MaxBackward") is { } e2) return e2;
        PoolingKernels.AverageForward(y, x, g, rows);
        ConvReference.AveragePoolForward(yr, x, g, rows);
        if (ConvCases.Compare(y, yr, $"{g} AverageForward") is { } e3) return e3;
        Array.Fill(dx, float.NaN);
        PoolingKernels.AverageBackward(dx, dy, g, rows);
        ConvReference.AveragePoolBackward(dxr, dy, g, rows);
        return ConvCases.Compare(dx, dxr, $"{g} AverageBackward");
    }

    [Theory]
    [MemberData(nameof(Indices))]
    public void Windowed_pooling_agrees_with_the_reference(int i) => Assert.Null(CheckPooling(i));

    [Fact]
    public void Forward_and_backward_match_PyTorch()
    {
        var cases = ConvCases.Torch().Where(c => c.Kind != "conv").ToArray();
        Assert.Equal(5, cases.Length);
        foreach (var (kind, s, a) in cases)
        {
            Conv2DGeometry g = Conv2DGeometry.Create(s[0], s[1], s[2], s[2], s[3], s[4], s[5], s[6], same: s[7] == 1);
            int rows = s[8];
            float[] y = new float[a["y"].Length], dx = new float[a["x"].Length];
            if (kind == "maxpool")
            {
                PoolingKernels.MaxForward(y, a["x"], g, rows);
                PoolingKernels.MaxBackward(dx, a["dy"], a["x"], y, g, rows);
            }
            else
            {
                PoolingKernels.AverageForward(y, a["x"], g, rows);
                PoolingKernels.AverageBackward(dx, a["dy"], g, rows);
            }
            Assert.Null(ConvCases.Compare(y, a["y"], $"{kind} {g} y"));
            Assert.Null(ConvCases.Compare(dx, a["dx"], $"{kind} {g} dx"));
        }
    }

    /// <summary>Central differences of L = Σ r ⊙ forward(x) against backward(r), every input element.</summary>
    private static void CheckDifferences(float[] x, float[] r, float[] analytic, Func<float[], float[]> forward, string what)
    {
        double Loss()
        {
            float[] y = forward(x);
            double s = 0;
            for (int i = 0; i < y.Length; i++) s += (double)r[i] * y[i];
            return s;
        }
        for (int i = 0; i < x.Length; i++)
        {
            float saved = x[i];
            x[i] = saved + 1e-3f;
            float up = x[i];
            double plus = Loss();
            x[i] = saved - 1e-3f;
            float down = x[i];
            double minus = Loss();
            x[i] = saved;
            double numeric = (plus - minus) / ((double)up - down);
            Assert.True(Math.Abs(analytic[i] - numeric) <= 1e-3 + 1e-3 * Math.Abs(numeric), $"{what}, input {i}: gradient {analytic[i]}, finite differences {numeric}");
        }
        Assert.Contains(analytic, a => Math.Abs(a) > 0.1f);
    }

    [Theory]
    [MemberData(nameof(Indices))]
    public void Backward_passes_match_central_differences(int i)
    {
        Conv2DGeometry g = Geometry(i);
        int rows = Cases[i].Rows, outputs = rows * g.OutputHeight * g.OutputWidth * g.Channels;
        float[] x = Distinct(rows * g.Height * g.Width * g.Channels, i), r = ConvCases.Random(outputs, 30 + i), y = new float[outputs];
        float[] dx = new float[x.Length];
        PoolingKernels.MaxForward(y, x, g, rows);
        PoolingKernels.MaxBackward(dx, r, x, y, g, rows);
        CheckDifferences(x, r, dx, v => { float[] o = new float[outputs]; PoolingKernels.MaxForward(o, v, g, rows); return o; }, $"{g} max");
        PoolingKernels.AverageBackward(dx, r, g, rows);
        CheckDifferences(x, r, dx, v => { float[] o = new float[outputs]; PoolingKernels.AverageForward(o, v, g, rows); return o; }, $"{g} average");
    }

    [Fact]
    public void Ties_send_the_gradient_to_the_first_maximum_in_row_major_order_and_overlaps_add()
    {
        // One channel, 3x3 input of equal values, 2x2 windows with stride 1: each window's first element is its top-left.
        Conv2DGeometry g = Conv2DGeometry.Create(3, 3, 1, 1, 2, 2, 1, 1, same: false);
        float[] x = ConvCases.Filled(9, 2f), y = new float[4], dx = ConvCases.Filled(9, 5f);
        PoolingKernels.MaxForward(y, x, g, 1);
        PoolingKernels.MaxBackward(dx, [1, 10, 100, 1000], x, y, g, 1);
        Assert.Equal([1, 10, 0, 100, 1000, 0, 0, 0, 0], dx);
        // A maximum shared by two windows receives both gradients.
        x = [0, 0, 0, 0, 9, 0, 0, 0, 0];
        PoolingKernels.MaxForward(y, x, g, 1);
        PoolingKernels.MaxBackward(dx, [1, 10, 100, 1000], x, y, g, 1);
        Assert.Equal([0, 0, 0, 0, 1111, 0, 0, 0, 0], dx);
        float[] gy = new float[1], gdx = ConvCases.Filled(9, 5f);
        PoolingKernels.GlobalMaxForward(gy, [1, 3, 2, 3, 3, 0, 0, 0, 0], 9, 1);
        PoolingKernels.GlobalMaxBackward(gdx, [7], [1, 3, 2, 3, 3, 0, 0, 0, 0], gy, 9, 1);
        Assert.Equal([0, 7, 0, 0, 0, 0, 0, 0, 0], gdx);
    }

    [Fact]
    public void Same_padding_averages_over_the_in_bounds_elements_only()
    {
        // 3x3 input, 2x2 pool, stride 2, 'same': output 2x2, the right column and bottom row windows are partly padding.
        Conv2DGeometry g = Conv2DGeometry.Create(3, 3, 1, 1, 2, 2, 2, 2, same: true);
        float[] x = [1, 2, 3, 4, 5, 6, 7, 8, 9], y = new float[4], dx = new float[9];
        PoolingKernels.AverageForward(y, x, g, 1);
        Assert.Equal([3f, 4.5f, 7.5f, 9f], y);
        PoolingKernels.AverageBackward(dx, [4, 2, 2, 1], g, 1);
        Assert.Equal([1, 1, 1, 1, 1, 1, 1, 1, 1], dx);
        PoolingKernels.MaxForward(y, [-1, -2, -3, -4, -5, -6, -7, -8, -9], g, 1);
        Assert.Equal([-1f, -3f, -7f, -9f], y); // padding is not a zero
    }

    /// <summary>
    /// The SIMD lanes (eight channels at a time) against the same pooling one channel at a time (the scalar path), bit for
    /// bit, on values with many ties and some NaNs, overlapping windows and 'same' padding: each lane must pick its own
    /// first maximum and propagate its own NaN.
    /// </summary>
    [Theory]
    [InlineData(2, 1, false)]
    [InlineData(3, 1, true)]
    [InlineData(2, 2, true)]
    public void Channel_lanes_follow_the_one_channel_rules_on_ties_and_NaN(int pool, int stride, bool same)
    {
        const int H = 5, W = 6, C = 19, Rows = 2;
        Conv2DGeometry g = Conv2DGeometry.Create(H, W, C, C, pool, pool, stride, stride, same), g1 = Conv2DGeometry.Create(H, W, 1, 1, pool, pool, stride, stride, same);
        int positions = H * W, outputs = g.OutputHeight * g.OutputWidth;
        var random = new Random(pool * 10 + stride);
        float[] x = Enumerable.Range(0, Rows * positions * C).Select(_ => random.Next(20) == 0 ? float.NaN : random.Next(3) - 1f).ToArray();
        float[] dy = ConvCases.Random(Rows * outputs * C, 5);
        float[] y = new float[dy.Length], dx = new float[x.Length], ya = new float[dy.Length], dxa = new float[x.Length];
        PoolingKernels.MaxForward(y, x, g, Rows);
        PoolingKernels.MaxBackward(dx, dy, x, y, g, Rows);
        PoolingKernels.AverageForward(ya, x, g, Rows);
        PoolingKernels.AverageBackward(dxa, dy, g, Rows);
        for (int c = 0; c < C; c++)
        {
            float[] xc = Channel(x, c, C), dyc = Channel(dy, c, C), yc = new float[dyc.Length], dxc = new float[xc.Length];
            PoolingKernels.MaxForward(yc, xc, g1, Rows);
            Assert.Equal(yc, Channel(y, c, C));
            PoolingKernels.MaxBackward(dxc, dyc, xc, yc, g1, Rows);
            Assert.Equal(dxc, Channel(dx, c, C));
            PoolingKernels.AverageForward(yc, xc, g1, Rows);
            Assert.Equal(yc, Channel(ya, c, C));
            PoolingKernels.AverageBackward(dxc, dyc, g1, Rows);
            Assert.Equal(dxc, Channel(dxa, c, C));
        }
        Assert.Contains(y, float.IsNaN);
        Assert.Contains(y, v => v == 1f);

        static float[] Channel(float[] a, int c, int channels) => a.Where((_, i) => i % channels == c).ToArray();
    }

    [Theory]
    [InlineData(3)]
    [InlineData(17)]
    public void A_y_that_is_not_a_maximum_of_its_window_names_the_sample_and_channel(int channel)
    {
        const int C = 19;
        Conv2DGeometry g = Conv2DGeometry.Create(2, 2, C, C, 2, 2, 2, 2, same: false);
        float[] x = ConvCases.Random(2 * 4 * C, 3), y = new float[2 * C], dx = new float[x.Length];
        PoolingKernels.MaxForward(y, x, g, 2);
        y[C + channel] += 1f;
        var e = Assert.Throws<ArgumentException>(() => PoolingKernels.MaxBackward(dx, new float[y.Length], x, y, g, 2));
        Assert.Contains($"y at sample 1, channel {channel} is", e.Message);
    }

    [Fact]
    public void Maxima_propagate_NaN()
    {
        Conv2DGeometry g = Conv2DGeometry.Create(2, 2, 1, 1, 2, 2, 2, 2, same: false);
        foreach (int at in new[] { 0, 3 })
        {
            float[] x = [1, 2, 3, 4], y = new float[1], dx = new float[4];
            x[at] = float.NaN;
            PoolingKernels.MaxForward(y, x, g, 1);
            Assert.True(float.IsNaN(y[0]));
            PoolingKernels.MaxBackward(dx, [1], x, y, g, 1);
            Assert.Equal(1f, dx[at]);
            PoolingKernels.GlobalMaxForward(y, x, 4, 1);
            Assert.True(float.IsNaN(y[0]));
            Array.Fill(dx, 5f);
            PoolingKernels.GlobalMaxBackward(dx, [1], x, y, 4, 1);
            for (int i = 0; i < 4; i++) Assert.Equal(i == at ? 1f : 0f, dx[i]);
        }
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 5, 3)]
    [InlineData(3, 9, 17)]
    public void Global_pooling_agrees_with_double_sums_and_central_differences(int rows, int positions, int channels)
    {
        float[] x = Distinct(rows * positions * channels, positions), r = ConvCases.Random(rows * channels, channels);
        float[] y = ConvCases.Filled(rows * channels, float.NaN), dx = ConvCases.Filled(x.Length, float.NaN);
        PoolingKernels.GlobalAverageForward(y, x, positions, channels);
        float[] mean = new float[y.Length], max = new float[y.Length];
        for (int n = 0; n < rows; n++)
            for (int c = 0; c < channels; c++)
            {
                double s = 0, m = double.NegativeInfinity;
                for (int q = 0; q < positions; q++) { s += x[(n * positions + q) * channels + c]; m = Math.Max(m, x[(n * positions + q) * channels + c]); }
                mean[n * channels + c] = (float)(s / positions);
                max[n * channels + c] = (float)m;
            }
        Assert.Null(ConvCases.Compare(y, mean, "GlobalAverageForward"));
        PoolingKernels.GlobalAverageBackward(dx, r, positions, channels);
        CheckDifferences(x, r, dx, v => { float[] o = new float[y.Length]; PoolingKernels.GlobalAverageForward(o, v, positions, channels); return o; }, "global average");
        PoolingKernels.GlobalMaxForward(y, x, positions, channels);
        Assert.Equal(max, y);
        Array.Fill(dx, float.NaN);
        PoolingKernels.GlobalMaxBackward(dx, r, x, y, positions, channels);
        CheckDifferences(x, r, dx, v => { float[] o = new float[y.Length]; PoolingKernels.GlobalMaxForward(o, v, positions, channels); return o; }, "global max");
    }

    [Fact]
    public void Bad_geometries_spans_and_outputs_are_rejected_with_the_numbers()
    {
        Conv2DGeometry g = Conv2DGeometry.Create(4, 4, 2, 2, 2, 2, 2, 2, same: false);
        var e = Assert.Throws<ArgumentException>(() => PoolingKernels.MaxForward(new float[16], new float[31], g, 1));
        Assert.Contains("x must hold at least 32 floats (rows·H·W·C = 1·4·4·2), got 31", e.Message);
        e = Assert.Throws<ArgumentException>(() => PoolingKernels.AverageForward(new float[7], new float[32], g, 1));
        Assert.Contains("y must hold at least 8 floats (rows·OH·OW·C = 1·2·2·2), got 7", e.Message);
        e = Assert.Throws<ArgumentException>(() => PoolingKernels.AverageBackward(new float[31], new float[8], g, 1));
        Assert.Contains("dx must hold at least 32 floats", e.Message);
        e = Assert.Throws<ArgumentException>(() => PoolingKernels.MaxBackward(new float[32], new float[7], new float[32], new float[8], g, 1));
        Assert.Contains("dy must hold at least 8 floats", e.Message);
        Conv2DGeometry conv = Conv2DGeometry.Create(4, 4, 2, 3, 2, 2, 2, 2, same: false);
        e = Assert.Throws<ArgumentException>(() => PoolingKernels.MaxForward(new float[12], new float[32], conv, 1));
        Assert.Contains("as many filters as channels, got 3 filters and 2 channels", e.Message);
        e = Assert.Throws<ArgumentException>(() => PoolingKernels.MaxBackward(new float[32], new float[8], new float[32], [5, 0, 0, 0, 0, 0, 0, 0], g, 1));
        Assert.Contains("y at sample 0, channel 0 is 5, which is not in its window", e.Message);
        e = Assert.Throws<ArgumentException>(() => PoolingKernels.GlobalAverageForward(new float[2], new float[10], 4, 2));
        Assert.Contains("whole samples of positions·channels = 4·2 = 8 floats, got 10", e.Message);
        e = Assert.Throws<ArgumentException>(() => PoolingKernels.GlobalMaxForward(new float[1], new float[8], 4, 2));
        Assert.Contains("y must hold at least 2 floats (rows·channels = 1·2), got 1", e.Message);
        e = Assert.Throws<ArgumentException>(() => PoolingKernels.MaxBackward(new float[32], new float[8], new float[31], new float[8], g, 1));
        Assert.Contains("x must hold at least 32 floats", e.Message);
        e = Assert.Throws<ArgumentException>(() => PoolingKernels.AverageForward(new float[8], new float[32], g, -1));
        Assert.Contains("rows must not be negative, got -1", e.Message);
        e = Assert.Throws<ArgumentException>(() => PoolingKernels.GlobalAverageForward(new float[8], new float[8], 4, 0));
        Assert.Contains("channels must be positive, got 0", e.Message);
        e = Assert.Throws<ArgumentException>(() => PoolingKernels.GlobalAverageBackward(new float[8], new float[2], 0, 2));
        Assert.Contains("positions must be positive, got 0", e.Message);
        e = Assert.Throws<ArgumentException>(() => PoolingKernels.GlobalMaxBackward(new float[8], new float[2], new float[8], new float[2], 4, -1));
        Assert.Contains("channels must be positive, got -1", e.Message);
        e = Assert.Throws<ArgumentException>(() => PoolingKernels.GlobalMaxBackward(new float[8], new float[2], new float[8], [0, 3], 4, 2));
        Assert.Contains("channel 1 is 3, which is not among x's positions", e.Message);
        e = Assert.Throws<ArgumentException>(() => PoolingKernels.GlobalMaxBackward(new float[8], new float[2], new float[7], new float[2], 4, 2));
        Assert.Contains("x must hold at least 8 floats", e.Message);
    }
}
