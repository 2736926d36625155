using System;
using System.Diagnostics;
using FashionMnistSample;

namespace NnGen.Benchmarks;

/// <summary>
/// `overhead [blocks]`: the per-call time of one prediction and of one batch-32 training step, as the median of
/// many short timed blocks, one line per measure. Made to compare two builds on a noisy machine: run both builds'
/// `overhead` alternately (benchmarks/paired.sh) and compare the medians of the same run.
/// </summary>
internal static class Overhead
{
    public static void Run(int blocks)
    {
        var data = new Workloads.Epoch(() => new MnistMlp(1), 32);
        var net = (MnistMlp)data.Net;
        var (x, _) = Workloads.Batch(1);
        float[] output = new float[10];
        int step = 0;
        Warm(() => net.Predict(x, output));
        Warm(() => data.Step(step++));

        double[] predict = new double[blocks], train = new double[blocks];
        for (int b = 0; b < blocks; b++)
        {
            // Interleaved, so both measures see the same load on the machine.
            predict[b] = Timing.PerCallUs(2_000, () => net.Predict(x, output));
            train[b] = Timing.PerCallUs(50, () => data.Step(step++));
        }
        Console.WriteLine($"predict_us {Timing.Median(predict):F3}");
        Console.WriteLine($"train_step_us {Timing.Median(train):F3}");
    }

    private static void Warm(Action call)
    {
        var sw = Stopwatch.StartNew();
        while (sw.ElapsedMilliseconds < 1500) call(); // past tiered compilation
    }
}
