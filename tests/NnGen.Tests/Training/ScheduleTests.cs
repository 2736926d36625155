using System;
using NnGen.Optimizers;

namespace NnGen.Tests.Training;

public class ScheduleTests
{
    [Theory]
    // Keras: 0.1 · 0.5^(step / 10); staircase floors the exponent.
    [InlineData(false, 0, 0.1)]
    [InlineData(false, 5, 0.0707107)]   // 0.1 · 0.5^0.5
    [InlineData(false, 10, 0.05)]
    [InlineData(false, 15, 0.0353553)]  // 0.1 · 0.5^1.5
    [InlineData(true, 5, 0.1)]
    [InlineData(true, 15, 0.05)]
    [InlineData(true, 20, 0.025)]
    public void Exponential_decay_follows_the_keras_formula(bool staircase, long step, double expected)
    {
        var schedule = new ExponentialDecay(0.1f, decaySteps: 10, decayRate: 0.5f, staircase);
        Assert.Equal(expected, schedule.GetLearningRate(step), 1e-7);
    }

    [Theory]
    // 0.1 · 0.5^floor(step / 10)
    [InlineData(0, 0.1)]
    [InlineData(9, 0.1)]
    [InlineData(10, 0.05)]
    [InlineData(25, 0.025)]
    public void Step_decay_drops_by_the_factor_every_interval(long step, double expected) =>
        Assert.Equal(expected, new StepDecay(0.1f, factor: 0.5f, dropEvery: 10).GetLearningRate(step), 1e-7);

    [Fact]
    public void An_optimizer_with_a_schedule_uses_the_rate_at_its_step_count()
    {
        // SGD with g = 1: update t (0-based) subtracts 0.1 · 0.5^(t / 2); after two updates p = 1 - 0.1 - 0.0707107 = 0.8292893.
        var sgd = new Sgd(0.01f) { Schedule = new ExponentialDecay(0.1f, decaySteps: 2, decayRate: 0.5f) };
        Assert.Equal(0.1f, sgd.LearningRate);
        float[] p = [1f];
        sgd.Update(p, [1f]);
        Assert.Equal(0.9, p[0], 1e-6);
        Assert.Equal(0.0707107, sgd.LearningRate, 1e-6); // the rate of the next update
        sgd.Update(p, [1f]);
        Assert.Equal(0.8292893, p[0], 1e-6);
        Assert.Equal(0.05f, sgd.LearningRate, 1e-7f);

        sgd.Reset();
        Assert.Equal(0.1f, sgd.LearningRate); // Reset restarts the schedule
        sgd.Schedule = null;
        Assert.Equal(0.01f, sgd.LearningRate); // back to the fixed rate
    }

    [Fact]
    public void The_learning_rate_of_a_scheduled_optimizer_cannot_be_set_as_in_keras()
    {
        var adam = new Adam { Schedule = new StepDecay(0.1f, 0.5f, 1) };
        var e = Assert.Throws<InvalidOperationException>(() => adam.LearningRate = 0.5f);
        Assert.Contains("StepDecay", e.Message);
    }

    [Fact]
    public void A_schedule_returning_an_invalid_rate_fails_the_update()
    {
        var sgd = new Sgd { Schedule = new Broken() };
        var e = Assert.Throws<InvalidOperationException>(() => sgd.Update(new float[2], new float[2]));
        Assert.Contains("NaN", e.Message);
    }

    [Fact]
    public void Bad_schedule_arguments_are_rejected_with_their_names()
    {
        Assert.Equal("decaySteps", Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialDecay(0.1f, 0, 0.5f)).ParamName);
        Assert.Equal("decayRate", Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialDecay(0.1f, 10, -0.5f)).ParamName);
        Assert.Equal("initialLearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new StepDecay(float.NaN, 0.5f, 1)).ParamName);
        Assert.Equal("dropEvery", Assert.Throws<ArgumentOutOfRangeException>(() => new StepDecay(0.1f, 0.5f, -1)).ParamName);
    }

    private sealed class Broken : LearningRateSchedule
    {
        public override float GetLearningRate(long step) => float.NaN;
    }
}
