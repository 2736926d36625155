using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace NnGen.Tuning;

/// <summary>The outcome of one trial.</summary>
/// <param name="Parameters">The trial's hyperparameters.</param>
/// <param name="Score">The objective's value; NaN when the trial failed.</param>
/// <param name="Metrics">Metrics measured with it (after the last epoch for a network).</param>
/// <param name="Duration">Wall-clock time of the trial.</param>
/// <param name="Error">Why the trial failed, or <see langword="null"/>.</param>
public sealed record TrialResult(TrialParameters Parameters, double Score, IReadOnlyDictionary<string, float> Metrics, TimeSpan Duration, string? Error)
{
    /// <summary>Whether the trial failed (no score).</summary>
    public bool Failed => Error is not null;
}

/// <summary>Every trial of a search, ranked, as a console table (<see cref="ToString"/>) or CSV (<see cref="ToCsv"/>).</summary>
public sealed class SearchResults
{
    internal SearchResults(IReadOnlyList<TrialResult> trials, Objective objective)
    {
        Trials = trials;
        Objective = objective;
        // Best first; ties keep trial order; failed trials last.
        Ranked = trials.Where(t => !t.Failed)
            .OrderBy(t => objective.Direction == Direction.Maximize ? -t.Score : t.Score)
            .Concat(trials.Where(t => t.Failed))
            .ToArray();
        if (Ranked[0].Failed)
            throw new InvalidOperationException($"Every trial failed; trial {Ranked[0].Parameters.Trial} ({Ranked[0].Parameters}): {Ranked[0].Error}.");
    }

