using System;

namespace NnGen.Data;

/// <summary>
/// A dataset held in memory: <see cref="Count"/> samples of <see cref="FeatureSize"/> floats each, stored flat and
/// row-major, with either one class label per sample (classification) or <see cref="TargetSize"/> float targets per
/// sample (regression, <see cref="IsRegression"/>).
/// </summary>
public sealed class Dataset
{
    private readonly byte[]? _labels;
    private readonly float[]? _targets;

    /// <summary>Creates a classification dataset over the given arrays (not copied).</summary>
    /// <param name="features"><c>labels.Length * featureSize</c> floats, one row per sample.</param>
    /// <param name="labels">Class of each sample, each below <paramref name="classes"/>.</param>
    /// <param name="featureSize">Floats per sample.</param>
    /// <param name="classes">Number of classes.</param>
    /// <exception cref="ArgumentException">The sizes do not agree, or a label is out of range.</exception>
    public Dataset(float[] features, byte[] labels, int featureSize, int classes)
        : this(features, labels?.Length ?? throw new ArgumentNullException(nameof(labels)), featureSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        for (int i = 0; i < labels.Length; i++)
            Data.Labels.CheckLabel(labels[i], i, classes);
        _labels = labels;
        Classes = classes;
    }

    /// <summary>Creates a regression dataset over the given arrays (not copied).</summary>
    /// <param name="features"><c>count * featureSize</c> floats, one row per sample.</param>
    /// <param name="targets"><c>count * targetSize</c> finite floats, one row per sample.</param>
    /// <param name="featureSize">Floats per sample.</param>
    /// <param name="targetSize">Targets per sample.</param>
    /// <exception cref="ArgumentException">The sizes do not agree, or a target is not finite.</exception>
    public Dataset(float[] features, float[] targets, int featureSize, int targetSize)
        : this(features, Rows(targets, targetSize), featureSize)
    {
        for (int i = 0; i < targets.Length; i++)
        {
            if (!float.IsFinite(targets[i]))
                throw new ArgumentException($"Target {i % targetSize} of sample {i / targetSize} is {targets[i]}; targets must be finite.", nameof(targets));
        }
        _targets = targets;
        TargetSize = targetSize;
    }

    private Dataset(float[] features, int count, int featureSize)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentOutOfRangeException.ThrowIfLessThan(featureSize, 1);
        if ((long)count * featureSize != features.Length)
            throw new ArgumentException(
                $"{count} samples of {featureSize} features need {(long)count * featureSize} floats, but features holds {features.Length}.",
                nameof(features));
        Features = features;
        Count = count;
        FeatureSize = featureSize;
    }

    private static int Rows(float[] targets, int targetSize)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetSize, 1);
        if (targets.Length % targetSize != 0)
            throw new ArgumentException($"{targets.Length} targets are not whole rows of {targetSize}.", nameof(targets));
        return targets.Length / targetSize;
    }

    /// <summary>All features, <c>Count * FeatureSize</c> floats, row-major.</summary>
    public float[] Features { get; }

    /// <summary>Whether the samples have float <see cref="Targets"/> rather than class <see cref="Labels"/>.</summary>
    public bool IsRegression => _targets is not null;

    /// <summary>Class of each sample.</summary>
    /// <exception cref="InvalidOperationException">This is a regression dataset (see <see cref="Targets"/>).</exception>
    public byte[] Labels => _labels ?? throw new InvalidOperationException(
        "This dataset holds regression targets, not class labels: use Targets.");

    /// <summary>Regression targets, <c>Count * TargetSize</c> floats, row-major; what <c>Fit</c> takes as targets.</summary>
    /// <exception cref="InvalidOperationException">This is a classification dataset (see <see cref="Labels"/>).</exception>
    public float[] Targets => _targets ?? throw new InvalidOperationException(
        "This dataset holds class labels, not regression targets: use OneHotLabels() or SparseLabels().");

    /// <summary>Number of samples.</summary>
    public int Count { get; }

    /// <summary>Floats per sample (784 for 28x28 images).</summary>
    public int FeatureSize { get; }

    /// <summary>Number of classes; every label is below it. 0 for a regression dataset.</summary>
    public int Classes { get; }

    /// <summary>Targets per sample of a regression dataset; 0 for a classification dataset.</summary>
    public int TargetSize { get; }

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
        float[] features = Features.AsSpan(start * FeatureSize, count * FeatureSize).ToArray();
        return _targets is null
            ? new Dataset(features, _labels.AsSpan(start, count).ToArray(), FeatureSize, Classes)
            : new Dataset(features, _targets.AsSpan(start * TargetSize, count * TargetSize).ToArray(), FeatureSize, TargetSize);
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
    /// <exception cref="InvalidOperationException">This is a regression dataset.</exception>
    public float[] OneHotLabels() => Data.Labels.OneHot(Labels, Classes);

    /// <summary>Class indices as floats, one per sample (for sparse categorical cross-entropy).</summary>
    /// <exception cref="InvalidOperationException">This is a regression dataset.</exception>
    public float[] SparseLabels() => Data.Labels.ToFloat(Labels);
}
