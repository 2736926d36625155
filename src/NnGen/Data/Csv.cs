using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace NnGen.Data;

/// <summary>How <see cref="Csv"/> reads a file.</summary>
public sealed record CsvOptions
{
    /// <summary>The field separator; <c>,</c> by default.</summary>
    public char Separator { get; init; } = ',';

    /// <summary>
    /// Whether the first line names the columns. <see langword="null"/> (the default) decides from the line itself: it
    /// is a header when none of its cells is a number, data when all are; a line mixing numbers with other cells (a typo
    /// such as <c>O.5</c>, or an empty cell) is an error, so that a data row is never taken for a header and lost.
    /// </summary>
    public bool? HasHeader { get; init; }

    /// <summary>
    /// Name of the label column in the header. When neither this nor <see cref="LabelColumn"/> is set, the label is the
    /// column named <c>label</c> (any case); without one, <see cref="Csv.Load(string, CsvOptions?)"/> says so rather than guess.
    /// </summary>
    public string? LabelColumnName { get; init; }

    /// <summary>0-based index of the label column (see <see cref="LabelColumnName"/>).</summary>
    public int? LabelColumn { get; init; }

    /// <summary>Names of the regression target columns in the header, for <see cref="Csv.LoadRegression(string, CsvOptions?)"/>.</summary>
    public IReadOnlyList<string>? TargetColumnNames { get; init; }

    /// <summary>0-based indices of the regression target columns (see <see cref="TargetColumnNames"/>).</summary>
    public IReadOnlyList<int>? TargetColumns { get; init; }

    /// <summary>Each feature is multiplied by this; <c>1f / 255</c> maps pixel values 0..255 to [0, 1]. 1 by default. Targets are not scaled.</summary>
    public float FeatureScale { get; init; } = 1f;

    /// <summary>Number of classes; by default the largest label plus one.</summary>
    public int? Classes { get; init; }
}

/// <summary>
/// Loads numeric CSV files: one sample per line, features and either a class label (a whole number from 0 to 255) or
/// float regression targets in columns, an optional header, fields optionally in double quotes. Every error names the
/// file, the line and the column (1-based).
/// </summary>
public static class Csv
{
    /// <summary>Loads a labelled data set: the label column and every other column as features.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="options">How to read it; defaults when <see langword="null"/>.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A row is ragged, a cell is not a finite number, a label is not a class index, no column is the label, or there are no rows.</exception>
    public static Dataset Load(string path, CsvOptions? options = null)
    {
        using StreamReader reader = Open(path);
        return Load(reader, path, options);
    }

    /// <summary>Loads a labelled data set from a reader, which is left open. See <see cref="Load(string, CsvOptions?)"/>.</summary>
    /// <param name="reader">CSV text.</param>
    /// <param name="sourceName">Name used in error messages, normally the file path.</param>
    /// <param name="options">How to read it; defaults when <see langword="null"/>.</param>
    public static Dataset Load(TextReader reader, string sourceName, CsvOptions? options = null)
    {
        options ??= new CsvOptions();
        if (options.TargetColumnNames is not null || options.TargetColumns is not null)
            throw new ArgumentException("Target columns are for Csv.LoadRegression; Csv.Load reads one class label (LabelColumn or LabelColumnName).", nameof(options));
        Table table = Read(reader, sourceName, options, Purpose.Classification);
        int maxLabel = 0;
        foreach (byte label in table.Labels) maxLabel = Math.Max(maxLabel, label);
        int classes = options.Classes ?? Math.Max(2, maxLabel + 1);
        for (int i = 0; i < table.Labels.Count; i++)
        {
            if (table.Labels[i] >= classes)
                throw new InvalidDataException(
                    $"{sourceName}, line {table.LabelLines[i]}, column {table.LabelColumn + 1}: class {table.Labels[i]} is out of range for {classes} classes (expected 0 to {classes - 1}).");
        }
        return new Dataset(table.Features.ToArray(), table.Labels.ToArray(), table.FeatureSize, classes);
    }

