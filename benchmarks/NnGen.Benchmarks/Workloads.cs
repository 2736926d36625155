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
    /// A network (any of the 784-in, 10-out models, from <paramref name="create"/>) and 48,000 samples served batch after
    /// batch, as in one epoch of the tutorial. Distinct batches matter: training on one batch over and over memorises it,
    /// the gradients shrink into denormal floats, and every multiply slows down.
    /// </summary>
    public sealed class Epoch(Func<INetwork> create, int batchSize)
    {
        private const int Samples = 48_000;
        private readonly float[] _x = Batch(Samples).X, _y = Batch(Samples).Y;
        public INetwork Net { get; } = create();
        public int Steps => Samples / batchSize;

        public float Gradients(int step)
        {
            int start = step % Steps * batchSize;
            return Net.ComputeGradients(_x.AsSpan(start * 784, batchSize * 784), _y.AsSpan(start * 10, batchSize * 10), out _);
        }

        public void Step(int step)
        {
            Gradients(step);
            Net.Optimizer.Update(Net.Parameters, Net.Gradients);
        }
    }
}
