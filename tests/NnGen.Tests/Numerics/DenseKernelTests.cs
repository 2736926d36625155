using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using NnGen.Kernels;

namespace NnGen.Tests.Numerics;

/// <summary>
/// Checks <see cref="DenseKernels"/> against naive double-precision loops over the shapes that reach every tile and tail,
/// with the column (input) ranges <see cref="Workers.Partition"/> hands out, and bit for bit against the kernels the
/// generator writes for the test networks. Runs in-process (this machine's SIMD path) and in child processes with the
/// 256-bit and the portable paths forced, since the path is fixed once per process.
/// </summary>
internal static class DenseKernelCheck
{
    public static readonly int[] Widths = [1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 160, 256];
    public static readonly int[] Depths = [1, 3, 784];
    public const int MaxRows = 9;

    private const float Unwritten = -12345.5f;

    private static float[] Random(Random rng, int n)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)(rng.NextDouble() * 2 - 1);
        return a;
    }

    private static float[] Filled(int n) => Enumerable.Repeat(Unwritten, n).ToArray();

    /// <summary>
    /// actual against Σ terms computed in double: within (terms + 8)·2⁻²³ of the magnitude of the terms (a bound on any
    /// summation order's float rounding), so a wrong index, stride or tail shows as an error of the size of the values.
    /// </summary>
    private static string? Compare(string what, float actual, double exact, double magnitude, int terms)
    {
        double tolerance = (terms + 8) * Math.Pow(2, -23) * magnitude + 1e-30;
        return Math.Abs(actual - exact) <= tolerance ? null : $"{what}: {actual:R}, reference {exact:R} (tolerance {tolerance:G3})";
    }

    /// <summary>Every (rows, inputs, outputs) of the sweep and every kernel; the first few failures, or none.</summary>
    public static List<string> AgainstReference()
    {
        var failures = new List<string>();
        foreach (int k in Depths)
            foreach (int n in Widths)
                for (int rows = 1; rows <= MaxRows; rows++)
                {
                    var rng = new Random(k * 1000 + n * 10 + rows);
                    float[] x = Random(rng, rows * k), w = Random(rng, k * n), b = Random(rng, n), dz = Random(rng, rows * n);
                    foreach (bool relu in new[] { false, true })
                        Check(failures, $"Forward{(relu ? " relu" : "")} rows {rows}, {k} x {n}", rows * n, n, 32,
                            (y, j0, j1) => DenseKernels.Forward(ref y[0], ref x[0], ref w[0], ref b[0], rows, k, n, j0, j1, relu),
                            i => ForwardReference(x, w, b, k, n, i, relu), k + 1);
                    Check(failures, $"WeightGradient rows {rows}, {k} x {n}", k * n, n, 32,
                        (dw, j0, j1) => DenseKernels.WeightGradient(ref dw[0], ref dz[0], ref x[0], rows, k, n, j0, j1),
                        i => Sum(rows, r => (double)x[r * k + i / n] * dz[r * n + i % n]), rows);
                    Check(failures, $"InputGradient rows {rows}, {k} x {n}", rows * k, k, 4,
                        (dx, k0, k1) => DenseKernels.InputGradient(ref dx[0], ref dz[0], ref w[0], rows, k, n, k0, k1),
                        i => Sum(n, j => (double)dz[i / k * n + j] * w[i % k * n + j]), n);
                    if (failures.Count >= 10) return failures;
                }
        return failures;
    }

    private static (double Value, double Magnitude) Sum(int count, Func<int, double> term)
    {
        double s = 0, m = 0;
        for (int i = 0; i < count; i++)
        {
            double t = term(i);
            s += t;
            m += Math.Abs(t);
        }
        return (s, m);
    }

    private static (double, double) ForwardReference(float[] x, float[] w, float[] b, int k, int n, int i, bool relu)
    {
        (double s, double m) = Sum(k, q => (double)x[i / n * k + q] * w[q * n + i % n]);
        s += b[i % n];
        return (relu ? Math.Max(0, s) : s, m + Math.Abs(b[i % n]));
    }

    /// <summary>
    /// Runs the kernel over the whole range, then part by part as 1 to 3 threads would get them: every part writes only
    /// its own columns, the parts together give the whole-range result bit for bit, and that agrees with the reference.
    /// </summary>
    private static void Check(List<string> failures, string what, int length, int width, int align,
        Action<float[], int, int> kernel, Func<int, (double Value, double Magnitude)> reference, int terms)
    {
        float[] whole = Filled(length);
        kernel(whole, 0, width);
        for (int i = 0; i < length; i++)
        {
            (double exact, double magnitude) = reference(i);
            string? error = Compare($"{what}, element {i}", whole[i], exact, magnitude, terms);
            if (error is not null) { failures.Add(error); return; }
        }
        for (int parts = 2; parts <= 3; parts++)
        {
            float[] split = Filled(length);
            for (int part = 0; part < parts; part++)
            {
                (int from, int to) = Workers.Partition(part, parts, width, align);
                float[] one = Filled(length);
                kernel(one, from, to);
                for (int i = 0; i < length; i++)
                {
                    bool inside = i % width >= from && i % width < to;
                    if (!inside && BitConverter.SingleToInt32Bits(one[i]) != BitConverter.SingleToInt32Bits(Unwritten))
                    {
                        failures.Add($"{what}: part [{from}, {to}) of {parts} wrote element {i} (column {i % width})");
                        return;
                    }
                    if (inside) split[i] = one[i];
                }
            }
            for (int i = 0; i < length; i++)
                if (BitConverter.SingleToInt32Bits(split[i]) != BitConverter.SingleToInt32Bits(whole[i]))
                {
                    failures.Add($"{what}: {parts} parts give element {i} = {split[i]:R}, the whole range {whole[i]:R}");
                    return;
                }
        }
    }

    /// <summary>A NaN in a row's input gives NaN in all that row's outputs, through ReLU too (as Keras), and nowhere else.</summary>
    public static List<string> NaNPropagates()
    {
        var failures = new List<string>();
        foreach (int n in Widths)
            for (int nanRow = 0; nanRow < 6; nanRow++) // every place in a 4-row tile and the single rows after it
            {
                const int k = 5, rows = 6;
                var rng = new Random(n);
                float[] x = Random(rng, rows * k), w = Random(rng, k * n), b = Random(rng, n);
                x[nanRow * k + 2] = float.NaN;
                float[] y = Filled(rows * n);
                DenseKernels.Forward(ref y[0], ref x[0], ref w[0], ref b[0], rows, k, n, 0, n, relu: true);
                for (int i = 0; i < y.Length; i++)
                    if (float.IsNaN(y[i]) != (i / n == nanRow) || (i / n != nanRow && y[i] < 0))
                    {
                        failures.Add($"Forward relu {k} x {n}: element {i} (row {i / n}) is {y[i]}; only row {nanRow} should be NaN and none negative");
                        break;
                    }
            }
        return failures;
    }

    /// <summary>Entry point of the child process: prints the kernel path and every failure, exits 1 on any.</summary>
    public static int Run(TextWriter output)
    {
        output.WriteLine($"kernels: {Simd.Description}");
        List<string> failures = [.. AgainstReference(), .. NaNPropagates()];
        foreach (string f in failures) output.WriteLine(f);
        output.WriteLine(failures.Count == 0 ? "dense kernels: ok" : $"dense kernels: {failures.Count} failures");
        return failures.Count == 0 ? 0 : 1;
    }
}

