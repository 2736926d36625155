using System;
using System.Linq;
using System.Reflection;
using NnGen.Tests.Networks;

namespace NnGen.Tests.Numerics;

/// <summary>
/// Generated recurrent networks end to end: backward through time against central finite differences of the generated
/// loss for every cell, short (5 steps) and long (24 and 30), ReturnSequences on and off, stacked, hidden, after an
/// Embedding, and split over the workers.
/// </summary>
public class RecurrentNetworkTests
{
    public static TheoryData<string> Names => new(nameof(LstmLastNet), nameof(GruSequenceNet), nameof(SimpleRnnLongNet), nameof(StackedRecurrentNet),
        nameof(DeepRecurrentNet), nameof(EmbeddingGruNet), nameof(WideRecurrentNet));

    internal static INetwork Create(string name, int seed = 1) => name switch
    {
        nameof(LstmLastNet) => new LstmLastNet(seed),
        nameof(GruSequenceNet) => new GruSequenceNet(seed),
        nameof(SimpleRnnLongNet) => new SimpleRnnLongNet(seed),
        nameof(StackedRecurrentNet) => new StackedRecurrentNet(seed),
        nameof(DeepRecurrentNet) => new DeepRecurrentNet(seed),
        nameof(EmbeddingGruNet) => new EmbeddingGruNet(seed),
        nameof(WideRecurrentNet) => new WideRecurrentNet(seed),
        _ => throw new ArgumentException(name),
    };

    /// <summary>A batch for the network: token indices for an Embedding network, values in (-1, 1) otherwise.</summary>
    internal static (float[] X, float[] Y) Batch(INetwork net, int rows, int seed)
    {
        (float[] x, float[] y) = TestData.Batch(net, rows, seed);
        if (net is EmbeddingGruNet)
        {
            var rng = new Rng(seed + 1);
            for (int i = 0; i < x.Length; i++) x[i] = rng.NextInt(11);
        }
        return (x, y);
    }


    [Theory]
    [MemberData(nameof(Names))]
    public void Gradients_through_time_match_central_finite_differences(string name)
    {
        INetwork net = Create(name);
        TestData.Perturb(net);
        (float[] x, float[] y) = Batch(net, rows: name == nameof(WideRecurrentNet) ? 40 : 3, seed: 7);
        FieldInfo? dropout = net.GetType().GetField("_dropoutRng", BindingFlags.NonPublic | BindingFlags.Instance);
        object? start = dropout?.GetValue(net);
        FiniteDifferences.Check(net, x, y, name, dropout is null ? null : () => dropout.SetValue(net, start));
    }
}
