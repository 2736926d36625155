using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace NnGen.Metrics;

/// <summary>Precision, recall, F1 and support of one class, or an average over classes.</summary>
/// <param name="Name">Class name, or <c>macro avg</c> / <c>weighted avg</c>.</param>
/// <param name="Precision">Of the samples predicted as the class, the fraction that are.</param>
/// <param name="Recall">Of the samples of the class, the fraction predicted as it.</param>
/// <param name="F1">Harmonic mean of precision and recall.</param>
/// <param name="Support">Samples of the class (all samples for an average).</param>
public readonly record struct ClassMetrics(string Name, double Precision, double Recall, double F1, long Support);

/// <summary>
/// Per-class precision, recall, F1 and support with accuracy and the macro and weighted averages: scikit-learn's
/// <c>classification_report</c>, laid out the same way by <see cref="ToString()"/>. Every class of the matrix gets a row;
/// a ratio with a zero denominator counts as 0 (scikit-learn's <c>zero_division=0</c>).
/// </summary>
public sealed class ClassificationReport
{
    /// <summary>The report of a confusion matrix.</summary>
    /// <param name="matrix">Counts of true and predicted classes.</param>
    /// <param name="classNames">A name per class; <c>0</c>, <c>1</c>, ... when omitted.</param>
    public ClassificationReport(ConfusionMatrix matrix, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (classNames is not null && classNames.Count != matrix.Classes)
            throw new ArgumentException($"Expected {matrix.Classes} class names, one per class, but got {classNames.Count}.", nameof(classNames));
        var rows = new ClassMetrics[matrix.Classes];
        for (int c = 0; c < rows.Length; c++)
            rows[c] = new ClassMetrics(classNames?[c] ?? c.ToString(CultureInfo.InvariantCulture),
                matrix.Precision(c), matrix.Recall(c), matrix.F1(c), matrix.Support(c));
        Classes = rows;
        Total = matrix.Total;
        Accuracy = matrix.Accuracy;
        MacroAverage = new ClassMetrics("macro avg",
            rows.Average(r => r.Precision), rows.Average(r => r.Recall), rows.Average(r => r.F1), Total);
        WeightedAverage = new ClassMetrics("weighted avg",
            Weighted(rows, r => r.Precision), Weighted(rows, r => r.Recall), Weighted(rows, r => r.F1), Total);
    }

    /// <summary>One row per class, in class order.</summary>
    public IReadOnlyList<ClassMetrics> Classes { get; }

    /// <summary>Samples counted.</summary>
    public long Total { get; }

    /// <summary>Fraction of samples predicted correctly.</summary>
    public double Accuracy { get; }

    /// <summary>Unweighted mean over classes.</summary>
    public ClassMetrics MacroAverage { get; }

    /// <summary>Mean over classes weighted by support.</summary>
    public ClassMetrics WeightedAverage { get; }

    /// <summary>The report with two decimals, as <c>print(classification_report(y_true, y_pred))</c> shows it.</summary>
    public override string ToString() => ToString(2);

    /// <summary>The report in scikit-learn's layout with <paramref name="digits"/> decimals.</summary>
    /// <param name="digits">Decimals of precision, recall, F1 and accuracy.</param>
    public string ToString(int digits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(digits);
        const string longestHeading = "weighted avg";
        int width = Math.Max(Math.Max(Classes.Max(r => r.Name.Length), longestHeading.Length), digits);
        var sb = new StringBuilder();
        sb.Append(new string(' ', width + 1));
        foreach (string header in (ReadOnlySpan<string>)["precision", "recall", "f1-score", "support"])
            sb.Append(' ').Append(header.PadLeft(9));
        sb.Append("\n\n");
        foreach (ClassMetrics row in Classes) AppendRow(sb, row, width, digits);
        sb.Append('\n');
        sb.Append("accuracy".PadLeft(width)).Append(' ')
          .Append(' ', 20).Append(' ').Append(Number(Accuracy, digits).PadLeft(9))
          .Append(' ').Append(Total.ToString(CultureInfo.InvariantCulture).PadLeft(9)).Append('\n');
        AppendRow(sb, MacroAverage, width, digits);
        AppendRow(sb, WeightedAverage, width, digits);
        return sb.ToString();
    }

    private static void AppendRow(StringBuilder sb, ClassMetrics row, int width, int digits) =>
        sb.Append(row.Name.PadLeft(width)).Append(' ')
          .Append(' ').Append(Number(row.Precision, digits).PadLeft(9))
          .Append(' ').Append(Number(row.Recall, digits).PadLeft(9))
          .Append(' ').Append(Number(row.F1, digits).PadLeft(9))
          .Append(' ').Append(row.Support.ToString(CultureInfo.InvariantCulture).PadLeft(9)).Append('\n');

    private static string Number(double value, int digits) => value.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static double Weighted(ClassMetrics[] rows, Func<ClassMetrics, double> metric)
    {
        long total = rows.Sum(r => r.Support);
        return total == 0 ? 0 : rows.Sum(r => metric(r) * r.Support) / total;
    }
}
