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
    /// Whether the first line names the columns. <see langword="null"/> (the default) decides from the line itself:
    /// it is a header when one of its cells is not a number.
    /// </summary>
    public bool? HasHeader { get; init; }

    /// <summary>
    /// Name of the label column in the header. When neither this nor <see cref="LabelColumn"/> is set, the label is
    /// the column named <c>label</c> (any case) if there is one, else the first column.
    /// </summary>
    public string? LabelColumnName { get; init; }

    /// <summary>0-based index of the label column (see <see cref="LabelColumnName"/>).</summary>
    public int? LabelColumn { get; init; }

    /// <summary>Each feature is multiplied by this; <c>1f / 255</c> maps pixel values 0..255 to [0, 1]. 1 by default.</summary>
    public float FeatureScale { get; init; } = 1f;

    /// <summary>Number of classes; by default the largest label plus one.</summary>
    public int? Classes { get; init; }
}

/// <summary>
/// Loads numeric CSV files: one sample per line, features and a class label (a whole number from 0 to 255) in
/// columns, an optional header, fields optionally in double quotes. Every error names the file, the line and the
/// column (1-based).
/// </summary>
public static class Csv
{
    /// <summary>Loads a labelled data set: the label column and every other column as features.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="options">How to read it; defaults when <see langword="null"/>.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A row is ragged, a cell is not a number, a label is not a class index, or there are no rows.</exception>
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
        Table table = Read(reader, sourceName, options ?? new CsvOptions(), labelRequired: true);
        int maxLabel = 0;
        foreach (byte label in table.Labels) maxLabel = Math.Max(maxLabel, label);
        int classes = options?.Classes ?? Math.Max(2, maxLabel + 1);
        for (int i = 0; i < table.Labels.Count; i++)
        {
            if (table.Labels[i] >= classes)
                throw new InvalidDataException(
                    $"{sourceName}, line {table.LabelLines[i]}, column {table.LabelColumn + 1}: class {table.Labels[i]} is out of range for {classes} classes (expected 0 to {classes - 1}).");
        }
        return new Dataset(table.Features.ToArray(), table.Labels.ToArray(), table.FeatureSize, classes);
    }

    /// <summary>
    /// Loads features only, for prediction. A label column is skipped when <paramref name="options"/> names one or the
    /// header has a column called <c>label</c>; otherwise every column is a feature.
    /// </summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="featureSize">Features per row.</param>
    /// <param name="options">How to read it; defaults when <see langword="null"/>.</param>
    /// <returns>rows * featureSize floats.</returns>
    public static float[] LoadFeatures(string path, out int featureSize, CsvOptions? options = null)
    {
        using StreamReader reader = Open(path);
        Table table = Read(reader, path, options ?? new CsvOptions(), labelRequired: false);
        featureSize = table.FeatureSize;
        return table.Features.ToArray();
    }

    private sealed class Table
    {
        public List<float> Features { get; } = new();
        public List<byte> Labels { get; } = new();
        public List<int> LabelLines { get; } = new();
        public int FeatureSize { get; set; }
        public int LabelColumn { get; set; } = -1;
    }

    private static StreamReader Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"CSV file not found: {path}", path);
        return new StreamReader(path);
    }

    private static Table Read(TextReader reader, string source, CsvOptions options, bool labelRequired)
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
                bool isHeader = options.HasHeader ?? !AllNumbers(line, fields);
                if (isHeader) header = Names(line, fields);
                table.LabelColumn = LabelColumn(options, header, columns, source, labelRequired);
                table.FeatureSize = table.LabelColumn < 0 ? columns : columns - 1;
                if (table.FeatureSize == 0)
                    throw new InvalidDataException($"{source}, line {lineNumber}: the only column is the label; expected feature columns too.");
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
                else
                {
                    if (!float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !float.IsFinite(value))
                        throw Cell(source, lineNumber, c, header, cell.IsEmpty ? "the cell is empty; expected a number" : $"'{cell}' is not a number");
                    table.Features.Add(value * options.FeatureScale);
                }
            }
        }
        if (firstDataLine == 0)
            throw new InvalidDataException($"{source}: no data rows{(header is null ? "" : " after the header")}; expected one sample per line.");
        return table;
    }

    private static int LabelColumn(CsvOptions options, string[]? header, int columns, string source, bool labelRequired)
    {
        if (options.LabelColumnName is string name)
        {
            if (header is null)
                throw new InvalidDataException($"{source}: the label column is named '{name}', but the file has no header line.");
            int index = Array.FindIndex(header, h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));
            return index >= 0 ? index : throw new InvalidDataException(
                $"{source}, line 1: no column is named '{name}'; the header has {Describe(header)}.");
        }
        if (options.LabelColumn is int column)
        {
            return column >= 0 && column < columns ? column : throw new InvalidDataException(
                $"{source}: label column {column} is out of range; the rows have {columns} columns (0 to {columns - 1}).");
        }
        int named = header is null ? -1 : Array.FindIndex(header, h => string.Equals(h, "label", StringComparison.OrdinalIgnoreCase));
        return named >= 0 ? named : labelRequired ? 0 : -1;
    }

    private static InvalidDataException Cell(string source, int line, int column, string[]? header, string problem) =>
        new($"{source}, line {line}, column {column + 1}{(header is null ? "" : $" ('{header[column]}')")}: {problem}.");

    private static bool AllNumbers(string line, List<Range> fields)
    {
        foreach (Range field in fields)
            if (!double.TryParse(line.AsSpan(field).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _)) return false;
        return true;
    }

    private static string[] Names(string line, List<Range> fields)
    {
        var names = new string[fields.Count];
        for (int i = 0; i < names.Length; i++)
            names[i] = line.AsSpan(fields[i]).Trim().ToString().Replace("\"\"", "\"", StringComparison.Ordinal);
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
