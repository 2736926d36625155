using System.Collections.Generic;

namespace NnGen;

/// <summary>
/// What <c>Fit</c> measured, one value per epoch, like Keras's <c>History.history</c>:
/// <c>loss</c>, <c>accuracy</c> and, with validation data, <c>val_loss</c> and <c>val_accuracy</c>. A mean-squared-error
/// network records the mean absolute error, <c>mae</c> and <c>val_mae</c>, in place of the accuracies.
/// </summary>
public sealed class History
{
    private readonly Dictionary<string, List<float>> _metrics = new();

    /// <summary>Metric name to per-epoch values, e.g. <c>history.Metrics["val_loss"]</c>.</summary>
    public IReadOnlyDictionary<string, List<float>> Metrics => _metrics;

    /// <summary>Training loss per epoch.</summary>
    public IReadOnlyList<float> Loss => Get("loss");
    /// <summary>Training accuracy per epoch.</summary>
    public IReadOnlyList<float> Accuracy => Get("accuracy");
    /// <summary>Validation loss per epoch (empty without validation data).</summary>
    public IReadOnlyList<float> ValLoss => Get("val_loss");
    /// <summary>Validation accuracy per epoch (empty without validation data).</summary>
    public IReadOnlyList<float> ValAccuracy => Get("val_accuracy");

    /// <summary>Epochs completed.</summary>
    public int Epochs => Loss.Count;

    /// <summary>Appends one epoch's value of a metric.</summary>
    public void Add(string metric, float value)
    {
        if (!_metrics.TryGetValue(metric, out List<float>? values)) _metrics[metric] = values = new List<float>();
        values.Add(value);
    }

    private IReadOnlyList<float> Get(string metric) =>
        _metrics.TryGetValue(metric, out List<float>? values) ? values : [];
}
