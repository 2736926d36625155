using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using FashionMnistSample;
using Microsoft.ML.OnnxRuntime;
using NnGen.Onnx;

namespace NnGen.Benchmarks;

/// <summary>
/// `onnx`: NnGen's Predict against ONNX Runtime's C# session on the model NnGen exports of the same network (the tutorial's
/// MLP and the simple convnet, seed weights), at batch 1 and 1,000, on 1 thread and on every core. Each engine runs in
/// a child process of its own for each thread count (NnGen's is fixed at start, NNGEN_THREADS; ONNX Runtime's threads
/// spin after a run and would take NnGen's cores if they shared a process), the two engines' processes alternating twice;
/// each figure is the fastest of those rounds (five per process, about 0.1 s each). ONNX Runtime gets its best case: all graph optimisations, its input and output
/// tensors created once, the Run overload that writes into them, and as many intra-op threads as NnGen has.
/// </summary>
internal static class OnnxRuntimeComparison
{
    private const int Rounds = 5;
    private const int Repeats = 2;

    public static void Run(string[] args)
    {
        if (args is ["onnx-child", var count, var engine]) { Child(int.Parse(count, CultureInfo.InvariantCulture), engine == "ort"); return; }
        Console.WriteLine($"ONNX Runtime {typeof(InferenceSession).Assembly.GetName().Version}; NnGen kernels: {NnGen.Kernels.Simd.Description}; {Environment.ProcessorCount} cores");
        Console.WriteLine("| model | batch | threads | NnGen Predict | ONNX Runtime | NnGen speed-up |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (int threads in new[] { 1, Environment.ProcessorCount }.Distinct())
        {
            string t = threads.ToString(CultureInfo.InvariantCulture);
            Dictionary<string, double> nn = [], ort = [];
            for (int repeat = 0; repeat < Repeats; repeat++)
            {
                Fastest(nn, Scaling.RunSelf(["onnx-child", t, "nngen"], threads));
                Fastest(ort, Scaling.RunSelf(["onnx-child", t, "ort"], threads));
            }
            foreach ((string row, double us) in nn)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {row.Replace("\t", " | ")} | {threads} | {Format(us)} | {Format(ort[row])} | {ort[row] / us:F2}x |"));
        }
    }

    private static void Fastest(Dictionary<string, double> best, string output)
    {
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int tab = line.LastIndexOf('\t');
            double us = double.Parse(line[(tab + 1)..], CultureInfo.InvariantCulture);
            string row = line[..tab];
            best[row] = Math.Min(best.GetValueOrDefault(row, double.MaxValue), us);
        }
    }

    /// <summary>One engine's figures on <paramref name="threads"/> threads: lines "model, batch, microseconds", tab-separated.</summary>
    private static void Child(int threads, bool onnxRuntime)
    {
        Measure("MLP 784-256-128-10", new MnistMlp(1), [784], threads, onnxRuntime);
        Measure("simple convnet", new SimpleConvNet(1), [28, 28, 1], threads, onnxRuntime);
    }

    private static void Measure(string name, INetwork network, long[] sample, int threads, bool onnxRuntime)
    {
        using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(network.ToOnnx(), options);
        using var runOptions = new RunOptions();
        foreach (int batch in new[] { 1, 1000 })
        {
            var rng = new Rng(batch);
            float[] x = new float[batch * network.InputSize], ours = new float[batch * network.OutputSize], theirs = new float[ours.Length];
            for (int i = 0; i < x.Length; i++) x[i] = rng.NextFloat();
            using OrtValue input = OrtValue.CreateTensorValueFromMemory(x, [batch, .. sample]);
            using OrtValue output = OrtValue.CreateTensorValueFromMemory(theirs, [batch, network.OutputSize]);
            OrtValue[] inputs = [input], outputs = [output];
            string[] inputNames = ["input"], outputNames = ["output"];

            // Both compute the same outputs (the tests hold them to 1e-5); a check here keeps the benchmark honest.
            network.Predict(x, ours);
            session.Run(runOptions, inputNames, inputs, outputNames, outputs);
            float worst = ours.Zip(theirs, (a, b) => Math.Abs(a - b)).Max();
            if (worst > 1e-4f) throw new InvalidOperationException($"{name}, batch {batch}: NnGen and ONNX Runtime differ by {worst}.");

            // Each engine in a process of its own, so that neither's idle threads (ONNX Runtime's spin) take the other's cores.
            Action call = onnxRuntime ? () => session.Run(runOptions, inputNames, inputs, outputNames, outputs) : () => network.Predict(x, ours);
            for (int w = 0; w < 200; w++) call(); // past tiered compilation and ONNX Runtime's first runs
            int calls = Math.Max(3, (int)(100_000 / Timing.PerCallUs(10, call))); // about 0.1 s a round
            double best = double.MaxValue;
            for (int r = 0; r < Rounds; r++) best = Math.Min(best, Timing.PerCallUs(calls, call));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}\t{batch:N0}\t{best:R}"));
        }
    }

    private static string Format(double us) => us >= 1000 ? string.Create(CultureInfo.InvariantCulture, $"{us / 1000:F2} ms") : string.Create(CultureInfo.InvariantCulture, $"{us:F1} us");
}
