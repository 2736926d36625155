using System;
using System.Diagnostics;
using System.IO;
using System.Numerics.Tensors;
using NnGen.Tests.Networks;
using NnGen.Tests.Numerics;

namespace NnGen.Tests.Training;

/// <summary>
/// A timing program, not a test (timing is never asserted): what Fit's safety checks cost. Run with
/// <c>dotnet exec tests/NnGen.Tests/bin/Release/net10.0/NnGen.Tests.dll check-timings</c>.
/// </summary>
internal static class CheckTimings
{
    public static int Run(TextWriter output)
    {
        // Per step: the seed model's training step (forward, backward, Adam) against the finiteness check of its
        // 235,146 gradients and the copy of the moving statistics (OptimizedMlp's 1,536).
        INetwork net = new MnistMlp(1);
        (float[] x, float[] y) = TestData.Batch(net, rows: 32, seed: 2);
        const int steps = 2000;
        double step = Time(steps, () =>
        {
            net.ComputeGradients(x, y, out _);
            net.Optimizer.Update(net.Parameters, net.Gradients);
        });
        float sink = 0;
        double sum = Time(steps * 10, () => sink += TensorPrimitives.Sum(net.Gradients));
        double maxMagnitude = Time(steps * 10, () => sink += TensorPrimitives.MaxMagnitude(net.Gradients));
        INetwork normalized = new OptimizedMlp(1);
        float[] state = new float[normalized.NonTrainableParameters.Length];
        double copy = Time(steps * 10, () => normalized.NonTrainableParameters.CopyTo(state));
        output.WriteLine($"seed model step (batch 32): {step:F1} us");
        output.WriteLine($"  Sum of the gradients (the check Fit makes): {sum:F2} us ({100 * sum / step:F1}% of a step)");
        output.WriteLine($"  MaxMagnitude of the gradients, for comparison: {maxMagnitude:F2} us ({100 * maxMagnitude / step:F1}%)");
        output.WriteLine($"  copy of OptimizedMlp's {state.Length} moving statistics: {copy:F3} us");

        // Once per Fit: the data check on Fashion-MNIST-sized data (60,000 x 784 inputs, one-hot targets).
        var rng = new Rng(3);
        float[] images = new float[60000 * 784], labels = new float[60000 * 10];
        for (int i = 0; i < images.Length; i++) images[i] = rng.NextFloat(0, 1);
        for (int r = 0; r < 60000; r++) labels[r * 10 + rng.NextInt(10)] = 1;
        double check = Time(20, () => TrainingData.Check(net, images, labels, 0, "training")) / 1000;
        double epoch = step * 1875 / 1000;
        output.WriteLine($"data check of 60,000 x 784 inputs and one-hot targets: {check:F1} ms (an epoch of batch 32 is ~{epoch:F0} ms)");
        return sink == 12345 ? 1 : 0;
    }

    /// <summary>Mean microseconds per call, after a warm-up.</summary>
    private static double Time(int count, Action action)
    {
        for (int i = 0; i < Math.Max(1, count / 10); i++) action();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < count; i++) action();
        return clock.Elapsed.TotalMicroseconds / count;
    }
}
