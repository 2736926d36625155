using System;
using System.Collections.Generic;
using System.Linq;
using NnGen.Callbacks;
using NnGen.Optimizers;
using NnGen.Tests.Networks;

namespace NnGen.Tests.Training;

public class LearningRateCallbackTests
{
    private static CallbackHarness Harness(float learningRate)
    {
        var net = new SparseNet(1);
        ((INetwork)net).Optimizer = new Sgd(learningRate);
        return new CallbackHarness(net);
    }

    [Fact]
    public void Plateaus_reduce_the_rate_with_cooldown_down_to_the_minimum()
    {
        // Keras semantics, patience 2, cooldown 2, factor 0.5, min 0.2, a flat loss of 1:
        //   e1 best;  e2 wait 1;  e3 wait 2: lr 1 -> 0.5, cooldown 2
        //   e4 cooldown 1 (no waiting);  e5 cooldown 0, wait 1;  e6 wait 2: lr 0.5 -> 0.25, cooldown 2
        //   e7 cooldown 1;  e8 wait 1;  e9 wait 2: lr max(0.125, 0.2) = 0.2, cooldown 2
        //   e10 cooldown 1;  e11 wait 1;  e12 wait 2, but lr 0.2 is not above the minimum: unchanged
        var harness = Harness(1f);
        var reduce = new ReduceLROnPlateau(monitor: "val_loss", factor: 0.5f, patience: 2, cooldown: 2, minLearningRate: 0.2f);
        harness.Run(reduce, "val_loss", Enumerable.Repeat(1f, 12).ToArray());
        Assert.Equal([1f, 1f, 0.5f, 0.5f, 0.5f, 0.25f, 0.25f, 0.25f, 0.2f, 0.2f, 0.2f, 0.2f], harness.LearningRates);
    }

    [Fact]
    public void A_cooldown_of_one_epoch_does_not_delay_the_next_reduction_as_in_keras()
    {
        // The cooldown counter is decremented before the check, so after a reduction at e3, e4 is already counted.
        var harness = Harness(1f);
        harness.Run(new ReduceLROnPlateau(factor: 0.5f, patience: 2, cooldown: 1), "val_loss", 1f, 1f, 1f, 1f, 1f);
        Assert.Equal([1f, 1f, 0.5f, 0.5f, 0.25f], harness.LearningRates);
    }

    [Fact]
    public void Improvements_beyond_min_delta_reset_the_wait()
    {
        // min_delta 1e-4 (Keras's default): 0.99995 is no improvement on 1 (wait 1); 0.9 is (wait 0); then 0.95, 0.95
        // make wait 1, 2: the rate is multiplied by the default factor 0.1 after epoch 5.
        var harness = Harness(1f);
        harness.Run(new ReduceLROnPlateau(patience: 2), "val_loss", 1f, 0.99995f, 0.9f, 0.95f, 0.95f);
        Assert.Equal([1f, 1f, 1f, 1f, 0.1f], harness.LearningRates);
    }

    [Fact]
    public void Accuracy_plateaus_are_detected_in_max_mode()
    {
        var harness = Harness(0.8f);
        var reduce = new ReduceLROnPlateau(monitor: "val_accuracy", factor: 0.5f, patience: 1, minDelta: 0f);
        harness.Run(reduce, "val_accuracy", 0.5f, 0.6f, 0.6f, 0.7f, 0.65f);
        Assert.Equal([0.8f, 0.8f, 0.4f, 0.4f, 0.2f], harness.LearningRates);
        Assert.Equal(0.7f, reduce.Best);
    }

    [Fact]
    public void Reducing_the_rate_of_a_scheduled_optimizer_fails_clearly()
    {
        var harness = Harness(1f);
        ((OptimizerBase)harness.Network.Optimizer).Schedule = new StepDecay(0.1f, 0.5f, 10);
        var e = Assert.Throws<InvalidOperationException>(() => harness.Run(new ReduceLROnPlateau(patience: 0), "val_loss", 1f, 1f));
        Assert.Contains("schedule", e.Message);
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(0f)]
    [InlineData(1.5f)]
    public void Factors_outside_zero_to_one_are_rejected(float factor) =>
        Assert.Equal("factor", Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau(factor: factor)).ParamName);

    [Fact]
    public void The_scheduler_passes_the_0_based_epoch_and_the_current_rate_like_keras()
    {
        var harness = Harness(0.01f);
        var calls = new List<(int Epoch, float Lr)>();
        // Keras's docstring example: keep the rate for ten epochs, then multiply it by e^-0.1 per epoch.
        var scheduler = new LearningRateScheduler((epoch, lr) =>
        {
            calls.Add((epoch, lr));
            return epoch < 10 ? lr : lr * MathF.Exp(-0.1f);
        });
        harness.Run(scheduler, "val_loss", new float[15]);
        Assert.Equal(0, calls[0].Epoch);
        Assert.Equal(14, calls[^1].Epoch);
        Assert.Equal(0.01f, calls[0].Lr);
        Assert.Equal(0.00607, harness.Network.Optimizer.LearningRate, 5e-6); // Keras: round(lr, 5) == 0.00607 = 0.01·e^-0.5
    }

    [Fact]
    public void Through_fit_step_decay_sets_each_epochs_rate()
    {
        var net = new SparseNet(seed: 3);
        (float[] x, float[] y) = Numerics.TestData.Batch(net, rows: 20, seed: 8);
        var recorder = new EarlyStoppingTests.WeightRecorder();
        net.Fit(x, y, epochs: 5, verbose: 0, callbacks: [new LearningRateScheduler(new StepDecay(0.1f, factor: 0.5f, dropEvery: 2)), recorder]);
        Assert.Equal([0.1f, 0.1f, 0.05f, 0.05f, 0.025f], recorder.LearningRates);
    }

    [Fact]
    public void Through_fit_a_per_step_schedule_advances_with_every_batch()
    {
        // 20 samples in batches of 8: 3 steps per epoch, 6 after two epochs. Fit logs the rate of the next step.
        var net = new SparseNet(seed: 3);
        var sgd = new Sgd { Schedule = new ExponentialDecay(0.1f, decaySteps: 3, decayRate: 0.5f) };
        ((INetwork)net).Optimizer = sgd;
        (float[] x, float[] y) = Numerics.TestData.Batch(net, rows: 20, seed: 8);
        var recorder = new EarlyStoppingTests.WeightRecorder();
        net.Fit(x, y, epochs: 2, batchSize: 8, verbose: 0, callbacks: [recorder]);
        Assert.Equal(6, sgd.Iterations);
        Assert.Equal([0.05f, 0.025f], recorder.LearningRates); // 0.1·0.5^(3/3), 0.1·0.5^(6/3)
    }

    [Fact]
    public void Invalid_scheduled_rates_are_reported_with_the_epoch()
    {
        var harness = Harness(0.1f);
        var e = Assert.Throws<InvalidOperationException>(() => harness.Run(new LearningRateScheduler((epoch, lr) => epoch == 2 ? -lr : lr), "val_loss", 1f, 1f, 1f));
        Assert.Contains("epoch index 2", e.Message);
        Assert.Contains("-0.1", e.Message);
    }
}
