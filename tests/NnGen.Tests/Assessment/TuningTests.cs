using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using NnGen.Data;
using NnGen.Tests.Networks;
using NnGen.Tuning;

namespace NnGen.Tests.Assessment;

public class TuningTests
{
    private static SearchSpace Space() => new SearchSpace()
        .Choice(SearchSpace.LearningRate, 1e-2, 1e-3, 1e-4)
        .Choice(SearchSpace.BatchSize, 16, 64)
        .Choice("units", 8, 16);

    /// <summary>A scripted score, best at learning rate 1e-3, batch 64, 16 units.</summary>
    private static TrialScore Scripted(TrialParameters p) =>
        new(-Math.Abs(Math.Log10(p.LearningRate!.Value) + 3) - (p.BatchSize == 64 ? 0 : 0.5) - (p.Get<int>("units") == 16 ? 0 : 0.25));

    [Fact]
    public void Grid_lists_every_combination_the_last_hyperparameter_fastest()
    {
        IReadOnlyList<TrialParameters> grid = Search.Grid(Space(), seed: 7);
        Assert.Equal(12, grid.Count);
        Assert.Equal("learning_rate=0.01, batch_size=16, units=8", grid[0].ToString());
        Assert.Equal("learning_rate=0.01, batch_size=16, units=16", grid[1].ToString());
        Assert.Equal("learning_rate=0.0001, batch_size=64, units=16", grid[11].ToString());
        Assert.Equal(Enumerable.Range(1, 12), grid.Select(t => t.Trial));
        Assert.All(grid, t => Assert.Equal(7, t.Seed));
        Assert.Equal(12, grid.Select(t => t.ToString()).Distinct().Count());
    }

    [Fact]
    public void Grid_search_finds_the_known_best_configuration_of_a_scripted_scorer_in_parallel()
    {
        int running = 0, maxRunning = 0;
        SearchResults results = Search.Run(Search.Grid(Space()), p =>
        {
            int now = Interlocked.Increment(ref running);
            InterlockedMax(ref maxRunning, now);
            Thread.Sleep(20);
            Interlocked.Decrement(ref running);
            return Scripted(p);
        }, new Objective("score", Direction.Maximize), maxParallelTrials: 3);

        Assert.Equal("learning_rate=0.001, batch_size=64, units=16", results.Best.Parameters.ToString());
        Assert.Equal(0.0, results.Best.Score, 12);
        Assert.Equal(12, results.Trials.Count);
        Assert.InRange(maxRunning, 1, 3);
        Assert.Equal(results.Trials.Select(t => t.Score).OrderDescending(), results.Ranked.Select(t => t.Score));
    }

    [Fact]
    public void Random_search_is_reproducible_for_a_seed_and_draws_grids_without_repeats()
    {
        string Draw(int seed) => string.Join(" | ", Search.Random(Space(), trials: 6, seed).Select(t => t.ToString()));
        Assert.Equal(Draw(1), Draw(1));
        Assert.NotEqual(Draw(1), Draw(2));
        Assert.Equal(6, Search.Random(Space(), 6, 1).Select(t => t.ToString()).Distinct().Count());
        Assert.Equal(12, Search.Random(Space(), 50, 1).Count); // no more than the grid holds

        var ranges = new SearchSpace().LogUniform(SearchSpace.LearningRate, 1e-4, 1e-1).Uniform("dropout", 0.1, 0.5);
        IReadOnlyList<TrialParameters> trials = Search.Random(ranges, 200, seed: 3);
        Assert.All(trials, t => Assert.InRange(t.LearningRate!.Value, 1e-4, 1e-1));
        Assert.All(trials, t => Assert.InRange(t.Get<double>("dropout"), 0.1, 0.5));
        // Log-uniform: about a third of the draws in each decade.
        int lowDecade = trials.Count(t => t.LearningRate < 1e-3);
        Assert.InRange(lowDecade, 40, 95);
    }

    [Fact]
    public void Random_search_over_ranges_finds_the_region_of_the_known_best()
    {
        var space = new SearchSpace().LogUniform(SearchSpace.LearningRate, 1e-5, 1e-1);
        SearchResults results = Search.Run(Search.Random(space, 40, seed: 5),
            p => new TrialScore(Math.Abs(Math.Log10(p.LearningRate!.Value) + 3)), new Objective("distance", Direction.Minimize), maxParallelTrials: 2);
        Assert.InRange(results.Best.Parameters.LearningRate!.Value, 5e-4, 2e-3);
        Assert.Equal(results.Trials.Min(t => t.Score), results.Best.Score);
    }

