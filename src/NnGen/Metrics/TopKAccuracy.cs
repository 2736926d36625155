using System;

namespace NnGen.Metrics;

/// <summary>
/// Top-k accuracy, like Keras's <c>TopKCategoricalAccuracy</c>: a sample counts as correct when its true class is
/// among the <see cref="K"/> highest outputs. As in TensorFlow's <c>in_top_k</c>, classes tied with the k-th highest
/// output count as within the top k. Accumulates over any number of batches without allocating.
/// </summary>
public sealed class TopKAccuracy
{
    /// <summary>A metric for the top <paramref name="k"/> classes.</summary>
    /// <param name="k">How many of the highest outputs may hold the true class (1 is plain accuracy).</param>
    public TopKAccuracy(int k = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        K = k;
    }

    /// <summary>How many of the highest outputs may hold the true class.</summary>
    public int K { get; }

    /// <summary>Samples counted.</summary>
    public long Total { get; private set; }

    /// <summary>Samples whose true class was in the top <see cref="K"/>.</summary>
    public long Correct { get; private set; }

    /// <summary>Fraction of samples whose true class was in the top <see cref="K"/>; NaN when empty.</summary>
    public double Value => Total == 0 ? double.NaN : (double)Correct / Total;

    /// <summary>Counts a batch of outputs against their labels.</summary>
    /// <param name="outputs">rows * classes floats, as written by <see cref="INetwork.Predict"/>.</param>
    /// <param name="classes">Outputs per row.</param>
    /// <param name="labels">True class of each row.</param>
    public void AddOutputs(ReadOnlySpan<float> outputs, int classes, ReadOnlySpan<byte> labels)
    {
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "Top-k accuracy needs one output per class, at least 2.");
        ConfusionMatrix.CheckOutputs(outputs, classes, labels.Length, classes);
        for (int i = 0; i < labels.Length; i++)
        {
            ReadOnlySpan<float> row = outputs.Slice(i * classes, classes);
            int label = labels[i];
            if (label >= classes)
                throw new ArgumentOutOfRangeException(nameof(labels), label, $"Label {label} at index {i} is out of range for {classes} classes.");
            float truth = row[label];
            int higher = 0;
            foreach (float v in row)
                if (v > truth) higher++;
            if (higher < K) Correct++;
            Total++;
        }
    }

    /// <summary>Top-k accuracy of <paramref name="network"/> on a labelled data set, predicted in chunks with one reusable buffer.</summary>
    /// <param name="network">A classifier with one output per class.</param>
    /// <param name="inputs">n * InputSize floats.</param>
    /// <param name="labels">n true classes.</param>
    /// <param name="k">How many of the highest outputs may hold the true class.</param>
    /// <param name="batchSize">Rows per forward pass.</param>
    public static double Compute(INetwork network, ReadOnlySpan<float> inputs, ReadOnlySpan<byte> labels, int k = 5, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(network);
        var metric = new TopKAccuracy(k);
        Chunks.Predict(network, inputs, labels, batchSize, metric, static (m, outputs, outputSize, chunkLabels) =>
            m.AddOutputs(outputs, outputSize, chunkLabels));
        return metric.Value;
    }
}
