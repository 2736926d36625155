using System;
using System.Collections.Generic;
using System.Linq;
using NnGen.Optimizers;
using NnGen.Tests.Networks;
using NnGen.Tests.Numerics;

namespace NnGen.Tests.Transfer;

/// <summary>Freezing layers with Keras's semantics: declared (<c>Trainable = false</c>) and switched at run time by name.</summary>
public class FreezingTests
{
    private static float[] Slice(INetwork net, string layer) => SliceOf(net, net.Parameters, layer, state: false);
    private static float[] State(INetwork net, string layer) => SliceOf(net, net.NonTrainableParameters, layer, state: true);

    private static float[] SliceOf(INetwork net, Span<float> block, string layer, bool state)
    {
        LayerInfo l = net.Layers[net.LayerIndex(layer)];
        return state ? block.Slice(l.StateOffset, l.NonTrainableParameters).ToArray() : block.Slice(l.ParameterOffset, l.Parameters).ToArray();
    }

    /// <summary>Moving statistics far from what a batch of uniform [-1, 1) inputs through ReLU gives, so that using either shows.</summary>
    private static void SetMovingStatistics(INetwork net, string layer, int seed)
    {
        LayerInfo l = net.Layers[net.LayerIndex(layer)];
        int n = l.NonTrainableParameters / 2;
        var rng = new Rng(seed);
        Span<float> state = net.NonTrainableParameters.Slice(l.StateOffset, 2 * n);
        for (int j = 0; j < n; j++)
        {
            state[j] = rng.NextFloat(-0.5f, 1.5f); // mean
            state[n + j] = rng.NextFloat(0.2f, 3f); // variance
        }
        Span<float> gamma = net.Parameters.Slice(l.ParameterOffset, 2 * n);
        for (int j = 0; j < 2 * n; j++) gamma[j] = rng.NextFloat(0.5f, 1.5f) * (j < n ? 1 : 0.3f); // gamma, then beta
    }

    [Fact]
    public void Declared_frozen_layers_are_bit_unchanged_after_Fit_while_the_others_move()
    {
        INetwork net = new FrozenMiddleNet(seed: 3);
        SetMovingStatistics(net, "base_norm", 4);
        (float[] x, float[] y) = TestData.Batch(net, rows: 96, seed: 5);
        var before = net.Layers.ToDictionary(l => l.Name, l => Slice(net, l.Name));
        float[] stateBefore = State(net, "base_norm");

        net.Fit(x, y, epochs: 3, batchSize: 16, verbose: 0);

        Assert.Equal(before["base_norm"], Slice(net, "base_norm")); // bit-exact: gamma and beta
        Assert.Equal(before["base_dense_2"], Slice(net, "base_dense_2"));
        Assert.Equal(stateBefore, State(net, "base_norm")); // a frozen BatchNormalization does not update its moving statistics
        foreach (string moving in new[] { "base_dense", "head" })
        {
            float[] after = Slice(net, moving);
            Assert.True(after.Zip(before[moving]).Count(p => p.First != p.Second) > after.Length / 2, $"{moving} hardly moved");
        }
        Assert.Equal(3 * 6, net.Optimizer.Iterations); // one step a batch, frozen layers or not
    }

    [Fact]
    public void A_frozen_BatchNormalization_normalises_with_its_moving_statistics_in_training_and_leaves_them_unchanged()
    {
        INetwork frozen = new FrozenMiddleNet(seed: 3);
        INetwork trainable = new PretrainedNet(seed: 3);
        SetMovingStatistics(frozen, "base_norm", 4);
        SetMovingStatistics(trainable, "base_norm", 4);
        Assert.True(frozen.Parameters.SequenceEqual(trainable.Parameters)); // the same weights: the networks differ only in freezing
        (float[] x, float[] y) = TestData.Batch(frozen, rows: 24, seed: 6);
        float[] stateBefore = State(frozen, "base_norm");

        // Training mode with moving statistics is inference mode (no dropout here): the same loss, bit for bit.
        float training = frozen.ComputeGradients(x, y, out float trainingCorrect);
        float inference = frozen.ComputeLoss(x, y, out float inferenceCorrect);
        Assert.Equal(inference, training);
        Assert.Equal(inferenceCorrect, trainingCorrect);
        Assert.Equal(stateBefore, State(frozen, "base_norm"));
        Assert.Equal(inference, trainable.ComputeLoss(x, y, out _));

        // The trainable twin normalises with the batch's statistics, so its training loss differs, and it updates them.
        Assert.NotEqual(inference, trainable.ComputeGradients(x, y, out _));
        Assert.NotEqual(stateBefore, State(trainable, "base_norm"));
    }

