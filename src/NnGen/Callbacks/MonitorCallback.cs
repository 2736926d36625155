using System;
using System.Collections.Generic;

namespace NnGen.Callbacks;

/// <summary>Whether a monitored metric should fall or rise (Keras's <c>mode</c>).</summary>
public enum MonitorMode
{
    /// <summary>Inferred from the metric's name: losses fall, accuracies rise.</summary>
    Auto,
    /// <summary>Lower is better.</summary>
    Min,
    /// <summary>Higher is better.</summary>
    Max,
}

/// <summary>
/// The part that <see cref="EarlyStopping"/>, <see cref="ModelCheckpoint"/> and <see cref="ReduceLROnPlateau"/> share,
/// like Keras 3's <c>MonitorCallback</c>: which metric of the epoch logs to watch, in which direction, and what counts as
/// an improvement.
/// </summary>
/// <remarks>
/// <see cref="MonitorMode.Auto"/> resolves, as in Keras, from the name without its <c>val_</c> prefix: <c>loss</c> and
/// <c>mae</c> (a mean-squared-error network's metric) are minimised and <c>accuracy</c> maximised; any other name needs an explicit mode. Where Keras only warns about a
/// monitored metric that is missing from the logs, these callbacks throw: at the start of training when a <c>val_</c>
/// metric is monitored without validation data, otherwise at the end of the first epoch that lacks it.
/// </remarks>
public abstract class MonitorCallback : Callback
{
    private protected MonitorCallback(string monitor, MonitorMode mode, float minDelta)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(monitor);
        if (!float.IsFinite(minDelta)) throw new ArgumentOutOfRangeException(nameof(minDelta), minDelta, "minDelta must be a finite number.");
        Monitor = monitor;
        Mode = mode switch
        {
            MonitorMode.Min or MonitorMode.Max => mode,
            MonitorMode.Auto => monitor.StartsWith("val_", StringComparison.Ordinal) ? Infer(monitor[4..], monitor) : Infer(monitor, monitor),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Expected MonitorMode.Auto, Min or Max."),
        };
        MinDelta = Math.Abs(minDelta);
    }

    /// <summary>The metric watched, e.g. <c>val_loss</c>.</summary>
    public string Monitor { get; }

    /// <summary><see cref="MonitorMode.Min"/> or <see cref="MonitorMode.Max"/> (never Auto: resolved at construction).</summary>
    public MonitorMode Mode { get; }

    /// <summary>The smallest change that counts as an improvement (always 0 or more).</summary>
    public float MinDelta { get; }

    /// <summary>Whether <paramref name="current"/> beats <paramref name="reference"/> by more than <see cref="MinDelta"/> in the direction of <see cref="Mode"/>.</summary>
    private protected bool IsImprovement(float current, float reference) => Mode == MonitorMode.Min
        ? (double)current + MinDelta < reference
        : (double)current - MinDelta > reference;

    /// <summary>The worst possible value: +∞ when minimising, -∞ when maximising.</summary>
    private protected float Worst => Mode == MonitorMode.Min ? float.PositiveInfinity : float.NegativeInfinity;

    /// <summary>
    /// Throws when a validation metric is monitored but <c>Fit</c> has no validation data, or when the monitored metric is
    /// the accuracy of a mean-squared-error network (which logs <c>mae</c>) or the <c>mae</c> of a classifier.
    /// </summary>
    private protected void CheckMonitorAvailable(TrainingContext context)
    {
        bool validation = Monitor.StartsWith("val_", StringComparison.Ordinal);
        if (context.ValidationSamples == 0 && validation)
            throw new InvalidOperationException(
                $"{GetType().Name} monitors '{Monitor}', a validation metric, but Fit has no validation data. Pass validationSplit to Fit, or monitor '{Monitor[4..]}'.");
        string metric = validation ? Monitor[4..] : Monitor, logged = NetworkExtensions.MetricName(context.Network.Loss);
        if (metric is "accuracy" or "mae" && metric != logged)
            throw new InvalidOperationException(
                $"{GetType().Name} monitors '{Monitor}', but a network trained with {context.Network.Loss} logs '{(validation ? "val_" : "")}{logged}' in its place.");
    }

    /// <summary>The monitored metric's value in an epoch's logs.</summary>
    /// <exception cref="InvalidOperationException">The logs do not have it.</exception>
    private protected float MonitorValue(IReadOnlyDictionary<string, float> logs, int epoch) =>
        logs.TryGetValue(Monitor, out float value)
            ? value
            : throw new InvalidOperationException(
                $"{GetType().Name} monitors '{Monitor}', but epoch {epoch} logged only {string.Join(", ", logs.Keys)}.");

    private static MonitorMode Infer(string metric, string monitor) => metric switch
    {
        "loss" => MonitorMode.Min,
        "accuracy" => MonitorMode.Max,
        "mae" => MonitorMode.Min,
        _ => throw new ArgumentException(
            $"Cannot tell whether '{monitor}' should be minimised or maximised: pass mode: MonitorMode.Min or MonitorMode.Max.", nameof(monitor)),
    };
}
