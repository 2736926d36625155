using System;

namespace NnGen.Optimizers;

/// <summary>
/// A learning rate as a function of a 0-based counter, like Keras's <c>keras.optimizers.schedules.LearningRateSchedule</c>.
/// Use it per optimizer step (Keras's way: <see cref="OptimizerBase.Schedule"/>, the counter is the number of updates
/// done so far) or per epoch (<see cref="Callbacks.LearningRateScheduler"/>, the counter is the 0-based epoch index).
/// </summary>
/// <example>
/// A schedule of your own, e.g. linear warm-up over 1000 steps:
/// <code>
/// sealed class Warmup : LearningRateSchedule
/// {
///     public override float GetLearningRate(long step) => 1e-3f * Math.Min(1f, (step + 1) / 1000f);
/// }
/// </code>
/// </example>
public abstract class LearningRateSchedule
{
    /// <summary>The learning rate at <paramref name="step"/> (0 for the first update or epoch).</summary>
    public abstract float GetLearningRate(long step);
}

/// <summary>
/// Keras's <c>keras.optimizers.schedules.ExponentialDecay</c>:
/// <c>initialLearningRate · decayRate ^ (step / decaySteps)</c>, with the exponent floored when <c>staircase</c> is set.
/// Keras applies it per optimizer step; attach it to an optimizer (<see cref="OptimizerBase.Schedule"/>) for that.
/// </summary>
/// <example><code>
/// var adam = new Adam { Schedule = new ExponentialDecay(1e-3f, decaySteps: 1000, decayRate: 0.96f) };
/// </code></example>
public sealed class ExponentialDecay : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initialLearningRate">The rate at step 0.</param>
    /// <param name="decaySteps">Steps over which the rate is multiplied by <paramref name="decayRate"/>.</param>
    /// <param name="decayRate">Factor per <paramref name="decaySteps"/> steps.</param>
    /// <param name="staircase">Decay in whole steps of <paramref name="decaySteps"/> (integer division) rather than continuously.</param>
    public ExponentialDecay(float initialLearningRate, long decaySteps, float decayRate, bool staircase = false)
    {
        InitialLearningRate = OptimizerChecks.NonNegative(initialLearningRate, nameof(initialLearningRate));
        DecaySteps = OptimizerChecks.Positive(decaySteps, nameof(decaySteps));
        DecayRate = OptimizerChecks.NonNegative(decayRate, nameof(decayRate));
        Staircase = staircase;
    }

    /// <summary>The rate at step 0.</summary>
    public float InitialLearningRate { get; }
    /// <summary>Steps over which the rate is multiplied by <see cref="DecayRate"/>.</summary>
    public long DecaySteps { get; }
    /// <summary>Factor per <see cref="DecaySteps"/> steps.</summary>
    public float DecayRate { get; }
    /// <summary>Whether the exponent is floored.</summary>
    public bool Staircase { get; }

    /// <inheritdoc/>
    public override float GetLearningRate(long step)
    {
        double p = (double)step / DecaySteps;
        if (Staircase) p = Math.Floor(p);
        return (float)(InitialLearningRate * Math.Pow(DecayRate, p));
    }
}

/// <summary>
/// Step decay, the classic per-epoch schedule (Keras has it only as a user function for <c>LearningRateScheduler</c>):
/// <c>initialLearningRate · factor ^ floor(step / dropEvery)</c>. Pass it to <see cref="Callbacks.LearningRateScheduler"/>
/// to drop the rate every <c>dropEvery</c> epochs, or to <see cref="OptimizerBase.Schedule"/> for every
/// <c>dropEvery</c> optimizer steps.
/// </summary>
/// <example><code>
/// model.Fit(x, y, epochs: 30, callbacks: [new LearningRateScheduler(new StepDecay(0.1f, factor: 0.5f, dropEvery: 10))]);
/// </code></example>
public sealed class StepDecay : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initialLearningRate">The rate before the first drop.</param>
    /// <param name="factor">Multiplies the rate at each drop, e.g. 0.5.</param>
    /// <param name="dropEvery">Epochs (or steps) between drops.</param>
    public StepDecay(float initialLearningRate, float factor, long dropEvery)
    {
        InitialLearningRate = OptimizerChecks.NonNegative(initialLearningRate, nameof(initialLearningRate));
        Factor = OptimizerChecks.NonNegative(factor, nameof(factor));
        DropEvery = OptimizerChecks.Positive(dropEvery, nameof(dropEvery));
    }

    /// <summary>The rate before the first drop.</summary>
    public float InitialLearningRate { get; }
    /// <summary>Multiplies the rate at each drop.</summary>
    public float Factor { get; }
    /// <summary>Epochs (or steps) between drops.</summary>
    public long DropEvery { get; }

    /// <inheritdoc/>
    public override float GetLearningRate(long step) => (float)(InitialLearningRate * Math.Pow(Factor, step / DropEvery));
}