    [Fact]
    public void The_gradient_through_a_frozen_BatchNormalization_matches_finite_differences_and_frozen_layers_get_none()
    {
        INetwork net = new FrozenMiddleNet(seed: 7);
        SetMovingStatistics(net, "base_norm", 8);
        (float[] x, float[] y) = TestData.Batch(net, rows: 12, seed: 9);
        LayerInfo first = net.Layers[0], head = net.Layers[3];
        bool Trainable(int i) => i < first.Parameters || i >= head.ParameterOffset;
        // base_dense's gradient reaches it only through the frozen BatchNormalization's backward, dx = dy·gamma/sqrt(movingVar + eps),
        // and the frozen Dense's: finite differences of the training-mode loss check both (they are well defined because a frozen
        // layer's forward does not depend on the batch, and its statistics do not move between evaluations).
        FiniteDifferences.Check(net, x, y, "FrozenMiddleNet", include: Trainable);
        Assert.All(Enumerable.Range(0, net.Parameters.Length).Where(i => !Trainable(i)), i => Assert.Equal(0f, net.Gradients[i]));
        Assert.Contains(Enumerable.Range(0, first.Parameters), i => Math.Abs(net.Gradients[i]) > 1e-4);
    }

    [Fact]
    public void The_frozen_backward_kernel_is_dy_times_gamma_over_the_moving_standard_deviation()
    {
        // Reference: central differences of the inference forward w.r.t. x, by hand for 2 rows of 3 features.
        float[] gamma = [0.5f, 2f, -1f], beta = [0.1f, 0f, 0.3f], mean = [1f, -2f, 0.5f], variance = [4f, 0.25f, 1f];
        float[] x = [0.3f, -1f, 2f, 1.5f, 0.2f, -0.7f], dy = [1f, -2f, 0.5f, 0.25f, 3f, -1f];
        float[] y = new float[6], scale = new float[3], dx = new float[6];
        Kernels.LayerKernels.BatchNormInference(y, x, gamma, beta, mean, variance, 3, 1e-3f, scale);
        Kernels.LayerKernels.BatchNormFrozenBackward(dx, dy, scale, 3);
        for (int i = 0; i < 6; i++)
        {
            int j = i % 3;
            Assert.Equal(dy[i] * gamma[j] / Math.Sqrt(variance[j] + 1e-3), dx[i], 1e-5);
            float[] up = (float[])x.Clone(), down = (float[])x.Clone();
            up[i] += 1e-2f;
            down[i] -= 1e-2f;
            float[] yUp = new float[6], yDown = new float[6];
            Kernels.LayerKernels.BatchNormInference(yUp, up, gamma, beta, mean, variance, 3, 1e-3f, scale);
            Kernels.LayerKernels.BatchNormInference(yDown, down, gamma, beta, mean, variance, 3, 1e-3f, scale);
            double numeric = 0;
            for (int k = 0; k < 6; k++) numeric += dy[k] * (yUp[k] - yDown[k]) / ((double)up[i] - down[i]);
            Assert.Equal(numeric, dx[i], 2e-3);
        }
    }

    [Fact]
    public void A_frozen_first_layer_gets_no_gradient_and_nothing_flows_back_into_it()
    {
        INetwork net = new FrozenConvNet(seed: 2);
        (float[] x, float[] y) = TestData.Batch(net, rows: 20, seed: 3);
        float[] conv = Slice(net, "conv");
        net.Fit(x, y, epochs: 2, batchSize: 5, verbose: 0);
        Assert.Equal(conv, Slice(net, "conv"));
        Assert.NotEqual(0, net.Layers[0].Parameters);
        FiniteDifferences.Check(net, x[..(5 * 50)], y[..(5 * 2)], "FrozenConvNet", include: i => i >= net.Layers[0].Parameters);
    }

    [Fact]
    public void Freezing_and_unfreezing_by_name_at_run_time_takes_effect_from_the_next_batch()
    {
        INetwork net = new FrozenMiddleNet(seed: 3);
        Assert.Equal([true, false, false, true], Enumerable.Range(0, 4).Select(i => net.IsTrainable(i)));
        Assert.Equal([true, false, false, true], net.Layers.Select(l => l.Trainable)); // as declared
        (float[] x, float[] y) = TestData.Batch(net, rows: 32, seed: 5);

        net.Unfreeze("base_norm", "base_dense_2");
        net.Freeze("head");
        Assert.True(net.IsTrainable("base_norm"));
        Assert.False(net.IsTrainable("head"));
        Assert.Equal([true, false, false, true], net.Layers.Select(l => l.Trainable)); // LayerInfo keeps what was declared
        float[] head = Slice(net, "head"), norm = Slice(net, "base_norm"), state = State(net, "base_norm");
        net.Fit(x, y, epochs: 1, batchSize: 8, verbose: 0);
        Assert.Equal(head, Slice(net, "head"));
        Assert.NotEqual(norm, Slice(net, "base_norm"));
        Assert.NotEqual(state, State(net, "base_norm")); // trainable again: batch statistics, moving averages updated

        // Freezing clears the layer's gradient; unfreezing gives it one again at the next batch.
        net.ComputeGradients(x, y, out _);
        Assert.Contains(Block(net.Gradients, net.Layers[1]), g => g != 0);
        net.SetTrainable("base_norm", false);
        Assert.All(Block(net.Gradients, net.Layers[1]), g => Assert.Equal(0f, g));
        net.SetTrainable("base_norm", true);
        net.ComputeGradients(x, y, out _);
        Assert.Contains(Block(net.Gradients, net.Layers[1]), g => g != 0);

        static float[] Block(Span<float> block, LayerInfo l) => block.Slice(l.ParameterOffset, l.Parameters).ToArray();
    }

