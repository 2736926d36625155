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
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (!(ValidationSplit > 0 && ValidationSplit < 1))
            throw new ArgumentOutOfRangeException(nameof(ValidationSplit), ValidationSplit, "The validation split must be in (0, 1): trials are scored on the held-out samples.");
        ArgumentNullException.ThrowIfNull(trials);
        if (trials.Count == 0) throw new ArgumentException("There are no trials to run.", nameof(trials));
        Objective objective = Objective ?? (_build(trials[0]).Loss == Loss.MeanSquaredError ? Tuning.Objective.ValLoss : Tuning.Objective.ValAccuracy);
        SearchResults results = Tuning.Search.Run(trials, trial =>
        {
            History history = Train(trial, inputs, targets, ValidationSplit);
            var metrics = history.Metrics.ToDictionary(m => m.Key, m => m.Value[^1]);
            if (!metrics.TryGetValue(objective.Metric, out float score))
                throw new InvalidOperationException(
                    $"Fit measured no '{objective.Metric}' (it measured {string.Join(", ", metrics.Keys)}), so trials cannot be scored by it.");
            return new TrialScore(score, metrics);
        }, objective, MaxParallelTrials, Log);
        TrialParameters best = results.Best.Parameters;
        INetwork network = _build(best);
        History final = Fit(network, best, inputs, targets, validationSplit: 0);
        return new TuningResult(results, network, final);
    }

    private History Train(TrialParameters trial, float[] inputs, float[] targets, double validationSplit) =>
        Fit(_build(trial), trial, inputs, targets, validationSplit);

    private static History Fit(INetwork network, TrialParameters trial, float[] inputs, float[] targets, double validationSplit)
    {
        if (trial.LearningRate is double lr) network.Optimizer.LearningRate = (float)lr;
        return network.Fit(inputs, targets, epochs: trial.Epochs, batchSize: trial.BatchSize,
            validationSplit: validationSplit, seed: trial.Seed, verbose: 0);
    }
}