    [Fact]
    public void Results_table_and_csv_list_every_trial_and_mark_failures()
    {
        var space = new SearchSpace().Choice(SearchSpace.LearningRate, 0.1, 0.2, 0.3);
        SearchResults results = Search.Run(Search.Grid(space), p => p.LearningRate switch
        {
            0.2 => throw new TrainingDivergedException("diverged", 2, 5, float.NaN),
            double lr => new TrialScore(lr, new Dictionary<string, float> { ["loss"] = (float)(1 - lr) }),
            _ => throw new InvalidOperationException(),
        }, new Objective("val_accuracy", Direction.Maximize), maxParallelTrials: 1);

        string csv = results.ToCsv();
        Assert.Equal(
            "trial,rank,learning_rate,val_accuracy,loss,seconds,error\n" +
            $"1,2,0.1,0.1,0.9,{Seconds(results, 0)},\n" +
            $"2,-,0.2,,,{Seconds(results, 1)},\"training diverged in epoch 2, batch 5\"\n" +
            $"3,1,0.3,0.3,0.7,{Seconds(results, 2)},\n", csv);

        string[] table = results.ToString().TrimEnd('\n').Split('\n');
        Assert.Equal(5, table.Length);
        Assert.Matches(@"^rank\s+trial\s+learning_rate\s+val_accuracy\s+loss\s+time\s+status$", table[0]);
        Assert.Matches(@"^\s+1\s+3\s+0\.3\s+0\.3000\s+0\.7000\s+\d+\.\d s\s+best$", table[2]);
        Assert.Matches(@"^\s+-\s+2\s+0\.2\s+\d+\.\d s\s+training diverged in epoch 2, batch 5$", table[4]);
        Assert.Equal(3, results.Best.Parameters.Trial);
    }

    private static string Seconds(SearchResults results, int i) =>
        results.Trials[i].Duration.TotalSeconds.ToString("F3", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Bad_spaces_and_hyperparameters_are_explained()
    {
        var range = new SearchSpace().LogUniform(SearchSpace.LearningRate, 1e-4, 1e-2);
        Assert.Contains("Grid search needs a list of values for every hyperparameter, but learning_rate log-uniform in [0.0001, 0.01) is a range",
            Assert.Throws<ArgumentException>(() => Search.Grid(range)).Message);
        Assert.Contains("declared twice", Assert.Throws<ArgumentException>(() => new SearchSpace().Choice("a", 1).Choice("a", 2)).Message);
        TrialParameters p = Search.Grid(new SearchSpace().Choice("units", 1.5)).Single();
        Assert.Equal("Hyperparameter 'units' is 1.5 (Double), which is not a Int32.", Assert.Throws<InvalidCastException>(() => p.Get<int>("units")).Message);
        Assert.Equal("The search space has no hyperparameter 'dropout'; it has units.", Assert.Throws<KeyNotFoundException>(() => p.Get<double>("dropout")).Message);
        Assert.Equal(32, p.BatchSize);
        Assert.Null(p.LearningRate);
        Assert.Throws<InvalidOperationException>(() => Search.Run([p], _ => new TrialScore(double.NaN), Objective.ValLoss));
    }

    [Fact]
    public void Tuner_trains_real_networks_picks_the_learning_rate_that_learns_and_retrains_it_on_all_samples()
    {
        (float[] x, byte[] labels) = Blobs.Make(600, seed: 11);
        float[] y = Labels.ToFloat(labels);
        var space = new SearchSpace()
            .Choice(SearchSpace.LearningRate, 1e-7, 1e-2)
            .Choice(SearchSpace.Epochs, 3)
            .Choice("units", 8, 16);
        var log = new StringWriter();
        var tuner = new Tuner(p => p.Get<int>("units") == 8 ? new BlobNet8(p.Seed) : new BlobNet16(p.Seed))
        {
            ValidationSplit = 0.25,
            MaxParallelTrials = 2,
            Log = TextWriter.Synchronized(log),
        };
        TuningResult result = tuner.Search(Search.Grid(space, seed: 4), x, y);

        Assert.Equal(1e-2, result.Results.Best.Parameters.LearningRate);
        Assert.True(result.Results.Best.Score > 0.9, result.Results.ToString());
        Assert.All(result.Results.Trials.Where(t => t.Parameters.LearningRate == 1e-7), t => Assert.True(t.Score < 0.7, result.Results.ToString()));
        Assert.Equal(4, log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        // The best configuration, retrained from its seed on all 600 samples, is the matching generated network.
        INetwork expected = result.Results.Best.Parameters.Get<int>("units") == 8 ? new BlobNet8(4) : new BlobNet16(4);
        Assert.IsType(expected.GetType(), result.BestNetwork);
        expected.Optimizer.LearningRate = 1e-2f;
        History history = expected.Fit(x, y, epochs: 3, batchSize: 32, seed: 4, verbose: 0);
        Assert.Equal(history.Loss, result.BestHistory.Loss);
        Assert.True(expected.Parameters.SequenceEqual(result.BestNetwork.Parameters));

        // Reproducible whatever the parallelism.
        TuningResult again = new Tuner(p => p.Get<int>("units") == 8 ? new BlobNet8(p.Seed) : new BlobNet16(p.Seed)) { ValidationSplit = 0.25, MaxParallelTrials = 1 }
            .Search(Search.Grid(space, seed: 4), x, y);
        Assert.Equal(result.Results.Trials.Select(t => t.Score), again.Results.Trials.Select(t => t.Score));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current) { }
    }
}
