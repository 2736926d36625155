using System;

namespace NnGen.Data;

/// <summary>Conversions between class labels and the float targets and outputs of a network.</summary>
public static class Labels
{
    /// <summary>One-hot encodes <paramref name="labels"/>: <c>labels.Length * classes</c> floats, 1 at each sample's class and 0 elsewhere.</summary>
    /// <param name="labels">Class index of each sample.</param>
    /// <param name="classes">Number of classes (width of each one-hot row).</param>
    /// <exception cref="ArgumentOutOfRangeException">A label is not below <paramref name="classes"/>; the message gives its index.</exception>
    public static float[] OneHot(ReadOnlySpan<byte> labels, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        float[] result = new float[checked(labels.Length * classes)];
        for (int i = 0; i < labels.Length; i++)
        {
            CheckLabel(labels[i], i, classes);
            result[i * classes + labels[i]] = 1f;
        }
        return result;
    }

    /// <summary>Class indices as floats, one per sample: the targets of sparse categorical cross-entropy.</summary>
    /// <param name="labels">Class index of each sample.</param>
    public static float[] ToFloat(ReadOnlySpan<byte> labels)
    {
        float[] result = new float[labels.Length];
        for (int i = 0; i < labels.Length; i++)
            result[i] = labels[i];
        return result;
    }

    /// <summary>Index of the largest value, the predicted class of a row of scores; ties go to the first index.</summary>
    /// <param name="values">A non-empty row of scores or probabilities.</param>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty.</exception>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty)
            throw new ArgumentException("Cannot take the arg max of an empty span.", nameof(values));
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
                best = i;
        }
        return best;
    }

    internal static void CheckLabel(byte label, int index, int classes)
    {
        if (label >= classes)
            throw new ArgumentOutOfRangeException("labels", label,
                $"Label {label} at index {index} is out of range for {classes} classes (expected 0 to {classes - 1}).");
    }
}
