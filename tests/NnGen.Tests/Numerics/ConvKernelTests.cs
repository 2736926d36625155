using System;
using System.IO;
using System.Linq;
using NnGen.Kernels;
using NnGen.Reference;

namespace NnGen.Tests.Numerics;

/// <summary>Geometries and data shared by the Conv2D and pooling kernel tests, and the checks a child process repeats on the portable path.</summary>
internal static class ConvCases
{
    /// <summary>(H, W, C, F, KH, KW, SH, SW, same, rows): 1x1 kernels, kernels larger than the stride, strides 2 and 3, odd sizes
    /// with both paddings (asymmetric 'same' included), C = 1, 3, 8, 9, 16, 17, 32 and F = 1, 3, 5, 8, 16, 32, 33, 64 (the
    /// simple convnet's second layer among them; stride 1 with C >= 8 takes the transposed-convolution input gradient).</summary>
    public static readonly (int H, int W, int C, int F, int KH, int KW, int SH, int SW, bool Same, int Rows)[] Conv =
    [
        (5, 5, 1, 1, 1, 1, 1, 1, false, 1),
        (6, 7, 3, 5, 1, 1, 2, 2, true, 2),
        (7, 7, 3, 8, 3, 3, 1, 1, false, 2),
        (7, 9, 8, 16, 3, 3, 1, 1, true, 3),
        (9, 7, 17, 33, 3, 3, 2, 2, true, 1),
        (8, 10, 3, 32, 3, 3, 2, 2, true, 2),
        (11, 11, 8, 32, 5, 5, 2, 2, false, 2),
        (9, 9, 17, 64, 3, 3, 1, 1, false, 1),
        (6, 6, 1, 32, 3, 3, 1, 1, true, 3),
        (10, 8, 3, 5, 4, 2, 3, 1, true, 2),
        (5, 6, 8, 1, 2, 3, 1, 2, false, 3),
        (4, 4, 3, 33, 5, 5, 1, 1, true, 1),
        (3, 3, 17, 16, 3, 3, 3, 3, false, 2),
        (12, 12, 1, 32, 3, 3, 1, 1, false, 1),
        (7, 8, 5, 24, 3, 3, 1, 1, true, 2),
        (13, 13, 32, 64, 3, 3, 1, 1, false, 2),
        (8, 7, 16, 8, 2, 2, 1, 1, true, 2),
        (6, 5, 9, 3, 3, 2, 1, 1, true, 1),
    ];

    public static TheoryData<int> ConvIndices() => new(Enumerable.Range(0, Conv.Length));

    public static Conv2DGeometry Geometry(int i)
    {
        var c = Conv[i];
        return Conv2DGeometry.Create(c.H, c.W, c.C, c.F, c.KH, c.KW, c.SH, c.SW, c.Same);
    }

    public static float[] Random(int length, int seed, float scale = 1f)
    {
        var random = new Random(seed);
        var a = new float[length];
        for (int i = 0; i < a.Length; i++) a[i] = (float)(random.NextDouble() * 2 - 1) * scale;
        return a;
    }

    public static float[] Filled(int length, float value) => Enumerable.Repeat(value, length).ToArray();

    /// <summary>The first element where actual and expected differ by more than float rounding of a sum of that size, or null.</summary>
    public static string? Compare(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, string what)
    {
        float scale = 0;
        foreach (float e in expected) scale = Math.Max(scale, Math.Abs(e));
        for (int i = 0; i < expected.Length; i++)
            if (!(Math.Abs(actual[i] - expected[i]) <= 1e-5f * scale + 1e-5f * Math.Abs(expected[i])))
                return $"{what}: element {i} is {actual[i]:R}, reference {expected[i]:R}";
        return null;
    }

