using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;

namespace NnGen.Tuning;

/// <summary>Whether a higher or a lower score is better.</summary>
public enum Direction
{
    /// <summary>Higher is better (accuracy).</summary>
    Maximize,
    /// <summary>Lower is better (loss).</summary>
    Minimize,
}

/// <summary>What a search optimises: a metric's name and whether higher or lower is better.</summary>
/// <param name="Metric">The metric, e.g. <c>val_accuracy</c>; trials are scored by its value after the last epoch.</param>
/// <param name="Direction">Whether higher or lower is better.</param>
public readonly record struct Objective(string Metric, Direction Direction)
{
    /// <summary>Highest validation accuracy.</summary>
    public static Objective ValAccuracy => new("val_accuracy", Direction.Maximize);

    /// <summary>Lowest validation loss.</summary>
    public static Objective ValLoss => new("val_loss", Direction.Minimize);

    internal bool IsBetter(double candidate, double best) =>
        Direction == Direction.Maximize ? candidate > best : candidate < best;
}

/// <summary>A trial's score and, optionally, the metrics measured with it (shown in the results table).</summary>
/// <param name="Value">The objective's value; NaN marks a failed trial.</param>
/// <param name="Metrics">Other metrics by name, e.g. <c>loss</c>, <c>val_loss</c>; may be <see langword="null"/>.</param>
public readonly record struct TrialScore(double Value, IReadOnlyDictionary<string, float>? Metrics = null);

/// <summary>
/// Grid and random search: lists the trials of a <see cref="SearchSpace"/>, and runs a scoring function over them in
/// parallel. <see cref="Tuner"/> runs them with a network; <see cref="Run"/> takes any scoring function.
/// </summary>
public static class Search
{
    private const long MaxTrials = 1_000_000;

    /// <summary>Every combination of the space's values, the last hyperparameter varying fastest.</summary>
    /// <param name="space">A space whose hyperparameters all are lists of values.</param>
    /// <param name="seed">Seed shared by every trial (<see cref="TrialParameters.Seed"/>).</param>
    /// <exception cref="ArgumentException">A hyperparameter is a range, which has no grid.</exception>
    public static IReadOnlyList<TrialParameters> Grid(SearchSpace space, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(space);
        IReadOnlyList<object>[] lists = space.Hyperparameters.Select(h => h.Values ?? throw new ArgumentException(
            $"Grid search needs a list of values for every hyperparameter, but {h} is a range; use Choice, or random search.", nameof(space))).ToArray();
        long count = 1;
        foreach (IReadOnlyList<object> list in lists)
        {
            count *= list.Count;
            if (count > MaxTrials) throw new ArgumentException($"The grid has more than {MaxTrials:N0} combinations; use random search.", nameof(space));
        }
        var trials = new TrialParameters[count];
        for (int t = 0; t < count; t++) trials[t] = new TrialParameters(t + 1, seed, Combination(space, lists, t));
        return trials;
    }

    /// <summary>
    /// <paramref name="trials"/> random combinations, reproducible for a <paramref name="seed"/>. When every
    /// hyperparameter is a list of values, combinations are drawn from the grid without repetition (so at most the
    /// grid's size are returned); ranges are sampled independently for each trial.
    /// </summary>
    /// <param name="space">The search space.</param>
    /// <param name="trials">How many trials.</param>
    /// <param name="seed">Seed of the draw, also shared by every trial (<see cref="TrialParameters.Seed"/>).</param>
    public static IReadOnlyList<TrialParameters> Random(SearchSpace space, int trials, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        var rng = new Rng(seed);
        if (space.Hyperparameters.All(h => h.Values is not null))
        {
            IReadOnlyList<TrialParameters> grid = Grid(space, seed);
            int[] order = Enumerable.Range(0, grid.Count).ToArray();
            rng.Shuffle<int>(order);
            return order.Take(trials).Select((g, i) => new TrialParameters(i + 1, seed, grid[g].Values)).ToArray();
        }
        var result = new TrialParameters[trials];
        for (int t = 0; t < trials; t++)
        {
            var values = new KeyValuePair<string, object>[space.Hyperparameters.Count];
            for (int h = 0; h < values.Length; h++)
                values[h] = new(space.Hyperparameters[h].Name, space.Hyperparameters[h].Sample(ref rng));
            result[t] = new TrialParameters(t + 1, seed, values);
        }
        return result;
    }