public class DenseKernelTests
{
    [Fact]
    public void Dense_kernels_agree_with_a_naive_loop_on_every_tile_tail_and_partition()
    {
        List<string> failures = DenseKernelCheck.AgainstReference();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Dense_forward_relu_propagates_NaN_and_clamps_negatives()
    {
        List<string> failures = DenseKernelCheck.NaNPropagates();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [InlineData("NNGEN_DISABLE_SIMD", "kernels: portable scalar")]
    [InlineData("NNGEN_DISABLE_AVX512", "kernels: Vector256")]
    public void Dense_kernels_agree_on_the_forced_paths(string variable, string path)
    {
        string stdout = KernelPathTests.RunChild("dense-kernel-check", variable, "1");
        Assert.Contains(path, stdout);
        Assert.Contains("dense kernels: ok", stdout);
    }

    [Theory]
    [InlineData(-1, 3, 8, 0, 8, "rows")]
    [InlineData(2, 0, 8, 0, 8, "inputs")]
    [InlineData(2, 3, 0, 0, 0, "outputs")]
    [InlineData(2, 3, 64, 16, 64, "j0")]
    [InlineData(2, 3, 64, 0, 48, "j0")]
    [InlineData(2, 3, 64, 32, 0, "j0")]
    [InlineData(2, 3, 64, 0, 65, "j0")]
    public void Dense_kernels_reject_sizes_and_ranges_they_cannot_compute(int rows, int inputs, int outputs, int j0, int j1, string parameter)
    {
        float[] one = new float[1];
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            DenseKernels.Forward(ref one[0], ref one[0], ref one[0], ref one[0], rows, inputs, outputs, j0, j1, relu: false));
        Assert.Equal(parameter, e.ParamName);
        Assert.Contains(parameter, e.Message);
        string k = parameter == "j0" ? "k0" : parameter;
        var g = Assert.Throws<ArgumentOutOfRangeException>(() =>
            DenseKernels.WeightGradient(ref one[0], ref one[0], ref one[0], rows, inputs, outputs, j0, j1));
        Assert.Equal(parameter, g.ParamName);
        if (parameter == "j0") return; // the input gradient's range is over the inputs: checked below
        var d = Assert.Throws<ArgumentOutOfRangeException>(() =>
            DenseKernels.InputGradient(ref one[0], ref one[0], ref one[0], rows, inputs, outputs, 0, Math.Max(inputs, 0)));
        Assert.Equal(k, d.ParamName);
    }

    [Theory]
    [InlineData(2, 0)]
    [InlineData(0, 6)]
    [InlineData(4, 2)]
    [InlineData(0, 11)]
    public void Dense_input_gradient_rejects_input_ranges_off_the_4_input_blocks(int k0, int k1)
    {
        float[] one = new float[1];
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            DenseKernels.InputGradient(ref one[0], ref one[0], ref one[0], 2, 10, 8, k0, k1));
        Assert.Equal("k0", e.ParamName);
        Assert.Contains("multiple of 4", e.Message);
    }
}