    /// <summary>
    /// Loads a regression data set: the columns that <see cref="CsvOptions.TargetColumnNames"/> or
    /// <see cref="CsvOptions.TargetColumns"/> name are the targets (finite floats, not scaled), every other column a feature.
    /// </summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="options">How to read it; must name the target columns.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A row is ragged, a cell is not a finite number, a target column is missing, or there are no rows.</exception>
    public static Dataset LoadRegression(string path, CsvOptions options)
    {
        using StreamReader reader = Open(path);
        return LoadRegression(reader, path, options);
    }

    /// <summary>Loads a regression data set from a reader, which is left open. See <see cref="LoadRegression(string, CsvOptions)"/>.</summary>
    /// <param name="reader">CSV text.</param>
    /// <param name="sourceName">Name used in error messages, normally the file path.</param>
    /// <param name="options">How to read it; must name the target columns.</param>
    public static Dataset LoadRegression(TextReader reader, string sourceName, CsvOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if ((options.TargetColumnNames?.Count ?? 0) + (options.TargetColumns?.Count ?? 0) == 0)
            throw new ArgumentException("Name the regression target columns: set TargetColumnNames or TargetColumns.", nameof(options));
        Table table = Read(reader, sourceName, options, Purpose.Regression);
        return new Dataset(table.Features.ToArray(), table.Targets.ToArray(), table.FeatureSize, table.TargetSize);
    }

    /// <summary>
    /// Loads features only, for prediction. The label column is skipped when <paramref name="options"/> names one or the
    /// header has a column called <c>label</c>, and so are target columns that the options name; every other column is a feature.
    /// </summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="featureSize">Features per row.</param>
    /// <param name="options">How to read it; defaults when <see langword="null"/>.</param>
    /// <returns>rows * featureSize floats.</returns>
    public static float[] LoadFeatures(string path, out int featureSize, CsvOptions? options = null)
    {
        using StreamReader reader = Open(path);
        Table table = Read(reader, path, options ?? new CsvOptions(), Purpose.Features);
        featureSize = table.FeatureSize;
        return table.Features.ToArray();
    }

    private enum Purpose { Classification, Regression, Features }

    private sealed class Table
    {
        public List<float> Features { get; } = new();
        public List<float> Targets { get; } = new();
        public List<byte> Labels { get; } = new();
        public List<int> LabelLines { get; } = new();
        public int FeatureSize { get; set; }
        public int TargetSize { get; set; }
        public int LabelColumn { get; set; } = -1;
        public bool[] IsTarget { get; set; } = [];
    }

