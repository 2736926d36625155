using System;
using System.Collections.Generic;
using System.Linq;
using NnGen.Callbacks;
using NnGen.Tests.Networks;

namespace NnGen.Tests.Training;

public class EarlyStoppingTests
{
    // Keras 3 counting: every epoch adds 1 to wait; an improvement resets it (if it also beats the baseline) and never
    // stops; a non-improving epoch stops when wait >= patience. Epochs are 1-based here, 0-based in Keras.
    [Theory]
    [InlineData(2, new[] { 0.5f, 0.6f, 0.7f, 0.4f }, 3, 1)]        // e2 wait 1, e3 wait 2 >= 2: stop
    [InlineData(0, new[] { 1f, 2f, 0.5f }, 2, 1)]                   // patience 0: the first non-improving epoch stops
    [InlineData(3, new[] { 1f, 2f, 3f, 4f, 5f, 6f }, 4, 1)]         // Keras's docstring example: only 4 epochs are run
    [InlineData(2, new[] { 0.5f, 0.6f, 0.4f, 0.45f, 0.41f }, 5, 3)] // e3 improves and resets: e4 wait 1, e5 wait 2
    [InlineData(2, new[] { 0.5f, 0.5f, 0.4f }, 0, 3)]               // equal is no improvement (e2 wait 1), e3 improves: all run
    public void Patience_counts_epochs_without_improvement_as_keras_does(int patience, float[] losses, int stoppedEpoch, int bestEpoch)
    {
        var stopping = new EarlyStopping(monitor: "val_loss", patience: patience);
        int run = new CallbackHarness(new SparseNet(1)).Run(stopping, "val_loss", losses);
        Assert.Equal(stoppedEpoch == 0 ? losses.Length : stoppedEpoch, run);
        Assert.Equal(stoppedEpoch, stopping.StoppedEpoch);
        Assert.Equal(bestEpoch, stopping.BestEpoch);
        Assert.Equal(losses[bestEpoch - 1], stopping.Best);
    }

    [Fact]
    public void Min_delta_makes_small_improvements_count_as_none()
    {
        // minDelta 0.1: 0.95 and 0.92 are not below 1.0 - 0.1, so e2 wait 1, e3 wait 2: stop after epoch 3.
        float[] losses = [1.0f, 0.95f, 0.92f, 0.91f];
        var strict = new EarlyStopping(monitor: "loss", minDelta: -0.1f, patience: 2); // the sign is ignored, as in Keras
        Assert.Equal(0.1f, strict.MinDelta);
        Assert.Equal(3, new CallbackHarness(new SparseNet(1)).Run(strict, "loss", losses));
        var plain = new EarlyStopping(monitor: "loss", patience: 2);
        Assert.Equal(4, new CallbackHarness(new SparseNet(1)).Run(plain, "loss", losses));
    }

    [Fact]
    public void Accuracy_is_maximised_in_auto_mode()
    {
        // Max: e2 improves, e3 and e4 do not: wait 2 at epoch 4.
        var stopping = new EarlyStopping(monitor: "val_accuracy", patience: 2);
        Assert.Equal(MonitorMode.Max, stopping.Mode);
        Assert.Equal(4, new CallbackHarness(new SparseNet(1)).Run(stopping, "val_accuracy", 0.5f, 0.6f, 0.55f, 0.58f, 0.9f));
        Assert.Equal(2, stopping.BestEpoch);
    }

    [Fact]
    public void Improvements_that_miss_the_baseline_keep_the_wait_counting()
    {
        // Baseline 0.5: e1 wait 1 (best, misses baseline), e2 wait 2 (improves: no stop, no reset), e3 wait 3 >= 2: stop.
        float[] losses = [0.9f, 0.8f, 0.85f, 0.84f];
        var withBaseline = new EarlyStopping(patience: 2, baseline: 0.5f);
        Assert.Equal(3, new CallbackHarness(new SparseNet(1)).Run(withBaseline, "val_loss", losses));
        // Without it e3 is wait 1 and e4 wait 2: stop after epoch 4.
        Assert.Equal(4, new CallbackHarness(new SparseNet(1)).Run(new EarlyStopping(patience: 2), "val_loss", losses));
        // A baseline that is beaten resets as usual: e2 (0.4) beats 0.5, so e3 wait 1, e4 wait 2.
        Assert.Equal(4, new CallbackHarness(new SparseNet(1)).Run(new EarlyStopping(patience: 2, baseline: 0.5f), "val_loss", 0.9f, 0.4f, 0.45f, 0.44f, 0.3f));
    }