    [Fact]
    public void An_unknown_layer_name_is_an_error_that_lists_the_names_and_changes_nothing()
    {
        INetwork net = new FrozenMiddleNet(seed: 3);
        var e = Assert.Throws<ArgumentException>(() => net.Freeze("head", "dense_9"));
        Assert.Equal("Network 'sequential' has no layer named 'dense_9'. Its layers are 'base_dense', 'base_norm', 'base_dense_2', 'head'. (Parameter 'name')", e.Message);
        Assert.True(net.IsTrainable("head")); // checked every name before changing any
        Assert.Throws<ArgumentException>(() => net.SetTrainable("Head", false)); // names are case-sensitive, as Keras's
        Assert.Throws<ArgumentException>(() => net.IsTrainable(""));
        var range = Assert.Throws<ArgumentOutOfRangeException>(() => net.SetTrainable(4, false));
        Assert.Contains("from 0 to 3", range.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => net.IsTrainable(-1));
    }

    [Fact]
    public void Freezing_a_layer_without_parameters_is_allowed_and_changes_nothing()
    {
        INetwork net = new TransferNet(seed: 1);
        net.Freeze("new_dropout");
        Assert.False(net.IsTrainable("new_dropout"));
        Assert.Contains("Trainable params: 40 (160.00 B)", net.Summary()); // only the head, 7 x 5 + 5
    }

    [Fact]
    public void Summary_counts_frozen_layers_parameters_as_non_trainable_as_Keras_does()
    {
        INetwork net = new FrozenMiddleNet();
        // base_dense 6·8+8 = 56 and head 7·3+3 = 24 trainable; base_norm's 16 (gamma, beta) frozen plus its 16 moving statistics,
        // and base_dense_2's 8·7+7 = 63 frozen: 95 non-trainable; 175 in all, and each row still shows the layer's full count.
        string summary = net.Summary();
        Assert.Contains("Total params: 175 (700.00 B)\nTrainable params: 80 (320.00 B)\nNon-trainable params: 95 (380.00 B)\n", summary);
        Assert.Contains(" base_norm (BatchNormalization) " + "(None, 8)".PadRight(26) + "32\n", summary); // the row: all 32 floats
        net.Unfreeze("base_norm", "base_dense_2");
        Assert.Contains("Total params: 175 (700.00 B)\nTrainable params: 159 (636.00 B)\nNon-trainable params: 16 (64.00 B)\n", net.Summary());
        net.Freeze("base_dense", "base_norm", "base_dense_2", "head");
        Assert.Contains("Trainable params: 0 (0.00 B)\nNon-trainable params: 175 (700.00 B)\n", net.Summary());
    }

    [Fact]
    public void Fit_updates_the_whole_block_in_one_call_when_nothing_is_frozen_and_only_the_trainable_ranges_otherwise()
    {
        INetwork net = new PretrainedNet(seed: 1);
        var recorder = new RecordingOptimizer();
        net.Optimizer = recorder;
        (float[] x, float[] y) = TestData.Batch(net, rows: 8, seed: 2);
        net.Fit(x, y, epochs: 1, batchSize: 8, verbose: 0);
        Assert.Equal(["all"], recorder.Calls);

        // base_dense_2 frozen: base_dense and base_norm merge into one range, the head is another.
        recorder.Calls.Clear();
        net.Freeze("base_dense_2");
        net.Fit(x, y, epochs: 1, batchSize: 8, verbose: 0);
        Assert.Equal(["(0, 72) (135, 24)"], recorder.Calls);

        recorder.Calls.Clear();
        net.Freeze("base_dense", "base_norm", "head");
        net.Fit(x, y, epochs: 1, batchSize: 8, verbose: 0);
        Assert.Equal([""], recorder.Calls); // everything frozen: a step that updates nothing
    }

    private sealed class RecordingOptimizer : IOptimizer
    {
        public readonly List<string> Calls = [];
        public float LearningRate { get; set; }
        public long Iterations { get; private set; }
        public void Update(Span<float> parameters, ReadOnlySpan<float> gradients) { Calls.Add("all"); Iterations++; }
        public void Update(Span<float> parameters, ReadOnlySpan<float> gradients, ReadOnlySpan<ParameterRange> ranges)
        {
            Calls.Add(string.Join(" ", ranges.ToArray().Select(r => $"({r.Offset}, {r.Length})")));
            Iterations++;
        }
        public void Reset() => Iterations = 0;
    }
}