    private static StreamReader Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"CSV file not found: {path}", path);
        return new StreamReader(path);
    }

    private static Table Read(TextReader reader, string source, CsvOptions options, Purpose purpose)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (options.Separator is '"' or '\n' or '\r')
            throw new ArgumentException($"The separator cannot be {Printable(options.Separator)}.", nameof(options));
        if (!(float.IsFinite(options.FeatureScale) && options.FeatureScale != 0))
            throw new ArgumentException($"The feature scale must be a finite number other than 0, but it is {options.FeatureScale}.", nameof(options));
        if (options.Classes is < 1 or > 256)
            throw new ArgumentException($"Classes must be from 1 to 256 (labels are bytes), but it is {options.Classes}.", nameof(options));

        var table = new Table();
        var fields = new List<Range>();
        string? line;
        int lineNumber = 0, columns = -1, firstDataLine = 0;
        string[]? header = null;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.AsSpan().IsWhiteSpace()) continue;
            Split(line, options.Separator, fields, source, lineNumber);
            if (columns < 0)
            {
                columns = fields.Count;
                bool isHeader = options.HasHeader ?? IsHeader(line, fields, source, lineNumber);
                if (isHeader) header = Names(line, fields, source, lineNumber);
                Assign(table, options, header, columns, source, purpose);
                if (table.FeatureSize == 0)
                    throw new InvalidDataException($"{source}, line {lineNumber}: every column is a label or target; expected feature columns too.");
                if (isHeader) continue;
                firstDataLine = lineNumber;
            }
            if (fields.Count != columns)
                throw new InvalidDataException(
                    $"{source}, line {lineNumber}: {fields.Count} column{(fields.Count == 1 ? "" : "s")}, but {(header is null ? $"line {firstDataLine}" : "the header")} has {columns}.");
            if (firstDataLine == 0) firstDataLine = lineNumber;
            for (int c = 0; c < columns; c++)
            {
                ReadOnlySpan<char> cell = line.AsSpan(fields[c]).Trim();
                if (c == table.LabelColumn)
                {
                    if (!byte.TryParse(cell, NumberStyles.Integer, CultureInfo.InvariantCulture, out byte label))
                        throw Cell(source, lineNumber, c, header, $"'{cell}' is not a class index (a whole number from 0 to 255)");
                    table.Labels.Add(label);
                    table.LabelLines.Add(lineNumber);
                }
                else if (table.IsTarget[c])
                {
                    table.Targets.Add(Number(cell, 1f, source, lineNumber, c, header));
                }
                else
                {
                    table.Features.Add(Number(cell, options.FeatureScale, source, lineNumber, c, header));
                }
            }
        }
        if (firstDataLine == 0)
            throw new InvalidDataException($"{source}: no data rows{(header is null ? "" : " after the header")}; expected one sample per line.");
        return table;
    }

    /// <summary>Parses a cell and multiplies it by <paramref name="scale"/>; both the value and the product must be finite floats.</summary>
    private static float Number(ReadOnlySpan<char> cell, float scale, string source, int line, int column, string[]? header)
    {
        if (!float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
            throw Cell(source, line, column, header, cell.IsEmpty ? "the cell is empty; expected a number" : $"'{cell}' is not a number");
        if (!float.IsFinite(value))
            throw Cell(source, line, column, header, $"'{cell}' is not a finite float (the largest is {float.MaxValue.ToString(CultureInfo.InvariantCulture)})");
        float scaled = value * scale;
        if (!float.IsFinite(scaled))
            throw Cell(source, line, column, header,
                $"'{cell}' times the feature scale {scale.ToString(CultureInfo.InvariantCulture)} is {scaled.ToString(CultureInfo.InvariantCulture)}, not a finite float");
        return scaled;
    }

    /// <summary>
    /// Decides which columns are the label, the targets and the features, from the options and the header.
    /// </summary>
    private static void Assign(Table table, CsvOptions options, string[]? header, int columns, string source, Purpose purpose)
    {
        table.IsTarget = new bool[columns];
        // Load rejects target options up front, so a classification finds none here.
        List<int> targets = TargetColumns(options, header, columns, source);
        foreach (int t in targets) table.IsTarget[t] = true;
        table.TargetSize = targets.Count;
        if (purpose != Purpose.Regression)
            table.LabelColumn = LabelColumn(options, header, columns, source, required: purpose == Purpose.Classification);
        table.FeatureSize = columns - targets.Count - (table.LabelColumn < 0 || table.IsTarget[table.LabelColumn] ? 0 : 1);
    }

    private static List<int> TargetColumns(CsvOptions options, string[]? header, int columns, string source)
    {
        var targets = new List<int>();
        if (options.TargetColumnNames is { } names)
        {
            if (header is null)
                throw new InvalidDataException($"{source}: the target columns are named ('{string.Join("', '", names)}'), but the file has no header line.");
            foreach (string name in names)
                targets.Add(Find(header, name, source));
        }
        foreach (int column in options.TargetColumns ?? [])
        {
            targets.Add(column >= 0 && column < columns ? column : throw new InvalidDataException(
                $"{source}: target column {column} is out of range; the rows have {columns} columns (0 to {columns - 1})."));
        }
        for (int i = 1; i < targets.Count; i++)
        {
            if (targets.IndexOf(targets[i]) < i)
                throw new InvalidDataException($"{source}: column {targets[i] + 1} is given twice as a target.");
        }
        return targets;
    }

    private static int LabelColumn(CsvOptions options, string[]? header, int columns, string source, bool required)
    {
        if (options.LabelColumnName is string name)
        {
            if (header is null)
                throw new InvalidDataException($"{source}: the label column is named '{name}', but the file has no header line.");
            return Find(header, name, source);
        }
        if (options.LabelColumn is int column)
        {
            return column >= 0 && column < columns ? column : throw new InvalidDataException(
                $"{source}: label column {column} is out of range; the rows have {columns} columns (0 to {columns - 1}).");
        }
        int named = header is null ? -1 : Array.FindIndex(header, h => string.Equals(h, "label", StringComparison.OrdinalIgnoreCase));
        if (named >= 0 || !required)
            return named;
        throw new InvalidDataException(header is null
            ? $"{source}: which column is the label? The file has no header, so none is named 'label'; set CsvOptions.LabelColumn (a 0-based index)."
            : $"{source}: which column is the label? The header has no column named 'label' ({Describe(header)}); set CsvOptions.LabelColumnName or LabelColumn.");
    }

    private static int Find(string[] header, string name, string source)
    {
        int index = Array.FindIndex(header, h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));
        return index >= 0 ? index : throw new InvalidDataException(
            $"{source}: no column is named '{name}'; the header has {Describe(header)}.");
    }

    private static InvalidDataException Cell(string source, int line, int column, string[]? header, string problem) =>
        new($"{source}, line {line}, column {column + 1}{(header is null ? "" : $" ('{header[column]}')")}: {problem}.");

    /// <summary>
    /// Whether the first line is a header: yes when none of its cells is a number, no when all are, an error when it
    /// mixes both (a data row with a typo must not silently become the header).
    /// </summary>
    private static bool IsHeader(string line, List<Range> fields, string source, int lineNumber)
    {
        bool anyNumber = false;
        int firstOther = -1;
        for (int i = 0; i < fields.Count; i++)
        {
            if (double.TryParse(line.AsSpan(fields[i]).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _)) anyNumber = true;
            else if (firstOther < 0) firstOther = i;
        }
        if (!anyNumber || firstOther < 0)
            return !anyNumber;
        ReadOnlySpan<char> cell = line.AsSpan(fields[firstOther]).Trim();
        throw new InvalidDataException(
            $"{source}: line {lineNumber} has numeric cells and {(cell.IsEmpty ? "an empty cell" : $"the non-numeric '{cell}'")} in column {firstOther + 1}: set HasHeader = true if it is a header, or fix the cell.");
    }

    private static string[] Names(string line, List<Range> fields, string source, int lineNumber)
    {
        var names = new string[fields.Count];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = line.AsSpan(fields[i]).Trim().ToString().Replace("\"\"", "\"", StringComparison.Ordinal);
            int first = Array.FindIndex(names, 0, i, n => string.Equals(n, names[i], StringComparison.OrdinalIgnoreCase));
            if (first >= 0)
                throw new InvalidDataException($"{source}, line {lineNumber}: columns {first + 1} ('{names[first]}') and {i + 1} ('{names[i]}') have the same name (case is ignored); column names must differ.");
        }
        return names;
    }

    private static string Describe(string[] header) =>
        header.Length <= 8
            ? $"{header.Length} columns: {string.Join(", ", header)}"
            : $"{header.Length} columns: {string.Join(", ", header[..6])}, ..., {header[^1]}";

    /// <summary>Splits a line into field ranges; a quoted field's range is its inside, with doubled quotes left doubled.</summary>
    private static void Split(string line, char separator, List<Range> fields, string source, int lineNumber)
    {
        fields.Clear();
        int i = 0;
        while (true)
        {
            int start = i;
            while (i < line.Length && line[i] == ' ') i++;
            if (i < line.Length && line[i] == '"')
            {
                int open = i, inner = ++i;
                while (true)
                {
                    if (i >= line.Length)
                        throw new InvalidDataException($"{source}, line {lineNumber}, column {fields.Count + 1}: the quote opened at character {open + 1} is not closed.");
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"') { i += 2; continue; }
                        break;
                    }
                    i++;
                }
                fields.Add(inner..i);
                i++;
                while (i < line.Length && line[i] == ' ') i++;
                if (i < line.Length && line[i] != separator)
                    throw new InvalidDataException($"{source}, line {lineNumber}, column {fields.Count}: unexpected {Printable(line[i])} after the closing quote at character {i + 1}.");
            }
            else
            {
                i = start;
                while (i < line.Length && line[i] != separator) i++;
                fields.Add(start..i);
            }
            if (i >= line.Length) return;
            i++; // the separator
        }
    }

    private static string Printable(char c) => char.IsControl(c) ? $"U+{(int)c:X4}" : $"'{c}'";
}
