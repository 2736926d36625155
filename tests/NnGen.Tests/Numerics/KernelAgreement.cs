using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using NnGen.Kernels;
using NnGen.Reference;

namespace NnGen.Tests.Numerics;

/// <summary>
/// Checks a generated network's forward pass, loss and gradients against the double-precision reference for batch sizes that
/// hit every tile shape. Used in-process (the SIMD path on this machine) and in a child process started with
/// NNGEN_DISABLE_SIMD=1 (the portable path), since the path is fixed once per process.
/// </summary>
internal static class KernelAgreement
{
    public static string? Check(string name)
    {
        INetwork net = TestData.Create(name, seed: 3);
        GradientTests.PerturbBiases(net);
        foreach (int rows in new[] { 1, 2, 3, 4, 5, 9 }) // every tile shape: 2- and 4-row tiles, 1-row remainders
        {
            (float[] x, float[] y) = TestData.Batch(net, rows, seed: rows);
            double[] expected = ReferenceNetwork.Forward(net.Layers, net.Parameters, x, rows)[^1];
            float[] actual = new float[rows * net.OutputSize];
            net.Predict(x, actual);
            for (int i = 0; i < actual.Length; i++)
                if (!(Math.Abs(actual[i] - expected[i]) <= 1e-5 + 1e-4 * Math.Abs(expected[i])))
                    return $"{name}, {rows} rows: output {i} is {actual[i]}, reference {expected[i]}";
            float loss = net.ComputeGradients(x, y, out _);
            double referenceLoss = ReferenceNetwork.Loss(net.Loss, expected, y, net.OutputSize);
            if (!(Math.Abs(loss - referenceLoss) <= 1e-4 + 1e-4 * Math.Abs(referenceLoss)))
                return $"{name}, {rows} rows: loss is {loss}, reference {referenceLoss}";
            double[] grads = ReferenceNetwork.Gradients(net.Layers, net.Loss, net.Parameters, x, y, rows);
            double scale = grads.Max(Math.Abs);
            for (int i = 0; i < grads.Length; i++)
                if (!(Math.Abs(net.Gradients[i] - grads[i]) <= 1e-5 * scale + 1e-4 * Math.Abs(grads[i])))
                    return $"{name}, {rows} rows: gradient {i} is {net.Gradients[i]}, reference {grads[i]}";
        }
        return null;
    }

    /// <summary>A seeded training run of the seed model on synthetic data: its History, one loss per line ("R" format).</summary>
    public static string TrainingHistory()
    {
        var net = new Networks.MnistMlp(seed: 11);
        (float[] x, float[] y) = TestData.Batch(net, rows: 600, seed: 12);
        History history = net.Fit(x, y, epochs: 3, batchSize: 32, validationSplit: 0.2, seed: 13, verbose: 0);
        return string.Join("\n", history.Loss.Concat(history.ValLoss).Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
    }

    public static int PrintTrainingHistory(TextWriter output)
    {
        output.WriteLine(TrainingHistory());
        return 0;
    }

    /// <summary>Entry point of the child process: checks every network, prints the kernel path, exits 1 on a mismatch.</summary>
    public static int RunAll(TextWriter output)
    {
        output.WriteLine($"kernels: {Simd.Description}");
        int failures = 0;
        foreach (string name in TestData.Names)
        {
            string? error = Check(name);
            output.WriteLine(error ?? $"{name}: ok");
            if (error is not null) failures++;
        }
        return failures == 0 ? 0 : 1;
    }
}

public class KernelPathTests
{
    [Theory]
    [MemberData(nameof(TestData.NetworkNames), MemberType = typeof(TestData))]
    public void Generated_kernels_agree_with_the_reference_on_this_machines_path(string name) =>
        Assert.Null(KernelAgreement.Check(name));

    /// <summary>Runs the test assembly as a program (Program.cs) with one environment variable set; returns its output.</summary>
    internal static string RunChild(string mode, string variable, string value)
    {
        string assembly = typeof(KernelPathTests).Assembly.Location;
        var start = new ProcessStartInfo(Environment.ProcessPath!, ["exec", assembly, mode])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment[variable] = value;
        using Process process = Process.Start(start)!;
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{mode} with {variable}={value}: exit code {process.ExitCode}\n{stdout}\n{stderr}");
        return stdout;
    }

    [Fact]
    public void Training_history_is_the_same_on_the_portable_path_within_rounding()
    {
        float[] simd = Parse(KernelAgreement.TrainingHistory());
        float[] portable = Parse(RunChild("train-history", "NNGEN_DISABLE_SIMD", "1"));
        Assert.Equal(simd.Length, portable.Length);
        for (int i = 0; i < simd.Length; i++)
            Assert.True(Math.Abs(simd[i] - portable[i]) <= 1e-3f * Math.Abs(simd[i]), $"loss {i}: {simd[i]} with SIMD, {portable[i]} portable");
    }

    [Fact]
    public void Training_history_is_bit_identical_with_one_thread()
    {
        // Parts split whole output columns, so each number is computed by the same instructions whatever the thread count.
        Assert.Equal(KernelAgreement.TrainingHistory(), RunChild("train-history", "NNGEN_THREADS", "1").TrimEnd());
    }

    private static float[] Parse(string lines) =>
        lines.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => float.Parse(l, System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    [Fact]
    public void The_256_bit_path_agrees_with_the_reference_where_512_bit_vectors_would_run()
    {
        // Widths that are multiples of 32 take 512-bit tiles on AVX-512 machines; this forces their 256-bit tiles.
        string stdout = RunChild("kernel-check", "NNGEN_DISABLE_AVX512", "1");
        Assert.Contains("kernels: Vector256", stdout);
        Assert.Equal(TestData.Names.Length, stdout.Split('\n').Count(l => l.EndsWith(": ok", StringComparison.Ordinal)));
    }

    [Fact]
    public void Portable_fallback_path_agrees_with_the_reference()
    {
        string stdout = RunChild("kernel-check", "NNGEN_DISABLE_SIMD", "1");
        Assert.Contains("kernels: portable scalar", stdout);
        Assert.Equal(TestData.Names.Length, stdout.Split('\n').Count(l => l.EndsWith(": ok", StringComparison.Ordinal)));
    }
}
