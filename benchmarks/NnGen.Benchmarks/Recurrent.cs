using System;
using System.Diagnostics;
using FashionMnistSample;

namespace NnGen.Benchmarks;

/// <summary>
/// `rnn`: the recurrent samples' models (SequenceLstm, SequenceGru: 28 steps of 28 pixels, 128 units, softmax over 10)
/// timed as benchmarks/pytorch/rnn_bench.py times PyTorch's: a training step (forward, loss, backward, Adam) at batch 32
/// over distinct batches of 48,000 synthetic samples, and Predict at batch 1 and 32; the mean over 2 s after 0.5 s of warm-up.
/// Prints JSON: {name: seconds per operation}. `rnn --quick` times 0.5 s.
/// </summary>
internal static class Recurrent
{
    public static void Run(string[] args)
    {
        double seconds = Array.IndexOf(args, "--quick") >= 0 ? 0.5 : 2.0;
        var results = new System.Collections.Generic.Dictionary<string, double>();
        foreach ((string name, Func<INetwork> create) in new (string, Func<INetwork>)[] { ("Lstm", () => new SequenceLstm(1)), ("Gru", () => new SequenceGru(1)) })
        {
            var epoch = new Workloads.Epoch(create, 32);
            int step = 0;
            results[$"{name}TrainStep/32"] = Time(() => epoch.Step(step++), seconds);
            INetwork net = epoch.Net;
            var (x, _) = Workloads.Batch(32);
            float[] outputs = new float[32 * 10];
            results[$"{name}Predict/1"] = Time(() => net.Predict(x.AsSpan(0, 784), outputs.AsSpan(0, 10)), seconds);
            results[$"{name}Predict/32"] = Time(() => net.Predict(x, outputs), seconds);
        }
        Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(results));
    }

    private static double Time(Action operation, double seconds)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed.TotalSeconds < seconds / 4) operation();
        long n = 0;
        sw.Restart();
        while (sw.Elapsed.TotalSeconds < seconds) { operation(); n++; }
        return sw.Elapsed.TotalSeconds / n;
    }
}
