using System;

namespace NnGen.Benchmarks;

/// <summary>Deterministic synthetic data shaped like Fashion-MNIST (pixels in [0, 1], half of them 0; one-hot targets).</summary>
internal static class Workloads
{
    public static (float[] X, float[] Y) Batch(int rows, int seed = 7)
    {
        var rng = new Rng(seed);
        var x = new float[rows * 784];
        var y = new float[rows * 10];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextFloat() < 0.5f ? 0 : rng.NextFloat();
        for (int r = 0; r < rows; r++) y[r * 10 + rng.NextInt(10)] = 1;
        return (x, y);
    }

    /// <summary>
    /// 48,000 samples served batch after batch, as in one epoch of the tutorial. Distinct batches matter: training on one
    /// batch over and over memorises it, the gradients shrink into denormal floats, and every multiply slows down.
    /// </summary>
    public sealed class Epoch(int batchSize)
    {
        private readonly float[] _x = Batch(48_000).X, _y = Batch(48_000).Y;
        public int Steps => 48_000 / batchSize;

        public float Gradients(INetwork net, int step)
        {
            int start = step % Steps * batchSize;
            return net.ComputeGradients(_x.AsSpan(start * 784, batchSize * 784), _y.AsSpan(start * 10, batchSize * 10), out _);
        }

        public void Step(INetwork net, int step)
        {
            Gradients(net, step);
            net.Optimizer.Update(net.Parameters, net.Gradients);
        }
    }
}