    /// <summary>
    /// Merges the <see cref="TrialReport"/> files (<c>trial-*.json</c>) that the trials of a search, run one per process
    /// (<see cref="Search.RunTrial"/>, <see cref="Tuner.RunTrial"/>), wrote to <paramref name="directory"/>, into the
    /// results that running the whole search in one process gives: the same scores, the same ranking.
    /// </summary>
    /// <param name="directory">The folder the trials wrote to.</param>
    /// <param name="trials">The search's trial list, made again from the same arguments (<see cref="Search.Grid"/> and
    /// <see cref="Search.Random"/> give the same list for the same space and seed): it identifies the search and gives each
    /// trial its hyperparameters.</param>
    /// <exception cref="DirectoryNotFoundException"><paramref name="directory"/> does not exist.</exception>
    /// <exception cref="InvalidDataException">A file is not a complete trial result, or holds a trial of another search, or
    /// another file holds the same index, or the files differ in their objective, or some indices have no file: the
    /// message names the files, the indices and the searches.</exception>
    /// <exception cref="InvalidOperationException">Every trial failed.</exception>
    public static SearchResults Collect(string directory, IReadOnlyList<TrialParameters> trials)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(trials);
        if (trials.Count == 0) throw new ArgumentException("There are no trials to collect.", nameof(trials));
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"{directory} does not exist: it should hold the {TrialReport.FilePattern} files of the search's trials.");
        string search = Search.Fingerprint(trials);
        var reports = new TrialReport?[trials.Count];
        var files = new string?[trials.Count];
        (Objective Objective, string File)? first = null;
        foreach (string file in Directory.GetFiles(directory, TrialReport.FilePattern).Order(StringComparer.Ordinal))
        {
            TrialReport report = TrialReport.ReadJson(file);
            if (report.SearchId != search || report.TrialCount != trials.Count)
                throw new InvalidDataException(
                    $"{file} holds index {report.Index} of search {report.SearchId} ({report.TrialCount} trials), but the search collected is " +
                    $"{search} ({trials.Count} trials): it was run with other hyperparameter values, order, trial count or seed.");
            if (files[report.Index] is string other)
                throw new InvalidDataException($"{other} and {file} both hold trial index {report.Index} of search {search}; keep one of them.");
            string expected = trials[report.Index].ToString(), found = report.Result.Parameters.ToString();
            if (found != expected)
                throw new InvalidDataException($"{file} holds index {report.Index} with {found}, but index {report.Index} of the search is {expected}.");
            if (first is null) first = (report.Objective, file);
            else if (report.Objective != first.Value.Objective)
                throw new InvalidDataException($"{file} is scored by {Describe(report.Objective)}, but {first.Value.File} by {Describe(first.Value.Objective)}.");
            reports[report.Index] = report;
            files[report.Index] = file;
        }
        int[] missing = Enumerable.Range(0, trials.Count).Where(i => reports[i] is null).ToArray();
        if (missing.Length > 0)
        {
            const int Shown = 20;
            string list = string.Join(", ", missing.Take(Shown)) + (missing.Length > Shown ? $" and {missing.Length - Shown} more" : "");
            throw new InvalidDataException(
                $"{directory} holds results of {trials.Count - missing.Length} of the {trials.Count} trials of search {search}; " +
                $"missing: {(missing.Length == 1 ? "index" : "indices")} {list} (run {(missing.Length == 1 ? "it" : "them")} again into the same folder).");
        }
        return new SearchResults(reports.Select((r, i) => r!.Result with { Parameters = trials[i] }).ToArray(), first!.Value.Objective);
    }

    private static string Describe(Objective objective) =>
        $"{objective.Metric} ({(objective.Direction == Direction.Maximize ? "higher" : "lower")} is better)";

    /// <summary>The trials, in trial order.</summary>
    public IReadOnlyList<TrialResult> Trials { get; }

    /// <summary>The trials, best first (ties in trial order), failed trials last.</summary>
    public IReadOnlyList<TrialResult> Ranked { get; }

    /// <summary>What was optimised.</summary>
    public Objective Objective { get; }

    /// <summary>The best trial (the earliest of equals).</summary>
    public TrialResult Best => Ranked[0];

    /// <summary>The results as a table, best first: rank, trial, each hyperparameter, the objective, other metrics and time.</summary>
    public override string ToString()
    {
        string[] header = Header(csv: false);
        var rows = Ranked.Select(t => Row(t, csv: false)).ToList();
        int[] widths = header.Select((h, c) => Math.Max(h.Length, rows.Max(r => r[c].Length))).ToArray();
        var sb = new StringBuilder();
        // Numbers right-aligned; the status (last) column left-aligned, with no trailing blanks.
        void Line(string[] cells) =>
            sb.Append(string.Join("  ", cells.Select((s, c) => c == cells.Length - 1 ? s : s.PadLeft(widths[c]))).TrimEnd()).Append('\n');
        Line(header);
        sb.Append('-', widths.Sum() + 2 * (widths.Length - 1)).Append('\n');
        foreach (string[] row in rows) Line(row);
        return sb.ToString();
    }

    /// <summary>The results as CSV in trial order, with a header: trial, rank, each hyperparameter, the objective, other metrics, seconds, error.</summary>
    public string ToCsv()
    {
        var sb = new StringBuilder();
        sb.AppendJoin(',', Header(csv: true).Select(Quote)).Append('\n');
        foreach (TrialResult t in Trials) sb.AppendJoin(',', Row(t, csv: true).Select(Quote)).Append('\n');
        return sb.ToString();
    }

    /// <summary>Writes <see cref="ToCsv"/> to <paramref name="path"/>.</summary>
    public void WriteCsv(string path) => File.WriteAllText(path, ToCsv());

    private IEnumerable<string> HyperparameterNames => Trials[0].Parameters.Values.Select(v => v.Key);

    private string[] OtherMetrics =>
        Trials.SelectMany(t => t.Metrics.Keys).Distinct().Where(m => m != Objective.Metric).ToArray();

    private string[] Header(bool csv) =>
        (csv ? new[] { "trial", "rank" } : ["rank", "trial"])
        .Concat(HyperparameterNames).Append(Objective.Metric).Concat(OtherMetrics)
        .Concat(csv ? ["seconds", "error"] : ["time", "status"]).ToArray();

    private string[] Row(TrialResult t, bool csv)
    {
        string rank = t.Failed ? "-" : (IndexOf(t) + 1).ToString(CultureInfo.InvariantCulture);
        string trial = t.Parameters.Trial.ToString(CultureInfo.InvariantCulture);
        IEnumerable<string> values = t.Parameters.Values.Select(v => TrialParameters.Format(v.Value));
        string score = t.Failed ? "" : csv ? Exact(t.Score) : t.Score.ToString("F4", CultureInfo.InvariantCulture);
        IEnumerable<string> metrics = OtherMetrics.Select(m => t.Metrics.TryGetValue(m, out float v)
            ? v.ToString(csv ? "R" : "F4", CultureInfo.InvariantCulture) : "");
        string time = csv ? t.Duration.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture)
            : t.Duration.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) + " s";
        string status = t.Error ?? (csv ? "" : ReferenceEquals(t, Best) ? "best" : "");
        return (csv ? new[] { trial, rank } : [rank, trial]).Concat(values).Append(score).Concat(metrics).Append(time).Append(status).ToArray();
    }

    /// <summary>The shortest text that reads back to the value; as a float when it is one (metrics of Fit are).</summary>
    private static string Exact(double value) =>
        (double)(float)value == value ? ((float)value).ToString("R", CultureInfo.InvariantCulture) : value.ToString("R", CultureInfo.InvariantCulture);

    private int IndexOf(TrialResult t)
    {
        for (int i = 0; i < Ranked.Count; i++)
            if (ReferenceEquals(Ranked[i], t)) return i;
        return -1;
    }

    private static string Quote(string s) =>
        s.AsSpan().IndexOfAny(",\"\n\r") < 0 ? s : "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