    [Fact]
    public void Best_weights_are_restored_bit_for_bit_when_patience_runs_out()
    {
        var harness = new CallbackHarness(new SparseNet(1));
        var stopping = new EarlyStopping(patience: 2, restoreBestWeights: true);
        Assert.Equal(4, harness.Run(stopping, "val_loss", 0.5f, 0.3f, 0.4f, 0.35f, 0.1f));
        Assert.Equal(harness.Weights[1], harness.Network.Parameters.ToArray()); // epoch 2's weights
        Assert.NotEqual(harness.Weights[3], harness.Weights[1]);
    }

    [Fact]
    public void Best_weights_are_restored_also_when_training_ran_all_its_epochs_as_in_keras_3()
    {
        var harness = new CallbackHarness(new SparseNet(1));
        var stopping = new EarlyStopping(patience: 5, restoreBestWeights: true);
        Assert.Equal(4, harness.Run(stopping, "val_loss", 0.5f, 0.3f, 0.4f, 0.35f));
        Assert.Equal(0, stopping.StoppedEpoch);
        Assert.Equal(harness.Weights[1], harness.Network.Parameters.ToArray());
    }

    [Fact]
    public void Without_restore_the_last_weights_stay()
    {
        var harness = new CallbackHarness(new SparseNet(1));
        harness.Run(new EarlyStopping(patience: 1), "val_loss", 0.5f, 0.3f, 0.4f);
        Assert.Equal(harness.Weights[2], harness.Network.Parameters.ToArray());
    }

    [Fact]
    public void A_second_training_starts_afresh()
    {
        var harness = new CallbackHarness(new SparseNet(1));
        var stopping = new EarlyStopping(patience: 1, restoreBestWeights: true);
        Assert.Equal(2, harness.Run(stopping, "val_loss", 0.1f, 0.3f, 0.4f)); // e2 wait 1 >= 1
        // A best of 0.1 from the first run must not make every epoch of the second a non-improvement.
        Assert.Equal(3, harness.Run(stopping, "val_loss", 0.9f, 0.8f, 0.85f));
        Assert.Equal(2, stopping.BestEpoch);
        Assert.Equal(harness.Weights[1], harness.Network.Parameters.ToArray());
    }

    [Fact]
    public void Through_fit_training_stops_by_the_keras_rule_and_keeps_the_best_epochs_weights()
    {
        // Random labels on 60 samples: the network overfits and the validation loss turns upwards.
        var net = new SparseNet(seed: 3);
        ((INetwork)net).Optimizer.LearningRate = 0.05f;
        (float[] x, float[] y) = Numerics.TestData.Batch(net, rows: 60, seed: 8);
        var recorder = new WeightRecorder();
        var stopping = new EarlyStopping(patience: 2, restoreBestWeights: true);
        History history = net.Fit(x, y, epochs: 200, batchSize: 8, validationSplit: 0.25, verbose: 0, callbacks: [recorder, stopping]);

        IReadOnlyList<float> val = history.ValLoss;
        Assert.True(history.Epochs < 200, "training was expected to stop early");
        int best = 0;
        for (int e = 1; e < val.Count; e++) if (val[e] < val[best]) best = e;
        // Stopped two epochs after the best, neither of which improved on it.
        Assert.Equal(best + 3, history.Epochs);
        Assert.Equal(best + 1, stopping.BestEpoch);
        Assert.Equal(recorder.Weights[best], net.Parameters.ToArray());
    }

    [Fact]
    public void Missing_metrics_and_unknown_directions_are_reported_clearly()
    {
        var noValidation = new CallbackHarness(new SparseNet(1), validation: false);
        var e = Assert.Throws<InvalidOperationException>(() => noValidation.Run(new EarlyStopping(), "loss", 1f));
        Assert.Contains("'val_loss'", e.Message);
        Assert.Contains("validationSplit", e.Message);

        var harness = new CallbackHarness(new SparseNet(1));
        e = Assert.Throws<InvalidOperationException>(() => harness.Run(new EarlyStopping(monitor: "val_precision", mode: MonitorMode.Min), "val_loss", 1f));
        Assert.Contains("'val_precision'", e.Message);
        Assert.Contains("epoch 1 logged only", e.Message);

        var unknown = Assert.Throws<ArgumentException>(() => new EarlyStopping(monitor: "lr"));
        Assert.Contains("MonitorMode.Min", unknown.Message);
        Assert.Equal("patience", Assert.Throws<ArgumentOutOfRangeException>(() => new EarlyStopping(patience: -1)).ParamName);
    }

    /// <summary>Keeps the weights at each epoch's end (placed before the callback under test, as Fit calls them in order).</summary>
    internal sealed class WeightRecorder : Callback
    {
        public List<float[]> Weights { get; } = [];
        public List<float> LearningRates { get; } = [];

        public override void OnEpochEnd(TrainingContext context, int epoch, IReadOnlyDictionary<string, float> logs)
        {
            Weights.Add(context.Network.Parameters.ToArray());
            LearningRates.Add(logs["lr"]);
        }
    }
}
