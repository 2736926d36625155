using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;

namespace NnGen.Callbacks;

/// <summary>
/// Saves the weights after every epoch, or only after epochs that improved a monitored metric, as Keras 3's
/// <c>keras.callbacks.ModelCheckpoint</c> with <c>save_weights_only=True</c>. Files are written with
/// <see cref="NetworkExtensions.Save"/> (docs/weights-format.md): to a temporary file that is then renamed over the
/// target, so a failed save leaves the previous checkpoint intact; the temporary files killed saves left behind
/// (<c>&lt;file&gt;.tmp-&lt;pid&gt;</c> of a process no longer running) are deleted at the next save, for every file name the
/// path template can produce in that folder. Load one with <see cref="NetworkExtensions.Load"/>.
/// </summary>
/// <remarks>
/// <para>
/// The path may contain placeholders filled in at each save: <c>{epoch}</c> (1-based) and any metric of the epoch's logs
/// (<c>{loss}</c>, <c>{accuracy}</c>, <c>{val_loss}</c>, <c>{val_accuracy}</c>, <c>{lr}</c>), each with an optional
/// .NET format, e.g. <c>"ckpt/{epoch:D2}-{val_loss:F4}.nngw"</c>; Keras's Python formats <c>{epoch:02d}</c> and
/// <c>{val_loss:.4f}</c> are understood too. Numbers use the invariant culture. <c>{{</c> and <c>}}</c> are literal braces.
/// Missing directories are created.
/// </para>
/// <para>
/// With <see cref="SaveBestOnly"/>, an epoch is saved only when the metric beats the best so far (or
/// <c>initialValueThreshold</c>); with a fixed path, the file then always holds the best weights. As in Keras the best
/// value is kept across <c>Fit</c> calls, so continuing training never overwrites a better checkpoint with a worse one.
/// </para>
/// </remarks>
/// <example><code>
/// var checkpoint = new ModelCheckpoint("best.nngw", monitor: "val_accuracy", saveBestOnly: true);
/// model.Fit(x, y, epochs: 20, validationSplit: 0.2, callbacks: [checkpoint]);
/// model.Load("best.nngw");
/// </code></example>
public sealed partial class ModelCheckpoint : MonitorCallback
{
    private readonly List<Segment> _segments;
    private readonly Regex _fileNames;

