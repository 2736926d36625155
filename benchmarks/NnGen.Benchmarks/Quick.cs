using System;
using System.Diagnostics;
using FashionMnistSample;

namespace NnGen.Benchmarks;

/// <summary>
/// `quick`: a Stopwatch run of the same workloads, for fast iteration while tuning kernels (BenchmarkDotNet is the
/// reference). `quick predict` runs only the single-sample Predict loop, long enough to profile.
/// </summary>
internal static class Quick
{
    public static void Run(string? only)
    {
        Console.WriteLine($"kernels: {NnGen.Kernels.Simd.Description}, threads: {NnGen.Kernels.Workers.Count}, Vector512 accelerated: {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}");
        if (only == "predict")
        {
            PredictOne(1_000_000);
            return;
        }
        foreach (int batch in new[] { 32, 256 })
        {
            var data = new Workloads.Epoch(() => new MnistMlp(1), batch);
            INetwork n = data.Net;
            int steps = data.Steps;
            var sw = Stopwatch.StartNew();
            for (int i = 0; sw.ElapsedMilliseconds < 1500; i++) data.Step(i); // past tiered compilation
            sw.Restart();
            for (int i = 0; i < steps; i++) data.Step(i);
            double step = sw.Elapsed.TotalSeconds;
            sw.Restart();
            for (int i = 0; i < steps; i++) data.Gradients(i);
            double grads = sw.Elapsed.TotalSeconds;
            sw.Restart();
            for (int i = 0; i < steps; i++) n.Optimizer.Update(n.Parameters, n.Gradients);
            Console.WriteLine($"batch {batch}: {step:F3} s per 48,000-sample epoch of steps; forward+backward {grads:F3} s, optimizer {sw.Elapsed.TotalSeconds:F3} s");
        }
        {
            INetwork opt = new OptimizedMlp(1);
            var (x, y) = Workloads.Batch(12000);
            opt.Fit(x, y, epochs: 1, verbose: 0);
            var sw = Stopwatch.StartNew();
            opt.Fit(x, y, epochs: 1, verbose: 0);
            double fit = sw.Elapsed.TotalSeconds;
            sw.Restart();
            opt.Evaluate(x, y);
            Console.WriteLine($"optimized model: Fit of 12,000 samples {fit:F3} s, Evaluate of 12,000 {sw.Elapsed.TotalSeconds:F3} s");
        }
        {
            var net = new MnistMlp(1);
            var (x, _) = Workloads.Batch(1000);
            float[] outputs = new float[1000 * 10];
            for (int i = 0; i < 20; i++) net.Predict(x, outputs);
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < 50; i++) net.Predict(x, outputs);
            Console.WriteLine($"predict batch 1000: {50_000 / sw.Elapsed.TotalSeconds:N0} samples/s");
        }
        PredictOne(100_000);
    }

    private static void PredictOne(int calls)
    {
        var net = new MnistMlp(1);
        float[] one = Workloads.Batch(1).X;
        float[] o = new float[10];
        for (int i = 0; i < 20000; i++) net.Predict(one, o);
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < calls; i++) net.Predict(one, o);
        Console.WriteLine($"predict batch 1: {sw.Elapsed.TotalMilliseconds * 1000 / calls:F2} us per sample");
    }
}