    /// <summary>Forward, WeightGradient and InputGradient of geometry i against ConvReference, or the first mismatch.</summary>
    public static string? CheckConv(int i)
    {
        Conv2DGeometry g = Geometry(i);
        int rows = Conv[i].Rows;
        float[] x = Random(rows * g.Height * g.Width * g.Channels, 1 + i), w = Random(g.KernelHeight * g.KernelWidth * g.Channels * g.Filters, 2 + i);
        float[] b = Random(g.Filters, 3 + i), dy = Random(rows * g.OutputHeight * g.OutputWidth * g.Filters, 4 + i);
        foreach (bool relu in new[] { false, true })
        {
            float[] y = new float[dy.Length], yr = new float[dy.Length];
            Conv2DKernels.Forward(y, x, w, b, g, rows, relu, 0, rows * g.OutputHeight * g.OutputWidth);
            ConvReference.Forward(yr, x, w, b, g, rows, relu);
            if (Compare(y, yr, $"{g} Forward relu={relu}") is { } error) return error;
        }
        float[] dw = Filled(w.Length, float.NaN), db = Filled(b.Length, float.NaN), dwr = new float[w.Length], dbr = new float[b.Length];
        Conv2DKernels.WeightGradient(dw, db, dy, x, g, rows, 0, g.Filters);
        ConvReference.WeightGradient(dwr, dbr, dy, x, g, rows);
        if ((Compare(dw, dwr, $"{g} WeightGradient dw") ?? Compare(db, dbr, $"{g} WeightGradient db")) is { } e2) return e2;
        float[] dx = Filled(x.Length, float.NaN), dxr = new float[x.Length];
        Conv2DKernels.InputGradient(dx, dy, w, g, rows, 0, rows * g.Height);
        ConvReference.InputGradient(dxr, dy, w, g, rows);
        return Compare(dx, dxr, $"{g} InputGradient");
    }

    /// <summary>Entry point of the child process (Program.cs, "conv-check"): every conv and pooling case, the kernel path first.</summary>
    public static int RunAll(TextWriter output)
    {
        output.WriteLine($"kernels: {Simd.Description}");
        int failures = 0;
        for (int i = 0; i < Conv.Length; i++)
        {
            string? error = CheckConv(i);
            output.WriteLine(error ?? $"conv {i}: ok");
            if (error is not null) failures++;
        }
        for (int i = 0; i < PoolingKernelTests.Cases.Length; i++)
        {
            string? error = PoolingKernelTests.CheckPooling(i);
            output.WriteLine(error ?? $"pool {i}: ok");
            if (error is not null) failures++;
        }
        return failures == 0 ? 0 : 1;
    }

    /// <summary>
    /// The cases of conv_torch.txt (written by conv_torch.py with PyTorch): a header line "kind H W C [F] KH KW SH SW same rows",
    /// then one line per named array. Arrays are returned as floats, the values having been computed in float64.
    /// </summary>
    public static (string Kind, int[] Sizes, System.Collections.Generic.Dictionary<string, float[]> Arrays)[] Torch()
    {
        string path = Path.Combine(Path.GetDirectoryName(SourceFile())!, "conv_torch.txt");
        var cases = new System.Collections.Generic.List<(string, int[], System.Collections.Generic.Dictionary<string, float[]>)>();
        foreach (string line in File.ReadAllLines(path))
        {
            string[] parts = line.Split(' ');
            if (parts[0] is "conv" or "maxpool" or "avgpool")
                cases.Add((parts[0], parts.Skip(1).Select(int.Parse).ToArray(), new()));
            else
                cases[^1].Item3[parts[0]] = parts.Skip(1).Select(v => (float)double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        }
        return cases.ToArray();
    }

    private static string SourceFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;

    /// <summary>Cuts [0, n) into between one and five parts at random points (empty parts included).</summary>
    public static int[] Cuts(int n, Random random)
    {
        int parts = random.Next(1, 6);
        int[] cuts = new int[parts + 1];
        for (int j = 1; j < parts; j++) cuts[j] = random.Next(0, n + 1);
        cuts[parts] = n;
        Array.Sort(cuts);
        return cuts;
    }
}

/// <summary>
/// Conv2DKernels against the double-precision ConvReference over many geometries, on this machine's path and (in a child
/// process) the portable and 256-bit paths; partitions that must reproduce the full call bit for bit; finite differences of
/// a scalar loss through Forward for both gradients; the geometry rules and the errors.
/// </summary>
public class ConvKernelTests
{
    [Theory]
    [MemberData(nameof(ConvCases.ConvIndices), MemberType = typeof(ConvCases))]
    public void Kernels_agree_with_the_reference(int i) => Assert.Null(ConvCases.CheckConv(i));

