using System;
using System.Globalization;
using System.Linq;
using FashionMnistSample;
using Microsoft.ML.OnnxRuntime;
using NnGen.Onnx;

namespace NnGen.Benchmarks;

/// <summary>
/// `onnx`: NnGen's Predict against ONNX Runtime's C# session on the model NnGen exports of the same network (the tutorial's
/// MLP and the simple convnet, seed weights), at batch 1 and 1,000, on 1 thread and on every core. One child process
/// per thread count (NnGen's thread count is fixed at start, NNGEN_THREADS); in each, the two run alternately, and each
/// figure is the fastest of five rounds of about 0.1 s of NnGen's calls. ONNX Runtime gets its best case: all graph optimisations, its input and output
/// tensors created once, the Run overload that writes into them, and as many intra-op threads as NnGen has.
/// </summary>
internal static class OnnxRuntimeComparison
{
    private const int Rounds = 5;

    public static void Run(string[] args)
    {
        if (args is ["onnx-child", var count]) { Child(int.Parse(count, CultureInfo.InvariantCulture)); return; }
        Console.WriteLine($"ONNX Runtime {typeof(InferenceSession).Assembly.GetName().Version}; NnGen kernels: {NnGen.Kernels.Simd.Description}; {Environment.ProcessorCount} cores");
        Console.WriteLine("| model | batch | threads | NnGen Predict | ONNX Runtime | NnGen speed-up |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (int threads in new[] { 1, Environment.ProcessorCount }.Distinct())
            Console.Write(Scaling.RunSelf(["onnx-child", threads.ToString(CultureInfo.InvariantCulture)], threads));
    }

    private static void Child(int threads)
    {
        Compare("MLP 784-256-128-10", new MnistMlp(1), [784], threads);
        Compare("simple convnet", new SimpleConvNet(1), [28, 28, 1], threads);
    }

    private static void Compare(string name, INetwork network, long[] sample, int threads)
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
            void Nn() => network.Predict(x, ours);
            void Ort() => session.Run(runOptions, inputNames, inputs, outputNames, outputs);

            // Both compute the same outputs (the tests hold them to 1e-5); a check here keeps the benchmark honest.
            Nn(); Ort();
            float worst = ours.Zip(theirs, (a, b) => Math.Abs(a - b)).Max();
            if (worst > 1e-4f) throw new InvalidOperationException($"{name}, batch {batch}: NnGen and ONNX Runtime differ by {worst}.");

            for (int w = 0; w < 200; w++) { Nn(); Ort(); } // past tiered compilation and ORT's first runs
            int calls = Math.Max(3, (int)(100_000 / Timing.PerCallUs(10, Nn))); // about 0.1 s of NnGen a round
            double nn = double.MaxValue, ort = double.MaxValue;
            for (int r = 0; r < Rounds; r++)
            {
                nn = Math.Min(nn, Timing.PerCallUs(calls, Nn));
                ort = Math.Min(ort, Timing.PerCallUs(calls, Ort));
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {batch:N0} | {threads} | {Format(nn)} | {Format(ort)} | {ort / nn:F2}x |"));
        }
    }

    private static string Format(double us) => us >= 1000 ? string.Create(CultureInfo.InvariantCulture, $"{us / 1000:F2} ms") : string.Create(CultureInfo.InvariantCulture, $"{us:F1} us");
}
