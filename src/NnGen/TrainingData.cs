using System;
using System.Globalization;
using System.Numerics.Tensors;

namespace NnGen;

/// <summary>
/// The checks <c>Fit</c> and <c>Evaluate</c> make once, before the first update: every input is finite, and every target is
/// what the network's loss takes. Errors name the sample's index in the arrays given, the feature or column, the value and
/// what was expected.
/// </summary>
internal static class TrainingData
{
    /// <param name="network">The network, for its sizes and loss.</param>
    /// <param name="inputs">rows * InputSize floats.</param>
    /// <param name="targets">rows * TargetSize floats.</param>
    /// <param name="firstSample">Index of the first row in the arrays the caller was given (the validation part starts after the training part).</param>
    /// <param name="split"><c>training</c> or <c>validation</c> within <c>Fit</c>; <see langword="null"/> for <c>Evaluate</c>.</param>
    /// <exception cref="ArgumentException">An input is not finite, or a target is out of the loss's range.</exception>
    public static void Check(INetwork network, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int firstSample, string? split)
    {
        // One pass: a float sum is finite only when every term is (NaN and infinities propagate); only a sum that is not
        // (a real failure, or finite values overflowing the sum) looks for the culprit.
        if (!float.IsFinite(TensorPrimitives.Sum(inputs)))
        {
            int i = NetworkExtensions.FirstNonFinite(inputs);
            if (i >= 0)
                throw new ArgumentException(
                    $"The input of sample {firstSample + i / network.InputSize}{Where(split)}, feature {i % network.InputSize}, is {Format(inputs[i])}: inputs must be finite numbers.",
                    nameof(inputs));
        }
        int n = network.OutputSize;
        Loss loss = network.Loss;
        for (int i = 0; i < targets.Length; i++)
        {
            float t = targets[i];
            bool ok = loss switch
            {
                Loss.SparseCategoricalCrossEntropy => t >= 0 && t < n && t == MathF.Floor(t),
                Loss.MeanSquaredError => float.IsFinite(t),
                _ => t >= 0 && t <= 1, // false for NaN
            };
            if (ok) continue;
            string what = loss switch
            {
                Loss.SparseCategoricalCrossEntropy => $"sparse categorical cross-entropy takes a class index: an integer in [0, {n - 1}]",
                Loss.MeanSquaredError => "mean squared error takes finite numbers",
                Loss.CategoricalCrossEntropy => "categorical cross-entropy takes probabilities in [0, 1] (one-hot rows, or soft labels)",
                _ => "binary cross-entropy takes probabilities in [0, 1]",
            };
            string column = network.TargetSize == 1 ? "" : $", column {i % n},";
            throw new ArgumentException(
                $"The target of sample {firstSample + i / network.TargetSize}{Where(split)}{column} is {Format(t)}, but {what}.", nameof(targets));
        }
    }

    private static string Where(string? split) => split is null ? "" : $" (in the {split} split)";

    private static string Format(float value) => value.ToString("R", CultureInfo.InvariantCulture);
}
