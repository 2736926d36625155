using System;
using System.Diagnostics;
using System.Reflection;
using FashionMnistSample;
using NnGen.Kernels;

namespace NnGen.Benchmarks;

/// <summary>
/// `dense-kernels`: per-call Stopwatch times of <see cref="DenseKernels"/> for the seed model's layer shapes at 1 and 32 rows,
/// beside MnistMlp's generated kernels while the generator still writes them (compiled in this project's configuration).
/// </summary>
internal static class DenseKernelTimes
{
    private delegate void ForwardKernel(ref float y, ref float x, ref float w, ref float b, int rows, int j0, int j1);
    private delegate void GradientKernel(ref float output, ref float a, ref float b, int rows, int from, int to);

    public static void Run()
    {
        Console.WriteLine($"kernels: {Simd.Description}; per call, minimum of 15 rounds; generated = MnistMlp's own kernels");
        (int K, int N, bool Relu)[] layers = [(784, 256, true), (256, 128, true), (128, 10, false)];
        foreach (int rows in new[] { 1, 32 })
            for (int i = 0; i < layers.Length; i++)
            {
                (int k, int n, bool relu) = layers[i];
                var rng = new Random(i);
                float[] x = Random(rng, rows * k), w = Random(rng, k * n), b = Random(rng, n), dz = Random(rng, rows * n);
                float[] y = new float[rows * n], dw = new float[k * n], dx = new float[rows * k];
                var forward = Generated<ForwardKernel>($"Dense{i + 1}Forward");
                var weights = Generated<GradientKernel>($"Dense{i + 1}WeightGradient");
                var inputs = i > 0 ? Generated<GradientKernel>($"Dense{i + 1}InputGradient") : null;
                string at = $"{k}x{n}, {rows} rows";
                Report($"Forward {at}", 2.0 * rows * k * n,
                    () => DenseKernels.Forward(ref y[0], ref x[0], ref w[0], ref b[0], rows, k, n, 0, n, relu),
                    forward is null ? null : () => forward(ref y[0], ref x[0], ref w[0], ref b[0], rows, 0, n));
                Report($"WeightGradient {at}", 2.0 * rows * k * n,
                    () => DenseKernels.WeightGradient(ref dw[0], ref dz[0], ref x[0], rows, k, n, 0, n),
                    weights is null ? null : () => weights(ref dw[0], ref dz[0], ref x[0], rows, 0, n));
                Report($"InputGradient {at}", 2.0 * rows * k * n,
                    () => DenseKernels.InputGradient(ref dx[0], ref dz[0], ref w[0], rows, k, n, 0, k),
                    inputs is null ? null : () => inputs(ref dx[0], ref dz[0], ref w[0], rows, 0, k));
            }
    }

    private static float[] Random(Random rng, int n)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)(rng.NextDouble() * 2 - 1);
        return a;
    }

    private static T? Generated<T>(string name) where T : Delegate =>
        typeof(MnistMlp).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)?.CreateDelegate<T>();

    private static void Report(string what, double flops, Action runtime, Action? generated)
    {
        int iterations = Math.Max(20, (int)(1e7 / flops));
        double r = double.MaxValue, g = double.MaxValue;
        for (int round = 0; round < 15; round++) // alternating, so drift in the machine's speed hits both alike
        {
            r = Math.Min(r, Time(runtime, iterations));
            if (generated is not null) g = Math.Min(g, Time(generated, iterations));
        }
        Console.WriteLine(generated is null
            ? $"{what,-32} runtime {r,9:F3} us"
            : $"{what,-32} runtime {r,9:F3} us   generated {g,9:F3} us   runtime/generated {r / g:F2}");
    }

    private static double Time(Action body, int iterations)
    {
        body();
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < iterations; i++) body();
        return sw.Elapsed.TotalMilliseconds * 1000 / iterations;
    }
}
