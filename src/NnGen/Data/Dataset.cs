using System;

namespace NnGen.Data;

/// <summary>
/// A labelled classification dataset held in memory: <see cref="Count"/> samples of
/// <see cref="FeatureSize"/> floats each, stored flat and row-major, with one class label per sample.
/// </summary>
public sealed class Dataset
{
    /// <summary>Creates a dataset over the given arrays (not copied).</summary>
    /// <param name="features"><c>labels.Length * featureSize</c> floats, one row per sample.</param>
    /// <param name="labels">Class of each sample, each below <paramref name="classes"/>.</param>
    /// <param name="featureSize">Floats per sample.</param>
    /// <param name="classes">Number of classes.</param>
    /// <exception cref="ArgumentException">The sizes do not agree, or a label is out of range.</exception>
    public Dataset(float[] features, byte[] labels, int featureSize, int classes)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(featureSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        if ((long)labels.Length * featureSize != features.Length)
            throw new ArgumentException(
                $"{labels.Length} samples of {featureSize} features need {(long)labels.Length * featureSize} floats, but features holds {features.Length}.",
                nameof(features));
        for (int i = 0; i < labels.Length; i++)
            Data.Labels.CheckLabel(labels[i], i, classes);
        Features = features;
        Labels = labels;
        FeatureSize = featureSize;
        Classes = classes;
    }

    /// <summary>All features, <c>Count * FeatureSize</c> floats, row-major.</summary>
    public float[] Features { get; }

    /// <summary>Class of each sample.</summary>
    public byte[] Labels { get; }

    /// <summary>Number of samples.</summary>
    public int Count => Labels.Length;

    /// <summary>Floats per sample (784 for 28x28 images).</summary>
    public int FeatureSize { get; }

    /// <summary>Number of classes; every label is below it.</summary>
    public int Classes { get; }

    /// <summary>The features of one sample.</summary>
    /// <param name="index">Sample index, below <see cref="Count"/>.</param>
    public ReadOnlySpan<float> GetFeatures(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return Features.AsSpan(index * FeatureSize, FeatureSize);
    }

    /// <summary>A copy of the samples <c>[start, start + count)</c>.</summary>
    /// <param name="start">First sample.</param>
    /// <param name="count">Number of samples.</param>
    public Dataset Slice(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count - start);
        return new Dataset(
            Features.AsSpan(start * FeatureSize, count * FeatureSize).ToArray(),
            Labels.AsSpan(start, count).ToArray(),
            FeatureSize,
            Classes);
    }

    /// <summary>A copy of the first <paramref name="n"/> samples, or of all of them when there are fewer.</summary>
    /// <param name="n">Maximum number of samples.</param>
    public Dataset Take(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        return Slice(0, Math.Min(n, Count));
    }

    /// <summary>
    /// Splits off the last <paramref name="fraction"/> of the samples for validation, with the semantics of
    /// Keras' <c>validation_split</c>: no shuffling, and the split index is <c>floor(Count * (1 - fraction))</c>.
    /// </summary>
    /// <param name="fraction">Share of samples for validation, in [0, 1).</param>
    public (Dataset Train, Dataset Validation) SplitLast(double fraction)
    {
        if (!(fraction >= 0 && fraction < 1))
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The validation fraction must be in [0, 1).");
        int split = (int)Math.Floor(Count * (1.0 - fraction));
        return (Slice(0, split), Slice(split, Count - split));
    }

    /// <summary>One-hot targets, <c>Count * Classes</c> floats (for categorical cross-entropy).</summary>
    public float[] OneHotLabels() => Data.Labels.OneHot(Labels, Classes);

    /// <summary>Class indices as floats, one per sample (for sparse categorical cross-entropy).</summary>
    public float[] SparseLabels() => Data.Labels.ToFloat(Labels);
}
