using System;
using System.Collections.Generic;

namespace NnGen.Callbacks;

/// <summary>
/// Stops training when a monitored metric has stopped improving, as Keras 3's <c>keras.callbacks.EarlyStopping</c>.
/// </summary>
/// <remarks>
/// <para>
/// After each epoch: the wait counter goes up by one; if the metric improved on the best so far (by more than
/// <see cref="MonitorCallback.MinDelta"/>; the first epoch always does), it becomes the best and, provided it also beats
/// <see cref="Baseline"/> (when set), the wait counter goes back to 0. An epoch that did not improve stops training when
/// the wait counter has reached <see cref="Patience"/>. So with patience 2 and losses 0.5, 0.6, 0.7 training stops after
/// epoch 3. An epoch that improves on the best but not on the baseline keeps the wait counting: with baseline 0.5,
/// patience 2 and losses 0.9, 0.8, 0.85 training stops after epoch 3 too (an improving epoch itself never stops training).
/// </para>
/// <para>
/// With <see cref="RestoreBestWeights"/>, the weights at the end of the best epoch are copied (into a buffer allocated
/// once) and put back when training ends. As in Keras 3, that happens whenever training ends, also when patience was not
/// exhausted and training ran all its epochs: the weights are those of the best epoch, not of the last one.
/// </para>
/// </remarks>
/// <example><code>
/// model.Fit(x, y, epochs: 100, validationSplit: 0.2,
///     callbacks: [new EarlyStopping(monitor: "val_loss", patience: 3, restoreBestWeights: true)]);
/// </code></example>
public sealed class EarlyStopping : MonitorCallback
{
    private float[]? _bestWeights;

    /// <summary>Creates the callback with Keras's defaults unless told otherwise.</summary>
    /// <param name="monitor">The metric to watch: <c>loss</c>, <c>accuracy</c>, <c>val_loss</c> or <c>val_accuracy</c> (<c>mae</c>, <c>val_mae</c> for mean squared error).</param>
    /// <param name="minDelta">Changes smaller than this (in absolute value) do not count as improvements.</param>
    /// <param name="patience">Epochs without improvement after which training stops.</param>
    /// <param name="mode">Whether lower or higher is better; inferred from the name by default.</param>
    /// <param name="baseline">A value the metric must beat for the wait counter to restart; null for none.</param>
    /// <param name="restoreBestWeights">Put back the weights of the best epoch when training ends.</param>
    public EarlyStopping(string monitor = "val_loss", float minDelta = 0f, int patience = 0, MonitorMode mode = MonitorMode.Auto,
        float? baseline = null, bool restoreBestWeights = false)
        : base(monitor, mode, minDelta)
    {
        if (patience < 0) throw new ArgumentOutOfRangeException(nameof(patience), patience, "Patience must be 0 or more.");
        if (baseline is float b && !float.IsFinite(b)) throw new ArgumentOutOfRangeException(nameof(baseline), baseline, "The baseline must be a finite number.");
        Patience = patience;
        Baseline = baseline;
        RestoreBestWeights = restoreBestWeights;
    }

    /// <summary>Epochs without improvement after which training stops.</summary>
    public int Patience { get; }
    /// <summary>The value the metric must beat for the wait counter to restart; null for none.</summary>
    public float? Baseline { get; }
    /// <summary>Whether the best epoch's weights are put back when training ends.</summary>
    public bool RestoreBestWeights { get; }

    /// <summary>Epochs counted since the last improvement that beat the baseline.</summary>
    public int Wait { get; private set; }
    /// <summary>The best value seen in this training run; null before the first epoch.</summary>
    public float? Best { get; private set; }
    /// <summary>1-based epoch of <see cref="Best"/>; 0 before the first epoch.</summary>
    public int BestEpoch { get; private set; }
    /// <summary>1-based epoch after which this callback stopped training; 0 if it did not.</summary>
    public int StoppedEpoch { get; private set; }

    /// <inheritdoc/>
    public override void OnTrainBegin(TrainingContext context)
    {
        CheckMonitorAvailable(context);
        Wait = 0;
        Best = null;
        BestEpoch = 0;
        StoppedEpoch = 0;
        int weights = context.Network.Parameters.Length + context.Network.NonTrainableParameters.Length;
        if (RestoreBestWeights && _bestWeights?.Length != weights)
            _bestWeights = new float[weights];
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(TrainingContext context, int epoch, IReadOnlyDictionary<string, float> logs)
    {
        float current = MonitorValue(logs, epoch);
        Wait++;
        if (Best is not float best || IsImprovement(current, best))
        {
            Best = current;
            BestEpoch = epoch;
            if (_bestWeights is not null)
            {
                // Every weight, as Keras's get_weights(): BatchNormalization's moving statistics too.
                context.Network.Parameters.CopyTo(_bestWeights);
                context.Network.NonTrainableParameters.CopyTo(_bestWeights.AsSpan(context.Network.Parameters.Length));
            }
            if (Baseline is not float baseline || IsImprovement(current, baseline)) Wait = 0;
            return;
        }
        if (Wait >= Patience)
        {
            StoppedEpoch = epoch;
            context.StopTraining = true;
        }
    }

    /// <inheritdoc/>
    public override void OnTrainEnd(TrainingContext context)
    {
        if (_bestWeights is not null && BestEpoch > 0)
        {
            _bestWeights.AsSpan(0, context.Network.Parameters.Length).CopyTo(context.Network.Parameters);
            _bestWeights.AsSpan(context.Network.Parameters.Length).CopyTo(context.Network.NonTrainableParameters);
        }
    }
}
