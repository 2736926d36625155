using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace NnGen.Tuning;

/// <summary>The outcome of <see cref="Tuner.Search"/>: every trial, and the best configuration retrained on all the training data.</summary>
/// <param name="Results">Every trial, ranked.</param>
/// <param name="BestNetwork">A fresh network of the best trial, trained on all the samples (training and validation parts) with its hyperparameters.</param>
/// <param name="BestHistory">The history of that final training.</param>
public sealed record TuningResult(SearchResults Results, INetwork BestNetwork, History BestHistory);

/// <summary>
/// Hyperparameter search over networks, like KerasTuner: each trial builds a network with the factory, sets the
/// learning rate, trains it with <c>Fit</c> on the first part of the samples and is scored on the held-out last part
/// (<see cref="ValidationSplit"/>, Keras's semantics); trials run in parallel, each on its own network instance.
/// The best configuration is then retrained on all the samples. Everything follows the trials' seed, so a search is
/// reproducible whatever the parallelism.
/// </summary>
/// <param name="build">
/// Builds a trial's network, e.g. <c>p =&gt; new MnistMlp(p.Seed)</c>, or one of several generated networks chosen by a
/// hyperparameter (<c>p.Get&lt;int&gt;("units") == 128 ? new Mlp128(p.Seed) : new Mlp256(p.Seed)</c>). Called concurrently:
/// return a new instance each time.
/// </param>
public sealed class Tuner(Func<TrialParameters, INetwork> build)
{
    private readonly Func<TrialParameters, INetwork> _build = build ?? throw new ArgumentNullException(nameof(build));

    /// <summary>
    /// What to optimise; by default (<see langword="null"/>) the highest validation accuracy, or the lowest validation loss for a
    /// mean-squared-error network, which measures no accuracy.
    /// </summary>
    public Objective? Objective { get; init; }

    /// <summary>Fraction in (0, 1) of the samples (the last ones) that score the trials; 0.2 by default.</summary>
    public double ValidationSplit { get; init; } = 0.2;

    /// <summary>Trials trained at once; the processor count by default.</summary>
    public int? MaxParallelTrials { get; init; }

    /// <summary>Where to write one line per finished trial, or <see langword="null"/> for silence.</summary>
    public TextWriter? Log { get; init; }

    /// <summary>Runs the trials and retrains the best configuration on all the samples.</summary>
    /// <param name="trials">The trials, from <see cref="Tuning.Search.Grid"/> or <see cref="Tuning.Search.Random"/>.</param>
    /// <param name="inputs">n * InputSize floats.</param>
    /// <param name="targets">n * TargetSize floats, as for <c>Fit</c>.</param>
    public TuningResult Search(IReadOnlyList<TrialParameters> trials, float[] inputs, float[] targets)
    {
        Objective objective = Check(trials, inputs, targets);
        SearchResults results = Tuning.Search.Run(trials, Scorer(objective, inputs, targets), objective, MaxParallelTrials, Log);
        return Retrain(results, inputs, targets);
    }

    /// <summary>
    /// Trains and scores only the trial of 0-based index <paramref name="index"/>, as <see cref="Search"/> would: one
    /// process of a job array. Write the report with <see cref="TrialReport.WriteJson"/>; <see cref="SearchResults.Collect"/>
    /// merges the reports of all the trials, and <see cref="Retrain"/> retrains the best.
    /// </summary>
    /// <param name="trials">The whole trial list, made from the same arguments in every process.</param>
    /// <param name="index">Which trial, 0 to <c>trials.Count - 1</c>; e.g. from <see cref="JobArray.TrialIndex"/>.</param>
    /// <param name="inputs">n * InputSize floats, the same in every process.</param>
    /// <param name="targets">n * TargetSize floats, as for <c>Fit</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not an index of <paramref name="trials"/>.</exception>
    public TrialReport RunTrial(IReadOnlyList<TrialParameters> trials, int index, float[] inputs, float[] targets)
    {
        Objective objective = Check(trials, inputs, targets);
        return Tuning.Search.RunTrial(trials, index, Scorer(objective, inputs, targets), objective, Log);
    }

    /// <summary>Builds a fresh network of the best trial of <paramref name="results"/> and trains it on all the samples with its hyperparameters.</summary>
    /// <param name="results">The results of <see cref="Search"/>, or of <see cref="SearchResults.Collect"/>.</param>
    /// <param name="inputs">n * InputSize floats.</param>
    /// <param name="targets">n * TargetSize floats, as for <c>Fit</c>.</param>
    public TuningResult Retrain(SearchResults results, float[] inputs, float[] targets)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        TrialParameters best = results.Best.Parameters;
        INetwork network = _build(best);
        History final = Fit(network, best, inputs, targets, validationSplit: 0);
        return new TuningResult(results, network, final);
    }

    /// <summary>Checks the arguments of a search and returns its objective.</summary>
    private Objective Check(IReadOnlyList<TrialParameters> trials, float[] inputs, float[] targets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (!(ValidationSplit > 0 && ValidationSplit < 1))
            throw new ArgumentOutOfRangeException(nameof(ValidationSplit), ValidationSplit, "The validation split must be in (0, 1): trials are scored on the held-out samples.");
        ArgumentNullException.ThrowIfNull(trials);
        if (trials.Count == 0) throw new ArgumentException("There are no trials to run.", nameof(trials));
        return Objective ?? (_build(trials[0]).Loss == Loss.MeanSquaredError ? Tuning.Objective.ValLoss : Tuning.Objective.ValAccuracy);
    }

    /// <summary>Trains a trial's network on the first part of the samples and scores it by the objective after the last epoch.</summary>
    private Func<TrialParameters, TrialScore> Scorer(Objective objective, float[] inputs, float[] targets) => trial =>
    {
        History history = Train(trial, inputs, targets, ValidationSplit);
        var metrics = history.Metrics.ToDictionary(m => m.Key, m => m.Value[^1]);
        if (!metrics.TryGetValue(objective.Metric, out float score))
            throw new InvalidOperationException(
                $"Fit measured no '{objective.Metric}' (it measured {string.Join(", ", metrics.Keys)}), so trials cannot be scored by it.");
        return new TrialScore(score, metrics);
    };

    private History Train(TrialParameters trial, float[] inputs, float[] targets, double validationSplit) =>
        Fit(_build(trial), trial, inputs, targets, validationSplit);

    private static History Fit(INetwork network, TrialParameters trial, float[] inputs, float[] targets, double validationSplit)
    {
        if (trial.LearningRate is double lr) network.Optimizer.LearningRate = (float)lr;
        return network.Fit(inputs, targets, epochs: trial.Epochs, batchSize: trial.BatchSize,
            validationSplit: validationSplit, seed: trial.Seed, verbose: 0);
    }
}
