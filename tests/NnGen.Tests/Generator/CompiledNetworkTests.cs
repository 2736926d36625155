using System;
using System.Linq;

namespace NnGen.Tests.Generator;

/// <summary>Generated networks compiled in memory, loaded and called through <see cref="INetwork"/>.</summary>
public class CompiledNetworkTests
{
    private static float[] RandomInputs(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)random.NextDouble()).ToArray();
    }

    [Fact]
    public void MnistMlpPredictsProbabilitiesAndSummarises()
    {
        GeneratorRun run = GeneratorHarness.Run(Declarations.MnistMlp).AssertNoGeneratorFailure().AssertCompilesCleanly();
        using LoadedAssembly loaded = GeneratorHarness.Load(run.OutputCompilation);
        INetwork network = loaded.CreateNetwork(Declarations.MnistMlpType);

        Assert.Equal(784, network.InputSize);
        Assert.Equal(10, network.OutputSize);
        Assert.Equal(10, network.TargetSize);
        Assert.Equal(Loss.CategoricalCrossEntropy, network.Loss);
        Assert.Equal("sequential", network.Name);
        Assert.Equal("Input(784) > Dense(256, Relu) > Dense(128, Relu) > Dense(10, Softmax)", network.Architecture);
        Assert.Equal(235_146, network.Parameters.Length);
        Assert.Equal(235_146, network.Gradients.Length);
        Assert.Equal(["dense", "dense_1", "dense_2"], network.Layers.Select(l => l.Name));

        const int rows = 5; // not a multiple of the 4-row tile
        float[] outputs = new float[rows * network.OutputSize];
        network.Predict(RandomInputs(rows * network.InputSize, 1), outputs);
        for (int r = 0; r < rows; r++)
        {
            float[] row = outputs.AsSpan(r * 10, 10).ToArray();
            Assert.All(row, p => Assert.InRange(p, 0f, 1f));
            Assert.Equal(1.0, row.Sum(p => (double)p), 4);
        }

        string summary = network.Summary();
        Assert.Contains("Total params: 235,146", summary);
        Assert.Contains("Model: \"sequential\"", summary);
    }

    [Fact]
    public void NestedBinaryClassifierUsesItsNamesAndOutputsProbabilities()
    {
        GeneratorRun run = GeneratorHarness.Run(Declarations.SpamFilter).AssertNoGeneratorFailure().AssertCompilesCleanly();
        using LoadedAssembly loaded = GeneratorHarness.Load(run.OutputCompilation);
        INetwork network = loaded.CreateNetwork(Declarations.SpamFilterType);

        Assert.Equal("spam_filter", network.Name);
        Assert.Equal(["hidden", "spam_probability"], network.Layers.Select(l => l.Name));
        Assert.Equal(12 * 8 + 8 + 8 + 1, network.Parameters.Length);

        const int rows = 3;
        float[] outputs = new float[rows];
        network.Predict(RandomInputs(rows * 12, 2), outputs);
        Assert.All(outputs, p => Assert.InRange(p, 0f, 1f));
        Assert.Contains("Model: \"spam_filter\"", network.Summary());
        Assert.Contains("Total params: 113", network.Summary());
    }

    [Fact]
    public void OddSparseNetworkComputesFiniteLossAndGradients()
    {
        GeneratorRun run = GeneratorHarness.Run(Declarations.OddNet).AssertNoGeneratorFailure().AssertCompilesCleanly();
        using LoadedAssembly loaded = GeneratorHarness.Load(run.OutputCompilation);
        INetwork network = loaded.CreateNetwork(Declarations.OddNetType);
        Assert.Equal(1, network.TargetSize);
        Assert.Equal(33 * 19 + 19 + 19 * 10 + 10 + 10 * 7 + 7, network.Parameters.Length);

        const int rows = 9;
        float[] inputs = RandomInputs(rows * 33, 3);
        float[] labels = Enumerable.Range(0, rows).Select(i => (float)(i % 7)).ToArray();
        float loss = network.ComputeGradients(inputs, labels, out float correct);
        Assert.True(float.IsFinite(loss) && loss > 0, $"loss {loss}");
        Assert.InRange(correct, 0f, rows);
        Assert.Contains(network.Gradients.ToArray(), g => g != 0);
        Assert.All(network.Gradients.ToArray(), g => Assert.True(float.IsFinite(g)));

        float[] outputs = new float[rows * 7];
        network.Predict(inputs, outputs);
        for (int r = 0; r < rows; r++) Assert.Equal(1.0, outputs.Skip(r * 7).Take(7).Sum(p => (double)p), 4);

        // Inference-mode loss agrees with the training-mode loss for the same weights.
        Assert.Equal(loss, network.ComputeLoss(inputs, labels, out _), 5);
    }

    [Fact]
    public void SeedConstructorIsDeterministicAndTheDefaultUsesTheDeclaredSeed()
    {
        GeneratorRun run = GeneratorHarness.Run(Declarations.OddNet).AssertCompilesCleanly();
        using LoadedAssembly loaded = GeneratorHarness.Load(run.OutputCompilation);
        float[] declared = loaded.CreateNetwork(Declarations.OddNetType).Parameters.ToArray();
        float[] seed42 = loaded.CreateNetwork(Declarations.OddNetType, 42).Parameters.ToArray();
        float[] seed7 = loaded.CreateNetwork(Declarations.OddNetType, 7).Parameters.ToArray();
        Assert.Equal(seed42, declared); // Seed = 42 in the declaration
        Assert.NotEqual(seed7, declared);
    }

    [Fact]
    public void RegressorHasLinearOutputs()
    {
        GeneratorRun run = GeneratorHarness.Run(Declarations.Regressor).AssertNoGeneratorFailure().AssertCompilesCleanly();
        using LoadedAssembly loaded = GeneratorHarness.Load(run.OutputCompilation);
        INetwork network = loaded.CreateNetwork(Declarations.RegressorType);
        float[] inputs = RandomInputs(2 * 3, 4);
        float[] targets = [0.5f, -1f, 2f, 3f];
        float loss = network.ComputeGradients(inputs, targets, out _);
        Assert.True(float.IsFinite(loss) && loss > 0);
        Assert.Equal(Activation.Linear, network.Layers[^1].Activation);
    }

    [Fact]
    public void EveryNetworkInOneCompilationLoadsSideBySide()
    {
        GeneratorRun run = GeneratorHarness.Run(Declarations.MnistMlp, Declarations.OddNet, Declarations.SpamFilter, Declarations.Regressor)
            .AssertNoGeneratorFailure().AssertCompilesCleanly();
        Assert.Equal(
            ["Models.SpamFilter.g.cs", "Samples.MnistMlp.g.cs", "Samples.Odd.OddNet.g.cs", "Samples.Regressor.g.cs"],
            run.GeneratedSources.Select(s => s.HintName).Order(StringComparer.Ordinal));
        using LoadedAssembly loaded = GeneratorHarness.Load(run.OutputCompilation);
        foreach (string type in new[] { Declarations.MnistMlpType, Declarations.OddNetType, Declarations.SpamFilterType, Declarations.RegressorType })
        {
            INetwork network = loaded.CreateNetwork(type);
            float[] outputs = new float[network.OutputSize];
            network.Predict(new float[network.InputSize], outputs);
            Assert.All(outputs, o => Assert.True(float.IsFinite(o)));
        }
    }
}