    /// <summary>
    /// Scores every trial, up to <paramref name="maxParallelTrials"/> at once, and ranks them. A trial whose score is NaN,
    /// or whose training diverged (<see cref="TrainingDivergedException"/>), is recorded as failed; any other exception ends the search.
    /// </summary>
    /// <param name="trials">The trials, e.g. from <see cref="Grid"/> or <see cref="Random"/>.</param>
    /// <param name="score">Scores one trial; called concurrently from several threads when <paramref name="maxParallelTrials"/> is above 1.</param>
    /// <param name="objective">The metric the scores measure and whether higher or lower is better.</param>
    /// <param name="maxParallelTrials">Trials run at once; the processor count by default.</param>
    /// <param name="log">Where to write one line per finished trial, or <see langword="null"/>.</param>
    /// <exception cref="InvalidOperationException">Every trial failed.</exception>
    public static SearchResults Run(IReadOnlyList<TrialParameters> trials, Func<TrialParameters, TrialScore> score, Objective objective,
        int? maxParallelTrials = null, TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(score);
        if (trials.Count == 0) throw new ArgumentException("There are no trials to run.", nameof(trials));
        int parallel = maxParallelTrials ?? Environment.ProcessorCount;
        ArgumentOutOfRangeException.ThrowIfLessThan(parallel, 1, nameof(maxParallelTrials));
        var results = new TrialResult[trials.Count];
        var logLock = new object();
        try
        {
            Parallel.For(0, trials.Count, new ParallelOptions { MaxDegreeOfParallelism = parallel }, i =>
            {
                results[i] = RunOne(trials[i], score);
                if (log is not null)
                    lock (logLock) log.WriteLine($"Trial {trials[i].Trial}/{trials.Count} ({trials[i]}): {Describe(results[i], objective)}");
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        return new SearchResults(results, objective);
    }

    /// <summary>
    /// Scores the one trial of 0-based index <paramref name="index"/> (trial <c>index + 1</c>), as <see cref="Run"/> would:
    /// for a job array that runs each trial of a search in its own process, each process making the same trial list and
    /// running its index; <see cref="SearchResults.Collect"/> merges the reports they write (<see cref="TrialReport.WriteJson"/>).
    /// </summary>
    /// <param name="trials">The whole trial list, the same in every process (from <see cref="Grid"/> or <see cref="Random"/> with the same arguments).</param>
    /// <param name="index">Which trial, from 0 to <c>trials.Count - 1</c>; e.g. from <see cref="JobArray.TrialIndex"/>.</param>
    /// <param name="score">Scores the trial.</param>
    /// <param name="objective">The metric the score measures and whether higher or lower is better.</param>
    /// <param name="log">Where to write the trial's line, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not an index of <paramref name="trials"/>.</exception>
    public static TrialReport RunTrial(IReadOnlyList<TrialParameters> trials, int index, Func<TrialParameters, TrialScore> score, Objective objective,
        TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(score);
        if (trials.Count == 0) throw new ArgumentException("There are no trials to run.", nameof(trials));
        if (index < 0 || index >= trials.Count)
            throw new ArgumentOutOfRangeException(nameof(index), index,
                $"Trial index {index} is out of range: the search has {trials.Count} trials, indices 0 to {trials.Count - 1}.");
        TrialResult result = RunOne(trials[index], score);
        log?.WriteLine($"Trial {trials[index].Trial}/{trials.Count} ({trials[index]}): {Describe(result, objective)}");
        return new TrialReport(Fingerprint(trials), index, trials.Count, objective, result);
    }

    /// <summary>
    /// Identifies a trial list: 16 hexadecimal digits of a SHA-256 of every trial's number, seed, and hyperparameter names,
    /// types and exact values, in order. Lists made from the same space, seed and trial count have the same fingerprint;
    /// any difference gives another.
    /// </summary>
    public static string Fingerprint(IReadOnlyList<TrialParameters> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        var text = new StringBuilder();
        foreach (TrialParameters t in trials)
        {
            text.Append(CultureInfo.InvariantCulture, $"{t.Trial};{t.Seed}");
            foreach (KeyValuePair<string, object> v in t.Values)
                text.Append(';').Append(v.Key).Append('=').Append(v.Value.GetType().FullName).Append(':').Append(v.Value switch
                {
                    double d => d.ToString("R", CultureInfo.InvariantCulture),
                    float f => f.ToString("R", CultureInfo.InvariantCulture),
                    object o => TrialParameters.Format(o),
                });
            text.Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    private static TrialResult RunOne(TrialParameters trial, Func<TrialParameters, TrialScore> score)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            TrialScore s = score(trial);
            return new TrialResult(trial, s.Value, s.Metrics ?? new Dictionary<string, float>(), clock.Elapsed,
                double.IsNaN(s.Value) ? "the score is NaN" : null);
        }
        catch (TrainingDivergedException e)
        {
            return new TrialResult(trial, double.NaN, new Dictionary<string, float>(), clock.Elapsed,
                $"training diverged in epoch {e.Epoch}, batch {e.Batch}");
        }
    }

    private static string Describe(TrialResult result, Objective objective) =>
        result.Failed ? $"failed: {result.Error}" : $"{objective.Metric} {result.Score:F4} ({result.Duration.TotalSeconds:F1} s)";

    private static IEnumerable<KeyValuePair<string, object>> Combination(SearchSpace space, IReadOnlyList<object>[] lists, long index)
    {
        var values = new KeyValuePair<string, object>[lists.Length];
        for (int h = lists.Length - 1; h >= 0; h--)
        {
            values[h] = new(space.Hyperparameters[h].Name, lists[h][(int)(index % lists[h].Count)]);
            index /= lists[h].Count;
        }
        return values;
    }
}
