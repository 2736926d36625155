using System;
using System.Linq;
using static NnGen.Activation;

namespace NnGen.Tests.Training;

/// <summary>A linear hidden layer that overflows to infinity on huge (finite) inputs, before a sigmoid that saturates:
/// the clipped loss stays finite while the last layer's kernel gradient (hidden · dz) is infinite.</summary>
[Sequential(Input = 2, Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Adam)]
[Dense(3, Linear)]
[Dense(1, Sigmoid)]
public partial class OverflowNet;

/// <summary>The same overflow feeding BatchNormalization, whose moving statistics change in the failing batch's forward pass.</summary>
[Sequential(Input = 2, Loss = Loss.CategoricalCrossEntropy, Optimizer = Optimizer.Adam)]
[Dense(3, Linear)]
[BatchNormalization]
[Dense(2, Softmax)]
public partial class NormOverflowNet;

/// <summary>
/// TrainingDivergedException's promise: nothing of the failing batch is committed. Parameters and moving statistics are
/// compared bit for bit with a twin network that trained only on the batches before; the optimizer state through a
/// further step of both, which Adam's moments and step count decide.
/// </summary>
public class DivergenceTests
{
    /// <summary>64 samples (two batches of 32, no shuffle); sample 40, in the second batch, is huge but finite.</summary>
    private static (float[] X, float[] Y) Data(INetwork net)
    {
        var rng = new Rng(5);
        var x = new float[64 * 2];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextFloat(-1, 1);
        x[40 * 2] = x[40 * 2 + 1] = 3e38f;
        var y = new float[64 * net.TargetSize];
        for (int r = 0; r < 64; r++) y[r * net.TargetSize + (net.TargetSize == 1 ? 0 : r % 2)] = r % 2;
        return (x, y);
    }

    /// <summary>Kernel of the first layer all ones, so that 3e38 + 3e38 overflows; the rest positive, so no inf - inf appears.</summary>
    private static T Prepared<T>(T net) where T : INetwork
    {
        var rng = new Rng(3);
        for (int i = 0; i < net.Parameters.Length; i++) net.Parameters[i] = rng.NextFloat(0.1f, 0.5f);
        net.Parameters[..6].Fill(1f);
        return net;
    }

    private static void AssertSameState(INetwork expected, INetwork actual)
    {
        Assert.True(expected.Parameters.SequenceEqual(actual.Parameters), "parameters differ from those before the failing batch");
        Assert.True(expected.NonTrainableParameters.SequenceEqual(actual.NonTrainableParameters), "moving statistics differ from those before the failing batch");
        // A further step from the same weights must match: it depends on the optimizer's moments and step count.
        var rng = new Rng(8);
        float[] x = Enumerable.Range(0, 32 * 2).Select(_ => rng.NextFloat(-1, 1)).ToArray();
        float[] y = new float[32 * expected.TargetSize];
        for (int r = 0; r < 32; r++) y[r * expected.TargetSize] = 1;
        expected.Fit(x, y, epochs: 1, shuffle: false, verbose: 0);
        actual.Fit(x, y, epochs: 1, shuffle: false, verbose: 0);
        Assert.True(expected.Parameters.SequenceEqual(actual.Parameters), "the next step differs: the optimizer state changed in the failing batch");
        Assert.True(expected.NonTrainableParameters.SequenceEqual(actual.NonTrainableParameters));
    }

    [Fact]
    public void Non_finite_gradients_under_a_finite_loss_stop_training_before_the_update_and_name_the_layer()
    {
        OverflowNet net = Prepared(new OverflowNet(1)), twin = Prepared(new OverflowNet(1));
        (float[] x, float[] y) = Data(net);
        twin.Fit(x.AsSpan(0, 32 * 2), y.AsSpan(0, 32), epochs: 1, shuffle: false, verbose: 0);

        var error = Assert.Throws<TrainingDivergedException>(() => net.Fit(x, y, epochs: 1, shuffle: false, verbose: 0));

        Assert.Equal((1, 2), (error.Epoch, error.Batch));
        Assert.True(float.IsFinite(error.Loss), $"the loss {error.Loss} should be finite here");
        // The named layer is the first whose block of the failing batch's gradients holds a NaN or an infinity.
        INetwork n = net;
        int layer = n.Layers.ToList().FindIndex(l => l.Name == error.Layer);
        Assert.True(layer >= 0, $"'{error.Layer}' is not a layer");
        bool Finite(LayerInfo l) => n.Gradients.Slice(l.ParameterOffset, l.Parameters).ToArray().All(float.IsFinite);
        Assert.False(Finite(n.Layers[layer]));
        Assert.All(n.Layers.Take(layer), l => Assert.True(Finite(l)));
        Assert.Contains($"epoch 1, batch 2 the loss is finite", error.Message);
        Assert.Contains($"the gradient of layer '{error.Layer}' (Dense) is not", error.Message);
        Assert.Contains("left as they were before that batch", error.Message);
        AssertSameState(twin, net);
    }

    [Fact]
    public void A_non_finite_loss_restores_the_moving_statistics_the_batch_changed()
    {
        NormOverflowNet net = Prepared(new NormOverflowNet(1)), twin = Prepared(new NormOverflowNet(1));
        (float[] x, float[] y) = Data(net);
        twin.Fit(x.AsSpan(0, 32 * 2), y.AsSpan(0, 32 * 2), epochs: 1, shuffle: false, verbose: 0);

        var error = Assert.Throws<TrainingDivergedException>(() => net.Fit(x, y, epochs: 1, shuffle: false, verbose: 0));

        Assert.Equal((1, 2), (error.Epoch, error.Batch));
        Assert.False(float.IsFinite(error.Loss));
        Assert.Null(error.Layer);
        Assert.Contains("the loss of epoch 1, batch 2 is NaN", error.Message);
        AssertSameState(twin, net);
    }
}
