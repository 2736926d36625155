using System;
using System.Numerics.Tensors;

namespace NnGen.Metrics;

/// <summary>
/// Counts of (true class, predicted class) pairs for a classifier, laid out like scikit-learn's
/// <c>confusion_matrix</c>: row = true class, column = predicted class. Fill it from labels and predictions
/// (<see cref="Add"/>), from network outputs (<see cref="AddOutputs"/>), or straight from a network
/// (<see cref="Accumulate"/>); then read per-class precision, recall, F1 and support, or build a
/// <see cref="ClassificationReport"/>.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[] _counts;

    /// <summary>An empty matrix for <paramref name="classes"/> classes.</summary>
    /// <param name="classes">Number of classes (2 or more; a one-output binary classifier has 2).</param>
    public ConfusionMatrix(int classes)
    {
        if (classes < 2)
            throw new ArgumentOutOfRangeException(nameof(classes), classes, "A confusion matrix needs at least 2 classes.");
        Classes = classes;
        _counts = new long[classes * classes];
    }

    /// <summary>Number of classes: the matrix is <c>Classes x Classes</c>.</summary>
    public int Classes { get; }

    /// <summary>Samples counted.</summary>
    public long Total { get; private set; }

    /// <summary>Samples whose true class is <paramref name="actual"/> and predicted class is <paramref name="predicted"/>.</summary>
    public long this[int actual, int predicted] => _counts[Index(actual, nameof(actual)) * Classes + Index(predicted, nameof(predicted))];

    /// <summary>Samples predicted correctly (the diagonal).</summary>
    public long Correct
    {
        get
        {
            long sum = 0;
            for (int c = 0; c < Classes; c++) sum += _counts[c * Classes + c];
            return sum;
        }
    }

    /// <summary>Fraction of samples predicted correctly; NaN when empty.</summary>
    public double Accuracy => Total == 0 ? double.NaN : (double)Correct / Total;

    /// <summary>Counts one sample.</summary>
    /// <param name="predicted">Predicted class.</param>
    /// <param name="actual">True class.</param>
    public void Add(int predicted, int actual)
    {
        _counts[Index(actual, nameof(actual)) * Classes + Index(predicted, nameof(predicted))]++;
        Total++;
    }

    /// <summary>
    /// Counts a batch of network outputs against their labels: the predicted class of a row is its arg max
    /// (ties to the first), or, for a single sigmoid output, 1 when the output is at least 0.5.
    /// Allocates nothing.
    /// </summary>
    /// <param name="outputs">rows * outputSize floats, as written by <see cref="INetwork.Predict"/>.</param>
    /// <param name="outputSize">Floats per row: <see cref="Classes"/>, or 1 for a binary classifier.</param>
    /// <param name="labels">True class of each row.</param>
    public void AddOutputs(ReadOnlySpan<float> outputs, int outputSize, ReadOnlySpan<byte> labels)
    {
        CheckOutputs(outputs, outputSize, labels.Length, Classes);
        for (int i = 0; i < labels.Length; i++)
            Add(PredictedClass(outputs.Slice(i * outputSize, outputSize)), labels[i]);
    }

    /// <summary>
    /// Runs <paramref name="network"/> over <paramref name="inputs"/> in chunks of <paramref name="batchSize"/> rows with
    /// one reusable output buffer, and counts each prediction against its label.
    /// </summary>
    /// <param name="network">A classifier with <see cref="Classes"/> outputs (or 1 sigmoid output for 2 classes).</param>
    /// <param name="inputs">n * InputSize floats.</param>
    /// <param name="labels">n true classes.</param>
    /// <param name="batchSize">Rows per forward pass.</param>
    public void Accumulate(INetwork network, ReadOnlySpan<float> inputs, ReadOnlySpan<byte> labels, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(network);
        CheckOutputSize(network.OutputSize, Classes);
        Chunks.Predict(network, inputs, labels, batchSize, this, static (matrix, outputs, outputSize, chunkLabels) =>
            matrix.AddOutputs(outputs, outputSize, chunkLabels));
    }

    /// <summary>The matrix of <paramref name="network"/>'s predictions on a labelled data set.</summary>
    /// <param name="network">A classifier.</param>
    /// <param name="inputs">n * InputSize floats.</param>
    /// <param name="labels">n true classes.</param>
    /// <param name="batchSize">Rows per forward pass.</param>
    public static ConfusionMatrix Compute(INetwork network, ReadOnlySpan<float> inputs, ReadOnlySpan<byte> labels, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(network);
        var matrix = new ConfusionMatrix(Math.Max(2, network.OutputSize));
        matrix.Accumulate(network, inputs, labels, batchSize);
        return matrix;
    }

    /// <summary>Samples whose true class is <paramref name="c"/> (the row sum).</summary>
    public long Support(int c)
    {
        Index(c, nameof(c));
        long sum = 0;
        for (int p = 0; p < Classes; p++) sum += _counts[c * Classes + p];
        return sum;
    }

    /// <summary>Samples predicted as class <paramref name="c"/> (the column sum).</summary>
    public long PredictedCount(int c)
    {
        Index(c, nameof(c));
        long sum = 0;
        for (int a = 0; a < Classes; a++) sum += _counts[a * Classes + c];
        return sum;
    }

    /// <summary>Of the samples predicted as <paramref name="c"/>, the fraction that are <paramref name="c"/>; 0 when none is predicted (scikit-learn's <c>zero_division=0</c>).</summary>
    public double Precision(int c) => Ratio(_counts[Index(c, nameof(c)) * Classes + c], PredictedCount(c));

    /// <summary>Of the samples of class <paramref name="c"/>, the fraction predicted as <paramref name="c"/>; 0 when the class has no samples.</summary>
    public double Recall(int c) => Ratio(_counts[Index(c, nameof(c)) * Classes + c], Support(c));

    /// <summary>Harmonic mean of precision and recall of class <paramref name="c"/>; 0 when both are 0.</summary>
    public double F1(int c)
    {
        double p = Precision(c), r = Recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /// <summary>A copy of the counts, row = true class, column = predicted class.</summary>
    public long[,] ToArray()
    {
        var result = new long[Classes, Classes];
        for (int a = 0; a < Classes; a++)
            for (int p = 0; p < Classes; p++)
                result[a, p] = _counts[a * Classes + p];
        return result;
    }

    /// <summary>Forgets every count.</summary>
    public void Clear()
    {
        Array.Clear(_counts);
        Total = 0;
    }

    internal static int PredictedClass(ReadOnlySpan<float> row) =>
        row.Length == 1 ? (row[0] >= 0.5f ? 1 : 0) : TensorPrimitives.IndexOfMax(row);

    internal static void CheckOutputSize(int outputSize, int classes)
    {
        if (outputSize != classes && !(outputSize == 1 && classes == 2))
            throw new ArgumentException(
                $"Expected outputs of {classes} classes (or 1 sigmoid output for 2 classes), but the network has {outputSize} outputs.");
    }

    internal static void CheckOutputs(ReadOnlySpan<float> outputs, int outputSize, int rows, int classes)
    {
        CheckOutputSize(outputSize, classes);
        if (outputs.Length != rows * outputSize)
            throw new ArgumentException(
                $"Expected {rows} rows of {outputSize} outputs ({rows * outputSize} floats) for {rows} labels, but got {outputs.Length} floats.",
                nameof(outputs));
    }

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? 0 : (double)numerator / denominator;

    private int Index(int c, string name)
    {
        if ((uint)c >= (uint)Classes)
            throw new ArgumentOutOfRangeException(name, c, $"Class {c} is out of range for {Classes} classes (expected 0 to {Classes - 1}).");
        return c;
    }
}