    /// <summary>Creates the callback.</summary>
    /// <param name="filePath">Where to save; may contain placeholders such as <c>{epoch:D2}</c> and <c>{val_loss:F4}</c>.</param>
    /// <param name="monitor">The metric deciding what is best (used with <paramref name="saveBestOnly"/>).</param>
    /// <param name="saveBestOnly">Save only when the monitored metric improved on the best so far.</param>
    /// <param name="mode">Whether lower or higher is better; inferred from the name by default.</param>
    /// <param name="initialValueThreshold">A value the metric must beat for the first save; null for none.</param>
    /// <exception cref="ArgumentException">The path has an unmatched brace or an empty placeholder.</exception>
    public ModelCheckpoint(string filePath, string monitor = "val_loss", bool saveBestOnly = false, MonitorMode mode = MonitorMode.Auto,
        float? initialValueThreshold = null)
        : base(monitor, mode, 0f)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        if (initialValueThreshold is float t && !float.IsFinite(t))
            throw new ArgumentOutOfRangeException(nameof(initialValueThreshold), initialValueThreshold, "The initial value threshold must be a finite number.");
        _segments = Parse(filePath);
        _fileNames = FileNames(_segments);
        FilePath = filePath;
        SaveBestOnly = saveBestOnly;
        Best = initialValueThreshold ?? Worst;
    }

    /// <summary>The path template.</summary>
    public string FilePath { get; }
    /// <summary>Whether only improvements are saved.</summary>
    public bool SaveBestOnly { get; }
    /// <summary>The best value of the monitored metric saved so far (or the initial threshold, or ±∞).</summary>
    public float Best { get; private set; }
    /// <summary>The file written last; null before the first save.</summary>
    public string? LastSavedPath { get; private set; }

    /// <inheritdoc/>
    public override void OnTrainBegin(TrainingContext context)
    {
        if (SaveBestOnly) CheckMonitorAvailable(context);
        if (context.ValidationSamples > 0) return;
        foreach (Segment s in _segments)
            if (s.Name?.StartsWith("val_", StringComparison.Ordinal) == true)
                throw new InvalidOperationException(
                    $"The checkpoint path '{FilePath}' uses {{{s.Name}}}, a validation metric, but Fit has no validation data. Pass validationSplit to Fit.");
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(TrainingContext context, int epoch, IReadOnlyDictionary<string, float> logs)
    {
        string path = Format(epoch, logs);
        if (SaveBestOnly)
        {
            float current = MonitorValue(logs, epoch);
            if (!IsImprovement(current, Best)) return;
            Best = current;
        }
        try
        {
            string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
            // What killed saves of any epoch left in this folder; Save itself cleans only its own path's.
            WeightsFile.DeleteStaleTemporaryFiles(directory, _fileNames.IsMatch);
            context.Network.Save(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"ModelCheckpoint could not save the weights of epoch {epoch} to '{path}': {e.Message}", e);
        }
        LastSavedPath = path;
    }

    private string Format(int epoch, IReadOnlyDictionary<string, float> logs)
    {
        var sb = new StringBuilder();
        foreach (Segment s in _segments)
        {
            if (s.Name is null) sb.Append(s.Text);
            else if (s.Name == "epoch") sb.Append(epoch.ToString(s.Text, CultureInfo.InvariantCulture));
            else if (logs.TryGetValue(s.Name, out float value)) sb.Append(value.ToString(s.Text, CultureInfo.InvariantCulture));
            else
                throw new InvalidOperationException(
                    $"The checkpoint path '{FilePath}' uses {{{s.Name}}}, but epoch {epoch} logged only epoch, {string.Join(", ", logs.Keys)}.");
        }
        return sb.ToString();
    }

    /// <summary>A literal (Name null, Text the characters) or a placeholder (Name, Text its .NET format).</summary>
    private readonly record struct Segment(string? Name, string Text);

    private static List<Segment> Parse(string template)
    {
        var segments = new List<Segment>();
        var literal = new StringBuilder();
        for (int i = 0; i < template.Length; i++)
        {
            char c = template[i];
            if ((c == '{' || c == '}') && i + 1 < template.Length && template[i + 1] == c)
            {
                literal.Append(c);
                i++;
                continue;
            }
            if (c == '}') throw new ArgumentException($"The checkpoint path '{template}' has an unmatched '}}' at position {i}; write '}}}}' for a literal brace.", "filePath");
            if (c != '{')
            {
                literal.Append(c);
                continue;
            }
            int end = template.IndexOf('}', i + 1);
            if (end < 0) throw new ArgumentException($"The checkpoint path '{template}' has an unclosed '{{' at position {i}; write '{{{{' for a literal brace.", "filePath");
            Match m = Placeholder().Match(template[(i + 1)..end]);
            if (!m.Success)
                throw new ArgumentException(
                    $"The checkpoint path '{template}' has '{template[i..(end + 1)]}' at position {i}, but a placeholder is {{name}} or {{name:format}}, e.g. {{epoch:D2}} or {{val_loss:F4}}.", "filePath");
            if (literal.Length > 0) segments.Add(new Segment(null, literal.ToString()));
            literal.Clear();
            segments.Add(new Segment(m.Groups["name"].Value, DotNetFormat(m.Groups["format"].Value)));
            i = end;
        }
        if (literal.Length > 0) segments.Add(new Segment(null, literal.ToString()));
        return segments;
    }

    /// <summary>The file names the template can produce (the part after its last separator): each placeholder matches anything.</summary>
    private static Regex FileNames(List<Segment> segments)
    {
        var pattern = new StringBuilder();
        foreach (Segment s in segments)
        {
            if (s.Name is not null)
            {
                pattern.Append(".*");
                continue;
            }
            int separator = s.Text.LastIndexOfAny(['/', Path.DirectorySeparatorChar]);
            if (separator >= 0) pattern.Clear();
            pattern.Append(Regex.Escape(s.Text[(separator + 1)..]));
        }
        return new Regex($"^{pattern}$", RegexOptions.Singleline); // no IgnoreCase, so no culture to fix
    }

    /// <summary>Keras's Python format specs <c>02d</c> and <c>.4f</c> as .NET's <c>D2</c> and <c>F4</c>; anything else unchanged.</summary>
    private static string DotNetFormat(string format)
    {
        Match m = PythonFormat().Match(format);
        if (!m.Success) return format;
        return m.Groups["int"].Success ? "D" + m.Groups["int"].Value : "F" + m.Groups["fixed"].Value;
    }

    [GeneratedRegex(@"^(?<name>[A-Za-z_][A-Za-z0-9_]*)(?::(?<format>[^{}]*))?$")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^(?:0?(?<int>[0-9]*)d|\.(?<fixed>[0-9]+)f)$")]
    private static partial Regex PythonFormat();
}
