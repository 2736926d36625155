using System;
using System.Linq;
using System.Reflection;
using NnGen.Tests.Networks;
using NnGen.Tests.Numerics;

namespace NnGen.Tests.Layers;

/// <summary>BatchNormalization, Dropout, Activation layers, the new activations and the kernel regularisers.</summary>
public class LayerTests
{
    [Fact]
    public void Batch_norm_activation_layers_and_regularisers_match_finite_differences()
    {
        var net = new NormalizedNet(seed: 3);
        (float[] x, float[] y) = TestData.Batch(net, rows: 7, seed: 4);
        // Give gamma and beta values other than their initial 1 and 0, so their gradients are exercised in full.
        var rng = new Rng(5);
        for (int i = 0; i < net.Parameters.Length; i++) net.Parameters[i] += rng.NextFloat(-0.1f, 0.1f);
        FiniteDifferences.Check(net, x, y, nameof(NormalizedNet));
    }

    [Fact]
    public void Dropout_backward_matches_finite_differences_with_the_masks_held_fixed()
    {
        var net = new DropoutNet(seed: 2);
        (float[] x, float[] y) = TestData.Batch(net, rows: 6, seed: 3);
        FieldInfo field = typeof(DropoutNet).GetField("_dropoutRng", BindingFlags.NonPublic | BindingFlags.Instance)!;
        object saved = field.GetValue(net)!;
        FiniteDifferences.Check(net, x, y, nameof(DropoutNet), () => field.SetValue(net, saved));
    }

