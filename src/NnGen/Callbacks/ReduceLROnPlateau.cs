using System;
using System.Collections.Generic;
using NnGen.Optimizers;

namespace NnGen.Callbacks;

/// <summary>
/// Multiplies the learning rate by <see cref="Factor"/> when a monitored metric has stopped improving, as Keras 3's
/// <c>keras.callbacks.ReduceLROnPlateau</c>.
/// </summary>
/// <remarks>
/// After each epoch: during a cooldown the cooldown counter goes down by one and the wait counter is held at 0. An
/// improvement (by more than <see cref="MonitorCallback.MinDelta"/>) becomes the best and restarts the wait counter.
/// Otherwise, outside a cooldown, the wait counter goes up, and when it reaches <see cref="Patience"/> and the learning
/// rate is above <see cref="MinLearningRate"/>, the rate becomes <c>max(lr·factor, minLearningRate)</c>, a cooldown of
/// <see cref="Cooldown"/> epochs starts and the wait counter restarts. The new rate applies from the next epoch.
/// Like Keras, the best value is kept across <c>Fit</c> calls (only the counters restart), so continuing training with
/// the same callback compares against the best seen so far. An optimizer that follows a per-step
/// <see cref="Optimizers.OptimizerBase.Schedule"/> has no settable learning rate, so a reduction then throws.
/// </remarks>
/// <example><code>
/// model.Fit(x, y, epochs: 50, validationSplit: 0.2,
///     callbacks: [new ReduceLROnPlateau(monitor: "val_loss", factor: 0.2f, patience: 5, minLearningRate: 1e-5f)]);
/// </code></example>
public sealed class ReduceLROnPlateau : MonitorCallback
{
    /// <summary>Creates the callback with Keras's defaults unless told otherwise.</summary>
    /// <param name="monitor">The metric to watch: <c>loss</c>, <c>accuracy</c>, <c>val_loss</c> or <c>val_accuracy</c> (<c>mae</c>, <c>val_mae</c> for mean squared error).</param>
    /// <param name="factor">Multiplies the learning rate at each reduction; in (0, 1).</param>
    /// <param name="patience">Epochs without improvement before a reduction.</param>
    /// <param name="mode">Whether lower or higher is better; inferred from the name by default.</param>
    /// <param name="minDelta">Changes smaller than this (in absolute value) do not count as improvements.</param>
    /// <param name="cooldown">Epochs after a reduction during which no improvement is waited for.</param>
    /// <param name="minLearningRate">The learning rate never goes below this.</param>
    public ReduceLROnPlateau(string monitor = "val_loss", float factor = 0.1f, int patience = 10, MonitorMode mode = MonitorMode.Auto,
        float minDelta = 1e-4f, int cooldown = 0, float minLearningRate = 0f)
        : base(monitor, mode, minDelta)
    {
        if (!(factor > 0 && factor < 1)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "The factor must be in (0, 1): it multiplies the learning rate at each reduction.");
        if (patience < 0) throw new ArgumentOutOfRangeException(nameof(patience), patience, "Patience must be 0 or more.");
        if (cooldown < 0) throw new ArgumentOutOfRangeException(nameof(cooldown), cooldown, "Cooldown must be 0 or more.");
        Factor = factor;
        Patience = patience;
        Cooldown = cooldown;
        MinLearningRate = OptimizerChecks.NonNegative(minLearningRate, nameof(minLearningRate));
        Best = Worst;
    }

    /// <summary>Multiplies the learning rate at each reduction.</summary>
    public float Factor { get; }
    /// <summary>Epochs without improvement before a reduction.</summary>
    public int Patience { get; }
    /// <summary>Epochs after a reduction during which no improvement is waited for.</summary>
    public int Cooldown { get; }
    /// <summary>The learning rate never goes below this.</summary>
    public float MinLearningRate { get; }

    /// <summary>The best value seen (±∞ before the first epoch).</summary>
    public float Best { get; private set; }
    /// <summary>Epochs counted without improvement.</summary>
    public int Wait { get; private set; }
    /// <summary>Epochs of cooldown left.</summary>
    public int CooldownCounter { get; private set; }

    /// <inheritdoc/>
    public override void OnTrainBegin(TrainingContext context)
    {
        CheckMonitorAvailable(context);
        Wait = 0;
        CooldownCounter = 0;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(TrainingContext context, int epoch, IReadOnlyDictionary<string, float> logs)
    {
        float current = MonitorValue(logs, epoch);
        if (CooldownCounter > 0) CooldownCounter--; // Keras also zeroes the wait here, but it is 0 throughout a cooldown already
        if (IsImprovement(current, Best))
        {
            Best = current;
            Wait = 0;
            return;
        }
        if (CooldownCounter > 0 || ++Wait < Patience) return;
        var optimizer = context.Network.Optimizer;
        float old = optimizer.LearningRate;
        if (old <= MinLearningRate) return;
        optimizer.LearningRate = Math.Max((float)((double)old * Factor), MinLearningRate);
        CooldownCounter = Cooldown;
        Wait = 0;
    }
}
