using System;
using NnGen.Optimizers;

namespace NnGen.Callbacks;

/// <summary>
/// Sets the learning rate at the start of every epoch from a schedule, as Keras's <c>keras.callbacks.LearningRateScheduler</c>.
/// </summary>
/// <remarks>
/// The schedule is called as in Keras, with the 0-based epoch index (0 for the first epoch, although the other callback
/// hooks number epochs from 1) and the current learning rate, so Keras schedules port unchanged. For a per-step schedule
/// (Keras's <c>ExponentialDecay</c> passed as <c>learning_rate</c>) use <see cref="OptimizerBase.Schedule"/> instead.
/// </remarks>
/// <example><code>
/// // Keras's example: keep the rate for ten epochs, then decay it by e^-0.1 per epoch.
/// var scheduler = new LearningRateScheduler((epoch, lr) => epoch &lt; 10 ? lr : lr * MathF.Exp(-0.1f));
/// model.Fit(x, y, epochs: 15, callbacks: [scheduler]);
/// </code></example>
public sealed class LearningRateScheduler : Callback
{
    private readonly Func<int, float, float> _schedule;

    /// <summary>Creates the callback from a function of (0-based epoch index, current learning rate) to the new learning rate.</summary>
    public LearningRateScheduler(Func<int, float, float> schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        _schedule = schedule;
    }

    /// <summary>Creates the callback from a schedule evaluated at the 0-based epoch index, e.g. <see cref="StepDecay"/>.</summary>
    public LearningRateScheduler(LearningRateSchedule schedule)
        : this(schedule is null ? null! : (epoch, _) => schedule.GetLearningRate(epoch))
    {
    }

    /// <inheritdoc/>
    public override void OnEpochBegin(TrainingContext context, int epoch)
    {
        IOptimizer optimizer = context.Network.Optimizer;
        float lr = _schedule(epoch - 1, optimizer.LearningRate);
        if (!(lr >= 0 && float.IsFinite(lr)))
            throw new InvalidOperationException($"The learning rate schedule returned {lr} for epoch index {epoch - 1}; a learning rate must be finite and 0 or more.");
        optimizer.LearningRate = lr;
    }
}