    [Fact]
    public void Portable_path_agrees_with_the_reference()
    {
        string stdout = KernelPathTests.RunChild("conv-check", "NNGEN_DISABLE_SIMD", "1");
        Assert.Contains("kernels: portable scalar", stdout);
        Assert.Equal(ConvCases.Conv.Length + PoolingKernelTests.Cases.Length, stdout.Split('\n').Count(l => l.EndsWith(": ok", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_256_bit_path_agrees_with_the_reference_where_512_bit_vectors_would_run()
    {
        string stdout = KernelPathTests.RunChild("conv-check", "NNGEN_DISABLE_AVX512", "1");
        Assert.Contains("kernels: Vector256", stdout);
        Assert.Equal(ConvCases.Conv.Length + PoolingKernelTests.Cases.Length, stdout.Split('\n').Count(l => l.EndsWith(": ok", StringComparison.Ordinal)));
    }

    [Fact]
    public void Forward_and_gradients_match_PyTorch()
    {
        var cases = ConvCases.Torch().Where(c => c.Kind == "conv").ToArray();
        Assert.Equal(5, cases.Length);
        foreach (var (_, s, a) in cases)
        {
            Conv2DGeometry g = Conv2DGeometry.Create(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], same: s[8] == 1);
            int rows = s[9];
            float[] y = new float[a["y"].Length], dx = new float[a["x"].Length], dw = new float[a["w"].Length], db = new float[a["b"].Length];
            Conv2DKernels.Forward(y, a["x"], a["w"], a["b"], g, rows, false, 0, rows * g.OutputHeight * g.OutputWidth);
            Assert.Null(ConvCases.Compare(y, a["y"], $"{g} y"));
            Conv2DKernels.Forward(y, a["x"], a["w"], a["b"], g, rows, true, 0, rows * g.OutputHeight * g.OutputWidth);
            Assert.Null(ConvCases.Compare(y, a["yrelu"], $"{g} relu(y)"));
            Conv2DKernels.WeightGradient(dw, db, a["dy"], a["x"], g, rows, 0, g.Filters);
            Assert.Null(ConvCases.Compare(dw, a["dw"], $"{g} dw"));
            Assert.Null(ConvCases.Compare(db, a["db"], $"{g} db"));
            Conv2DKernels.InputGradient(dx, a["dy"], a["w"], g, rows, 0, rows * g.Height);
            Assert.Null(ConvCases.Compare(dx, a["dx"], $"{g} dx"));
        }
    }

    [Theory]
    [MemberData(nameof(ConvCases.ConvIndices), MemberType = typeof(ConvCases))]
    public void Any_partition_reproduces_the_full_call_bit_for_bit(int i)
    {
        Conv2DGeometry g = ConvCases.Geometry(i);
        int rows = ConvCases.Conv[i].Rows, pixels = rows * g.OutputHeight * g.OutputWidth, imageRows = rows * g.Height;
        float[] x = ConvCases.Random(rows * g.Height * g.Width * g.Channels, 10 + i), w = ConvCases.Random(g.KernelHeight * g.KernelWidth * g.Channels * g.Filters, 11 + i);
        float[] b = ConvCases.Random(g.Filters, 12 + i), dy = ConvCases.Random(pixels * g.Filters, 13 + i);
        float[] y = new float[dy.Length], dw = new float[w.Length], db = new float[b.Length], dx = new float[x.Length];
        Conv2DKernels.Forward(y, x, w, b, g, rows, true, 0, pixels);
        Conv2DKernels.WeightGradient(dw, db, dy, x, g, rows, 0, g.Filters);
        Conv2DKernels.InputGradient(dx, dy, w, g, rows, 0, imageRows);
        var random = new Random(i);
        for (int trial = 0; trial < 6; trial++)
        {
            float[] yp = ConvCases.Filled(y.Length, float.NaN), dwp = ConvCases.Filled(dw.Length, float.NaN);
            float[] dbp = ConvCases.Filled(db.Length, float.NaN), dxp = ConvCases.Filled(dx.Length, float.NaN);
            int[] cuts = ConvCases.Cuts(pixels, random);
            for (int j = 0; j + 1 < cuts.Length; j++) Conv2DKernels.Forward(yp, x, w, b, g, rows, true, cuts[j], cuts[j + 1]);
            Assert.Equal(y, yp);
            cuts = ConvCases.Cuts(g.Filters, random);
            for (int j = 0; j + 1 < cuts.Length; j++) Conv2DKernels.WeightGradient(dwp, dbp, dy, x, g, rows, cuts[j], cuts[j + 1]);
            Assert.Equal(dw, dwp);
            Assert.Equal(db, dbp);
            cuts = ConvCases.Cuts(imageRows, random);
            for (int j = 0; j + 1 < cuts.Length; j++) Conv2DKernels.InputGradient(dxp, dy, w, g, rows, cuts[j], cuts[j + 1]);
            Assert.Equal(dx, dxp);
        }
    }

    [Fact]
    public void A_part_writes_only_its_own_range()
    {
        Conv2DGeometry g = Conv2DGeometry.Create(6, 6, 3, 33, 3, 3, 1, 1, same: true);
        int rows = 2, pixels = rows * 36;
        float[] x = ConvCases.Random(rows * 108, 1), w = ConvCases.Random(9 * 3 * 33, 2), b = ConvCases.Random(33, 3), dy = ConvCases.Random(pixels * 33, 4);
        float[] y = ConvCases.Filled(pixels * 33, float.NaN);
        Conv2DKernels.Forward(y, x, w, b, g, rows, false, 5, 40);
        for (int i = 0; i < y.Length; i++) Assert.Equal(i >= 5 * 33 && i < 40 * 33, !float.IsNaN(y[i]));
        float[] dw = ConvCases.Filled(w.Length, float.NaN), db = ConvCases.Filled(33, float.NaN);
        Conv2DKernels.WeightGradient(dw, db, dy, x, g, rows, 3, 20);
        for (int i = 0; i < dw.Length; i++) Assert.Equal(i % 33 >= 3 && i % 33 < 20, !float.IsNaN(dw[i]));
        for (int i = 0; i < db.Length; i++) Assert.Equal(i >= 3 && i < 20, !float.IsNaN(db[i]));
        float[] dx = ConvCases.Filled(x.Length, float.NaN);
        Conv2DKernels.InputGradient(dx, dy, w, g, rows, 4, 9);
        for (int i = 0; i < dx.Length; i++) Assert.Equal(i >= 4 * 18 && i < 9 * 18, !float.IsNaN(dx[i]));
    }

    /// <summary>L = Σ r ⊙ Forward(x, w, b) (no ReLU, so L is linear in each of x, w and b and central differences are exact up to rounding).</summary>
    private static double Loss(float[] r, float[] x, float[] w, float[] b, in Conv2DGeometry g, int rows)
    {
        float[] y = new float[r.Length];
        Conv2DKernels.Forward(y, x, w, b, g, rows, false, 0, rows * g.OutputHeight * g.OutputWidth);
        double s = 0;
        for (int i = 0; i < y.Length; i++) s += (double)r[i] * y[i];
        return s;
    }

    private static void CheckDifferences(float[] v, float[] analytic, Func<double> loss, string what)
    {
        for (int i = 0; i < v.Length; i += Math.Max(1, v.Length / 150))
        {
            float saved = v[i];
            v[i] = saved + 0.05f;
            double up = loss();
            v[i] = saved - 0.05f;
            double down = loss();
            v[i] = saved;
            double numeric = (up - down) / 0.1;
            Assert.True(Math.Abs(analytic[i] - numeric) <= 1e-3 + 1e-3 * Math.Abs(numeric), $"{what} {i}: gradient {analytic[i]}, finite differences {numeric}");
        }
        Assert.Contains(analytic, a => Math.Abs(a) > 0.1f);
    }

    [Theory]
    [InlineData(7, 6, 3, 5, 3, 3, 2, 2, true, 2)]
    [InlineData(6, 6, 4, 16, 3, 3, 1, 1, true, 1)]
    [InlineData(8, 7, 2, 9, 4, 2, 3, 1, false, 2)]
    [InlineData(5, 5, 3, 32, 1, 1, 2, 2, true, 1)]
    public void Gradients_match_central_differences_of_a_loss_through_Forward(int h, int wd, int c, int f, int kh, int kw, int sh, int sw, bool same, int rows)
    {
        Conv2DGeometry g = Conv2DGeometry.Create(h, wd, c, f, kh, kw, sh, sw, same);
        float[] x = ConvCases.Random(rows * h * wd * c, 1), w = ConvCases.Random(kh * kw * c * f, 2), b = ConvCases.Random(f, 3);
        float[] r = ConvCases.Random(rows * g.OutputHeight * g.OutputWidth * f, 4);
        float[] dw = new float[w.Length], db = new float[f], dx = new float[x.Length];
        Conv2DKernels.WeightGradient(dw, db, r, x, g, rows, 0, f);
        Conv2DKernels.InputGradient(dx, r, w, g, rows, 0, rows * h);
        CheckDifferences(w, dw, () => Loss(r, x, w, b, g, rows), "dw");
        CheckDifferences(b, db, () => Loss(r, x, w, b, g, rows), "db");
        CheckDifferences(x, dx, () => Loss(r, x, w, b, g, rows), "dx");
    }

    [Fact]
    public void Relu_is_fused_and_propagates_NaN()
    {
        Conv2DGeometry g = Conv2DGeometry.Create(4, 4, 1, 33, 1, 1, 1, 1, same: false);
        float[] x = [1, -1, 2, -2, 0.5f, float.NaN, 3, -3, 1, 1, 1, 1, -1, -1, -1, -1];
        float[] w = ConvCases.Filled(33, 1f), b = new float[33], y = new float[16 * 33];
        Conv2DKernels.Forward(y, x, w, b, g, 1, true, 0, 16);
        for (int p = 0; p < 16; p++)
            for (int f = 0; f < 33; f++)
                if (float.IsNaN(x[p])) Assert.True(float.IsNaN(y[p * 33 + f]), $"pixel {p} filter {f}: {y[p * 33 + f]}");
                else Assert.Equal(Math.Max(0f, x[p]), y[p * 33 + f]);
    }

    [Theory]
    [InlineData(5, 3, 2, true, 3, 1)] // pad_total = max(2·2 + 3 - 5, 0) = 2: one each side
    [InlineData(6, 3, 2, true, 3, 0)] // pad_total = 1: the extra row at the bottom
    [InlineData(7, 4, 1, true, 7, 1)] // pad_total = 3: 1 on top, 2 below
    [InlineData(5, 1, 2, true, 3, 0)]
    [InlineData(4, 5, 1, true, 4, 2)]
    [InlineData(7, 3, 2, false, 3, 0)]
    [InlineData(8, 3, 2, false, 3, 0)]
    [InlineData(5, 5, 1, false, 1, 0)]
    public void Geometry_follows_TensorFlow_padding(int size, int kernel, int stride, bool same, int output, int pad)
    {
        Conv2DGeometry g = Conv2DGeometry.Create(size, size + 1, 2, 3, kernel, kernel, stride, stride, same);
        Assert.Equal((output, pad), (g.OutputHeight, g.PadTop));
        Conv2DGeometry wide = Conv2DGeometry.Create(size + 1, size, 2, 3, kernel, kernel, stride, stride, same);
        Assert.Equal((output, pad), (wide.OutputWidth, wide.PadLeft));
        Assert.Equal(new Conv2DGeometry(size, size + 1, 2, 3, kernel, kernel, stride, stride, pad, g.PadLeft, output, g.OutputWidth), g);
    }

    [Fact]
    public void Invalid_geometries_are_rejected_with_the_numbers()
    {
        var e = Assert.Throws<ArgumentException>(() => Conv2DGeometry.Create(2, 5, 1, 1, 3, 3, 1, 1, same: false));
        Assert.Contains("kernel height 3 exceeds the input height 2", e.Message);
        e = Assert.Throws<ArgumentException>(() => Conv2DGeometry.Create(5, 2, 1, 1, 3, 3, 1, 1, same: false));
        Assert.Contains("kernel width 3 exceeds the input width 2", e.Message);
        Assert.Equal(2, Conv2DGeometry.Create(2, 2, 1, 1, 3, 3, 1, 1, same: true).OutputHeight); // 'same' pads instead
        int[] good = [4, 4, 1, 1, 2, 2, 1, 1];
        string[] names = ["height", "width", "channels", "filters", "kernelHeight", "kernelWidth", "strideHeight", "strideWidth"];
        for (int i = 0; i < good.Length; i++)
            foreach (int bad in new[] { 0, -2 })
            {
                int[] a = (int[])good.Clone();
                a[i] = bad;
                e = Assert.Throws<ArgumentException>(() => Conv2DGeometry.Create(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], same: true));
                Assert.Contains($"{names[i]} must be positive, got {bad}", e.Message);
            }
        // A geometry built by hand that does not hang together is refused by the kernels.
        var inconsistent = new Conv2DGeometry(4, 4, 1, 1, 3, 3, 1, 1, 0, 0, 5, 2);
        e = Assert.Throws<ArgumentException>(() => Conv2DKernels.Forward(new float[50], new float[16], new float[9], new float[1], inconsistent, 1, false, 0, 10));
        Assert.Contains("inconsistent", e.Message);
        var padded = new Conv2DGeometry(4, 4, 1, 1, 3, 3, 1, 1, 3, 0, 2, 2);
        Assert.Throws<ArgumentException>(() => Conv2DKernels.InputGradient(new float[16], new float[4], new float[9], padded, 1, 0, 4));
    }

    [Theory]
    [InlineData(0, 4, 1, 1, 3, 3, 1, 1, 0, 0, 2, 2)]  // a size that is not positive
    [InlineData(4, 4, 1, 0, 3, 3, 1, 1, 0, 0, 2, 2)]
    [InlineData(4, 4, 1, 1, 3, 3, 0, 1, 0, 0, 2, 2)]
    [InlineData(4, 4, 1, 1, 3, 3, 1, 1, 0, 0, 0, 2)]
    [InlineData(4, 4, 1, 1, 3, 3, 1, 1, 0, 0, 2, 0)]
    [InlineData(4, 4, 1, 1, 3, 3, 1, 1, -1, 0, 2, 2)] // negative padding
    [InlineData(4, 4, 1, 1, 3, 3, 1, 1, 0, -1, 2, 2)]
    [InlineData(4, 4, 1, 1, 3, 3, 1, 1, 0, 3, 2, 2)]  // padding as wide as the kernel: a window entirely outside
    [InlineData(4, 4, 1, 1, 3, 3, 1, 1, 0, 0, 2, 5)]  // the last window starts past the input
    [InlineData(4, 4, 1, 1, 3, 3, 2, 1, 0, 0, 3, 2)]
    public void Geometries_that_do_not_hang_together_are_refused(int h, int w, int c, int f, int kh, int kw, int sh, int sw, int pt, int pl, int oh, int ow)
    {
        var g = new Conv2DGeometry(h, w, c, f, kh, kw, sh, sw, pt, pl, oh, ow);
        float[] big = new float[4096];
        var e = Assert.Throws<ArgumentException>(() => Conv2DKernels.WeightGradient(big, big, big, big, g, 1, 0, 0));
        Assert.Contains("inconsistent", e.Message);
        Assert.Throws<ArgumentException>(() => Conv2DKernels.InputGradient(big, big, big, g, 1, 0, 0));
        if (f == c) Assert.Throws<ArgumentException>(() => PoolingKernels.AverageForward(big, big, g, 1));
        // The same numbers with the geometry made consistent are accepted.
        Conv2DKernels.WeightGradient(big, big, big, big, new Conv2DGeometry(4, 4, 1, 1, 3, 3, 1, 1, 0, 0, 2, 2), 1, 0, 0);
    }

    [Fact]
    public void Short_spans_and_bad_ranges_are_rejected_with_the_numbers()
    {
        Conv2DGeometry g = Conv2DGeometry.Create(5, 5, 2, 3, 3, 3, 1, 1, same: false); // 3x3x3 output, 54-float kernel
        float[] x = new float[2 * 50], w = new float[54], b = new float[3], y = new float[2 * 27];
        var e = Assert.Throws<ArgumentException>(() => Conv2DKernels.Forward(y, x.AsSpan(1), w, b, g, 2, false, 0, 18));
        Assert.Contains("x must hold at least 100 floats (rows·H·W·C = 2·5·5·2), got 99", e.Message);
        e = Assert.Throws<ArgumentException>(() => Conv2DKernels.Forward(y.AsSpan(1), x, w, b, g, 2, false, 0, 18));
        Assert.Contains("y must hold at least 54 floats", e.Message);
        e = Assert.Throws<ArgumentException>(() => Conv2DKernels.Forward(y, x, w.AsSpan(1), b, g, 2, false, 0, 18));
        Assert.Contains("w must hold at least 54 floats (KH·KW·C·F = 3·3·2·3), got 53", e.Message);
        e = Assert.Throws<ArgumentException>(() => Conv2DKernels.Forward(y, x, w, b.AsSpan(1), g, 2, false, 0, 18));
        Assert.Contains("b must hold at least 3 floats (F), got 2", e.Message);
        e = Assert.Throws<ArgumentException>(() => Conv2DKernels.Forward(y, x, w, b, g, 2, false, 0, 19));
        Assert.Contains("[p0, p1) = [0, 19) must lie within [0, 18]", e.Message);
        Assert.Throws<ArgumentException>(() => Conv2DKernels.Forward(y, x, w, b, g, 2, false, 5, 4));
        Assert.Throws<ArgumentException>(() => Conv2DKernels.Forward(y, x, w, b, g, 2, false, -1, 4));
        e = Assert.Throws<ArgumentException>(() => Conv2DKernels.Forward(y, x, w, b, g, -1, false, 0, 0));
        Assert.Contains("rows must not be negative, got -1", e.Message);
        e = Assert.Throws<ArgumentException>(() => Conv2DKernels.WeightGradient(new float[53], b, y, x, g, 2, 0, 3));
        Assert.Contains("dw must hold at least 54 floats", e.Message);
        e = Assert.Throws<ArgumentException>(() => Conv2DKernels.WeightGradient(w, new float[2], y, x, g, 2, 0, 3));
        Assert.Contains("db must hold at least 3 floats", e.Message);
        e = Assert.Throws<ArgumentException>(() => Conv2DKernels.WeightGradient(w, b, y.AsSpan(1), x, g, 2, 0, 3));
        Assert.Contains("dy must hold at least 54 floats", e.Message);
        e = Assert.Throws<ArgumentException>(() => Conv2DKernels.WeightGradient(w, b, y, x, g, 2, 1, 4));
        Assert.Contains("[f0, f1) = [1, 4) must lie within [0, 3]", e.Message);
        e = Assert.Throws<ArgumentException>(() => Conv2DKernels.InputGradient(x.AsSpan(1), y, w, g, 2, 0, 10));
        Assert.Contains("dx must hold at least 100 floats", e.Message);
        e = Assert.Throws<ArgumentException>(() => Conv2DKernels.InputGradient(x, y, w, g, 2, 0, 11));
        Assert.Contains("[r0, r1) = [0, 11) must lie within [0, 10]", e.Message);
        // Longer spans are fine (only the leading elements are used), and empty ranges do nothing.
        Conv2DKernels.Forward(new float[100], new float[200], new float[60], new float[5], g, 2, false, 0, 18);
        Conv2DKernels.Forward(y, x, w, b, g, 2, false, 7, 7);
    }

    [Fact]
    public void Zero_rows_give_zero_weight_gradients()
    {
        Conv2DGeometry g = Conv2DGeometry.Create(5, 5, 2, 9, 3, 3, 1, 1, same: false);
        float[] dw = ConvCases.Filled(162, 7f), db = ConvCases.Filled(9, 7f);
        Conv2DKernels.WeightGradient(dw, db, [], [], g, 0, 2, 9);
        for (int i = 0; i < dw.Length; i++) Assert.Equal(i % 9 < 2 ? 7f : 0f, dw[i]);
        Assert.Equal([7f, 7f, 0, 0, 0, 0, 0, 0, 0], db);
    }

    [Fact]
    public void Kernels_allocate_nothing()
    {
        Conv2DGeometry g = Conv2DGeometry.Create(13, 13, 32, 64, 3, 3, 1, 1, same: true);
        float[] x = ConvCases.Random(2 * 13 * 13 * 32, 1), w = ConvCases.Random(9 * 32 * 64, 2), b = new float[64], y = new float[2 * 13 * 13 * 64];
        float[] dw = new float[w.Length], db = new float[64], dx = new float[x.Length], global = new float[128], pooled = new float[2 * 7 * 7 * 64], dp = new float[y.Length];
        Conv2DGeometry pool = Conv2DGeometry.Create(13, 13, 64, 64, 2, 2, 2, 2, same: true);
        void Step()
        {
            Conv2DKernels.Forward(y, x, w, b, g, 2, true, 0, 2 * 169);
            Conv2DKernels.WeightGradient(dw, db, y, x, g, 2, 0, 64);
            Conv2DKernels.InputGradient(dx, y, w, g, 2, 0, 26);
            PoolingKernels.MaxForward(pooled, y, pool, 2);
            PoolingKernels.MaxBackward(dp, pooled, y, pooled, pool, 2);
            PoolingKernels.AverageForward(pooled, y, pool, 2);
            PoolingKernels.AverageBackward(dp, pooled, pool, 2);
            PoolingKernels.GlobalAverageForward(global, y, 169, 64);
            PoolingKernels.GlobalMaxForward(global, y, 169, 64);
            PoolingKernels.GlobalMaxBackward(dp, global, y, global, 169, 64);
        }
        // Warm-up past the JIT's tiering (its promotions can allocate on the calling thread), by time rather than a count.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.ElapsedMilliseconds < 500) Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++) Step();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
