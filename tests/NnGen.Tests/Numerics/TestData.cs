using System;
using NnGen.Tests.Networks;

namespace NnGen.Tests.Numerics;

/// <summary>Random batches with targets of the right kind for a network's loss.</summary>
internal static class TestData
{
    /// <summary>Every parameter moved a little off its initial value, biases included, so a kernel that ignores one cannot pass.</summary>
    public static void Perturb(INetwork net)
    {
        var rng = new Rng(99);
        Span<float> p = net.Parameters;
        for (int i = 0; i < p.Length; i++) p[i] += rng.NextFloat(-0.1f, 0.1f);
    }

    public static (float[] X, float[] Y) Batch(INetwork net, int rows, int seed)
    {
        var rng = new Rng(seed);
        var x = new float[rows * net.InputSize];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextFloat(-1, 1);
        var y = new float[rows * net.TargetSize];
        for (int r = 0; r < rows; r++)
        {
            switch (net.Loss)
            {
                case Loss.CategoricalCrossEntropy:
                    y[r * net.OutputSize + rng.NextInt(net.OutputSize)] = 1;
                    break;
                case Loss.SparseCategoricalCrossEntropy:
                    y[r] = rng.NextInt(net.OutputSize);
                    break;
                case Loss.BinaryCrossEntropy:
                    for (int j = 0; j < net.OutputSize; j++) y[r * net.OutputSize + j] = rng.NextInt(2);
                    break;
                default:
                    for (int j = 0; j < net.OutputSize; j++) y[r * net.OutputSize + j] = rng.NextFloat(-1, 1);
                    break;
            }
        }
        return (x, y);
    }

    /// <summary>Every generated test network, with a fresh seed.</summary>
    public static readonly string[] Names =
        [nameof(MnistMlp), nameof(OddMlp), nameof(SparseNet), nameof(BinaryNet), nameof(RegressionNet), nameof(SoftmaxMseNet), nameof(Outer.NestedNet), nameof(WideOddNet), nameof(SigmoidCceNet), nameof(SigmoidSparseNet)];

    public static TheoryData<string> NetworkNames() => new(Names);

    public static INetwork Create(string name, int seed = 1) => name switch
    {
        nameof(MnistMlp) => new MnistMlp(seed),
        nameof(OddMlp) => new OddMlp(seed),
        nameof(SparseNet) => new SparseNet(seed),
        nameof(BinaryNet) => new BinaryNet(seed),
        nameof(RegressionNet) => new RegressionNet(seed),
        nameof(SoftmaxMseNet) => new SoftmaxMseNet(seed),
        nameof(Outer.NestedNet) => new Outer.NestedNet(seed),
        nameof(WideOddNet) => new WideOddNet(seed),
        nameof(SigmoidCceNet) => new SigmoidCceNet(seed),
        nameof(SigmoidSparseNet) => new SigmoidSparseNet(seed),
        _ => throw new ArgumentException(name),
    };
}