    [Fact]
    public void Dropout_drops_the_rate_and_scales_the_rest_in_training_only()
    {
        var net = new DropoutNet(seed: 2);
        INetwork n = net;
        (float[] x, float[] y) = TestData.Batch(n, rows: 500, seed: 3);
        n.ComputeGradients(x, y, out _);
        float[] mask = (float[])typeof(DropoutNet).GetField("_mask2", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(net)!;
        Assert.All(mask.Take(500 * 40), m => Assert.True(m == 0f || m == 1f / 0.75f, $"mask value {m}"));
        double dropped = mask.Take(500 * 40).Count(m => m == 0) / 20000.0;
        Assert.InRange(dropped, 0.25 - 0.015, 0.25 + 0.015); // 5 standard deviations of a binomial(20000, 0.25) proportion

        // Inference: no dropout, so two predictions agree and equal Dense(Dense(x)) computed by hand.
        float[] a = net.Predict(x.AsSpan(0, 5).ToArray()), b = net.Predict(x.AsSpan(0, 5).ToArray());
        Assert.Equal(a, b);
        float[] expected = new float[2];
        float[] hidden = new float[40];
        Span<float> p = net.Parameters;
        for (int j = 0; j < 40; j++)
        {
            float s = p[200 + j];
            for (int k = 0; k < 5; k++) s += x[k] * p[k * 40 + j];
            hidden[j] = Math.Max(0, s);
        }
        for (int j = 0; j < 2; j++)
        {
            float s = p[240 + 80 + j];
            for (int k = 0; k < 40; k++) s += hidden[k] * p[240 + k * 2 + j];
            expected[j] = s;
        }
        Assert.Equal(expected[0], a[0], 1e-5f);
        Assert.Equal(expected[1], a[1], 1e-5f);
    }

    [Fact]
    public void Dropout_masks_are_deterministic_for_a_seed()
    {
        (float[] x, float[] y) = TestData.Batch(new DropoutNet(), rows: 32, seed: 3);
        var a = new DropoutNet(seed: 9);
        var b = new DropoutNet(seed: 9);
        a.Fit(x, y, epochs: 2, verbose: 0, seed: 1);
        b.Fit(x, y, epochs: 2, verbose: 0, seed: 1);
        Assert.True(a.Parameters.SequenceEqual(b.Parameters));
    }

    [Fact]
    public void Batch_norm_moving_statistics_follow_keras_and_drive_inference()
    {
        var net = new NormalizedNet(seed: 1);
        INetwork n = net;
        // Two samples: feature j of the batch has mean m_j and biased variance v_j, computed here by hand.
        float[] x = [1, 2, 3, 4, 5, 6, 3, 2, 1, 0, -1, -2];
        float[] y = [1, 0, 0, 0, 0, 1, 0, 0];
        n.ComputeGradients(x, y, out _);
        Span<float> state = n.NonTrainableParameters;
        for (int j = 0; j < 6; j++)
        {
            float mean = (x[j] + x[6 + j]) / 2, variance = ((x[j] - mean) * (x[j] - mean) + (x[6 + j] - mean) * (x[6 + j] - mean)) / 2;
            Assert.Equal(0.1f * mean, state[j], 1e-6f);                  // 0.9 * 0 + 0.1 * mean
            Assert.Equal(0.9f * 1f + 0.1f * variance, state[6 + j], 1e-5f); // 0.9 * 1 + 0.1 * variance
        }

        // Inference normalises with the moving statistics: with the first layer's output read back through a network
        // whose first layer is that batch norm, y0 = gamma (x - mm) / sqrt(mv + 0.01) + beta for gamma 1, beta 0.
        float[] first = (float[])typeof(NormalizedNet).GetField("_y1", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(net)!;
        n.Predict(x.AsSpan(0, 6), new float[4]);
        for (int j = 0; j < 6; j++)
            Assert.Equal((x[j] - state[j]) / MathF.Sqrt(state[6 + j] + 0.01f), first[j], 1e-5f);
    }

    [Fact]
    public void Regularisation_is_reported_in_the_loss_like_keras()
    {
        var net = new NormalizedNet(seed: 2);
        INetwork n = net;
        (float[] x, float[] y) = TestData.Batch(n, rows: 4, seed: 1);
        float withPenalty = n.ComputeLoss(x, y, out _);
        // The penalty by hand: 0.01 Σw² over dense (kernel 6x11 at offset 12), 0.003 Σ|w| + 0.002 Σw² over dense_1 (11x9).
        Span<float> p = n.Parameters;
        int k1 = 12, k2 = 12 + 66 + 11 + 22;
        double penalty = 0;
        for (int i = 0; i < 66; i++) penalty += 0.01 * p[k1 + i] * p[k1 + i];
        for (int i = 0; i < 99; i++) penalty += 0.003 * Math.Abs(p[k2 + i]) + 0.002 * p[k2 + i] * p[k2 + i];
        Assert.True(penalty > 0.1);
        // Zero the regularised kernels' contribution by comparing with the loss computed from the outputs alone.
        float[] outputs = n.Predict(x);
        double dataLoss = Reference.ReferenceNetwork.Loss(n.Loss, outputs.Select(v => (double)v).ToArray(), y, 4);
        Assert.Equal(dataLoss + penalty, withPenalty, 1e-4);
    }

    [Fact]
    public void Summary_counts_non_trainable_batch_norm_statistics_like_keras()
    {
        string summary = new OptimizedMlp().Summary();
        Assert.Contains(" batch_normalization (BatchNormalization)", summary);
        Assert.Contains("1,024", summary);
        Assert.Contains(" dropout_1 (Dropout)", summary);
        Assert.Contains("Total params: 236,682", summary);
        Assert.Contains("Trainable params: 235,914", summary);
        Assert.Contains("Non-trainable params: 768", summary);
    }

    [Fact]
    public void Weights_with_batch_norm_statistics_round_trip()
    {
        var a = new OptimizedMlp(seed: 1);
        (float[] x, float[] y) = TestData.Batch(a, rows: 64, seed: 2);
        a.Fit(x, y, epochs: 1, verbose: 0);
        string path = System.IO.Path.GetTempFileName();
        try
        {
            a.Save(path);
            var b = new OptimizedMlp(seed: 2);
            b.Load(path);
            Assert.True(((INetwork)a).NonTrainableParameters.SequenceEqual(((INetwork)b).NonTrainableParameters));
            Assert.Equal(a.Predict(x), b.Predict(x));
        }
        finally { System.IO.File.Delete(path); }
    }

    [Fact]
    public void Training_steps_with_batch_norm_and_dropout_allocate_nothing()
    {
        INetwork net = new OptimizedMlp(1);
        (float[] x, float[] y) = TestData.Batch(net, rows: 32, seed: 1);
        float[] one = x.AsSpan(0, 784).ToArray(), output = new float[10];
        net.ComputeGradients(x, y, out _);
        net.Optimizer.Update(net.Parameters, net.Gradients);
        net.Predict(one, output);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            net.ComputeGradients(x, y, out _);
            net.Optimizer.Update(net.Parameters, net.Gradients);
        }
        for (int i = 0; i < 1000; i++) net.Predict(one, output);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
