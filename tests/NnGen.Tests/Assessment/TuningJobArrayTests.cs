using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NnGen.Data;
using NnGen.Tests.Networks;
using NnGen.Tuning;

namespace NnGen.Tests.Assessment;

/// <summary>A search run one trial at a time (a job array's processes), its reports written as JSON and collected.</summary>
public sealed class TuningJobArrayTests : TempDirectoryTest
{
    private static readonly Objective Score = new("score", Direction.Maximize);

    private static SearchSpace Space() => new SearchSpace()
        .Choice(SearchSpace.LearningRate, 1e-2, 1e-3, 1e-4)
        .Choice(SearchSpace.BatchSize, 16, 64)
        .Choice("units", 8, 16);

    /// <summary>Best at learning rate 1e-3, batch 64, 16 units; ties between some trials; learning rate 1e-2 with batch 16 diverges.</summary>
    private static TrialScore Scripted(TrialParameters p) => p.LearningRate == 1e-2 && p.BatchSize == 16
        ? throw new TrainingDivergedException("diverged", 1, 3, float.NaN)
        : new(-Math.Abs(Math.Log10(p.LearningRate!.Value) + 3) - (p.BatchSize == 64 ? 0 : 0.5) - (p.Get<int>("units") == 16 ? 0 : 0.25) / 3,
            new Dictionary<string, float> { ["loss"] = (float)(p.LearningRate!.Value / 3), ["val_loss"] = float.NaN });

    /// <summary>Runs every trial by itself and writes its report, as each process of a job array does.</summary>
    private void RunEachTrial(IReadOnlyList<TrialParameters> trials, Func<TrialParameters, TrialScore> score, string dir)
    {
        Directory.CreateDirectory(dir);
        for (int i = trials.Count - 1; i >= 0; i--) // any order
        {
            TrialReport report = Search.RunTrial(trials, i, score, Score);
            report.WriteJson(Path.Combine(dir, report.FileName));
        }
    }

    private static void AssertSameRanking(SearchResults expected, SearchResults actual)
    {
        Assert.Equal(expected.Objective, actual.Objective);
        Assert.Equal(expected.Ranked.Select(t => t.Parameters.Trial), actual.Ranked.Select(t => t.Parameters.Trial));
        Assert.Equal(expected.Trials.Select(t => t.Score), actual.Trials.Select(t => t.Score));
        Assert.Equal(expected.Trials.Select(t => t.Error), actual.Trials.Select(t => t.Error));
        Assert.Equal(expected.Trials.Select(t => t.Parameters.ToString()), actual.Trials.Select(t => t.Parameters.ToString()));
        for (int i = 0; i < expected.Trials.Count; i++)
            Assert.Equal(expected.Trials[i].Metrics, actual.Trials[i].Metrics); // in the same order: the table's columns
        Assert.Equal(expected.Best.Parameters.Trial, actual.Best.Parameters.Trial);
    }

    [Fact]
    public void Trials_run_one_by_one_and_collected_rank_as_the_search_in_one_process()
    {
        IReadOnlyList<TrialParameters> grid = Search.Grid(Space(), seed: 3);
        SearchResults local = Search.Run(grid, Scripted, Score, maxParallelTrials: 2);
        RunEachTrial(grid, Scripted, Dir);

        SearchResults collected = SearchResults.Collect(Dir, grid);
        AssertSameRanking(local, collected);
        Assert.Equal(grid, collected.Trials.Select(t => t.Parameters)); // the list's own objects, with their types
        Assert.Equal("training diverged in epoch 1, batch 3", collected.Trials[0].Error);
        Assert.Equal(Strip(local.ToCsv()), Strip(collected.ToCsv()));

        // A random search over ranges: doubles of every digit come back exactly; the list made again from the same arguments finds them.
        var ranges = new SearchSpace().LogUniform(SearchSpace.LearningRate, 1e-5, 1e-1).Choice(SearchSpace.BatchSize, 16, 64).Choice("units", 8, 16);
        string randomDir = Path.Combine(Dir, "random");
        RunEachTrial(Search.Random(ranges, 7, seed: 9), Scripted, randomDir);
        AssertSameRanking(Search.Run(Search.Random(ranges, 7, seed: 9), Scripted, Score), SearchResults.Collect(randomDir, Search.Random(ranges, 7, seed: 9)));
    }

    /// <summary>The CSV without its seconds column, the one before the error (the trials' wall-clock times differ between runs).</summary>
    internal static string Strip(string csv) =>
        System.Text.RegularExpressions.Regex.Replace(csv, "^(.*),[0-9]+\\.[0-9]{3},(\"[^\"]*\"|[^,\"]*)$", "$1,$2", System.Text.RegularExpressions.RegexOptions.Multiline);

    [Fact]
    public void A_report_reads_back_as_written_and_names_its_index_search_and_objective()
    {
        IReadOnlyList<TrialParameters> grid = Search.Grid(new SearchSpace().Choice(SearchSpace.LearningRate, 0.5, 1e-7).Choice("name", "a,b", "c"), seed: -4);
        TrialReport report = Search.RunTrial(grid, 3, p => new TrialScore(0.25, new Dictionary<string, float> { ["loss"] = 1.5f }), Objective.ValLoss);
        Assert.Equal((3, 4, Search.Fingerprint(grid)), (report.Index, report.TrialCount, report.SearchId));
        Assert.Equal("trial-3.json", report.FileName);
        Assert.Same(grid[3], report.Result.Parameters);

        string path = Path.Combine(Dir, report.FileName);
        report.WriteJson(path);
        Assert.Equal(new[] { path }, Directory.GetFiles(Dir)); // no temporary file left beside it
        string json = File.ReadAllText(path);
        foreach (string field in new[] { "\"format\": \"nngen-trial\"", "\"index\": 3", "\"seed\": -4", "\"learning_rate\": 1E-07", "\"name\": \"c\"", "\"direction\": \"minimize\"" })
            Assert.Contains(field, json);

        Assert.EndsWith("}\n", json);
        report.WriteJson(path); // a rerun of the index replaces its file
        Assert.Equal(new[] { path }, Directory.GetFiles(Dir));
        TrialReport read = TrialReport.ReadJson(path);
        Assert.Equal((report.SearchId, report.Index, report.TrialCount, report.Objective), (read.SearchId, read.Index, read.TrialCount, read.Objective));
        Assert.Equal(grid[3].ToString(), read.Result.Parameters.ToString());
        Assert.Equal((4, -4), (read.Result.Parameters.Trial, read.Result.Parameters.Seed));
        Assert.Equal(1e-7, read.Result.Parameters.LearningRate);
        Assert.Equal(0.25, read.Result.Score);
        Assert.Equal(1.5f, read.Result.Metrics["loss"]);
        Assert.Null(read.Result.Error);
        Assert.Equal(report.Result.Duration.TotalSeconds, read.Result.Duration.TotalSeconds, 6);

        // Whole numbers read back as ints, others as doubles; the fingerprint tells lists apart by value, type, order and seed.
        TrialParameters kinds = Search.Grid(new SearchSpace().Choice(SearchSpace.Epochs, 3).Choice("big", 5_000_000_000L).Choice("on", false)
            .Choice("rate", 0.25f).Choice("whole", 2.0)).Single();
        string kindsJson = Search.RunTrial([kinds], 0, _ => new TrialScore(1), Score).ToJson();
        TrialParameters back = TrialReport.Parse(kindsJson, "x").Result.Parameters;
        Assert.Equal(new object[] { 3, 5_000_000_000L, false, 0.25, 2 }, back.Values.Select(v => v.Value));
        Assert.Equal(3.0, TrialReport.Parse(kindsJson.Replace("\"epochs\": 3", "\"epochs\": 3.0"), "x").Result.Parameters.Values[0].Value);
        Assert.Equal(3000.0, TrialReport.Parse(kindsJson.Replace("\"epochs\": 3", "\"epochs\": 3e3"), "x").Result.Parameters.Values[0].Value);
        string id = Search.Fingerprint(grid);
        Assert.Matches("^[0-9a-f]{16}$", id);
        Assert.Equal(id, Search.Fingerprint(Search.Grid(new SearchSpace().Choice(SearchSpace.LearningRate, 0.5, 1e-7).Choice("name", "a,b", "c"), seed: -4)));
        Assert.NotEqual(id, Search.Fingerprint(Search.Grid(new SearchSpace().Choice(SearchSpace.LearningRate, 0.5, 1e-7).Choice("name", "a,b", "c"), seed: 4)));
        Assert.NotEqual(id, Search.Fingerprint(Search.Grid(new SearchSpace().Choice(SearchSpace.LearningRate, 1e-7, 0.5).Choice("name", "a,b", "c"), seed: -4)));
        Assert.NotEqual(Search.Fingerprint(Search.Grid(new SearchSpace().Choice("units", 1))), Search.Fingerprint(Search.Grid(new SearchSpace().Choice("units", 1.0))));
        Assert.NotEqual(Search.Fingerprint(Search.Grid(new SearchSpace().Choice("x", 0.1))), Search.Fingerprint(Search.Grid(new SearchSpace().Choice("x", 0.1000001))));
    }

    [Fact]
    public void The_trial_index_comes_from_kubernetes_then_slurm_and_bad_values_are_named()
    {
        static (int, string)? Index(int count, params (string Name, string Value)[] variables) =>
            JobArray.TrialIndex(count, name => variables.FirstOrDefault(v => v.Name == name).Value);
        const string K = JobArray.KubernetesIndexVariable, S = JobArray.SlurmIndexVariable;
        Assert.Equal("JOB_COMPLETION_INDEX", K);
        Assert.Equal("SLURM_ARRAY_TASK_ID", S);

        Assert.Null(Index(12));
        Assert.Null(Index(12, (K, ""), (S, " ")));
        Assert.Equal((2, K), Index(12, (K, "2")));
        Assert.Equal((0, K), Index(12, (K, "0"), (S, "5")));
        Assert.Equal((5, S), Index(12, (S, "5")));
        Assert.Equal((11, S), Index(12, (S, " 11\n")));
        Assert.Equal((0, K), Index(1, (K, "0")));

        string Error(int count, params (string, string)[] variables) =>
            Assert.Throws<InvalidOperationException>(() => Index(count, variables)).Message;
        Assert.Equal("JOB_COMPLETION_INDEX is 'two', but a trial index is a whole number: the search has 12 trials, indices 0 to 11.", Error(12, (K, "two")));
        Assert.Equal("SLURM_ARRAY_TASK_ID is '3.0', but a trial index is a whole number: the search has 4 trials, indices 0 to 3.", Error(4, (S, "3.0")));
        Assert.Equal("JOB_COMPLETION_INDEX is 12, but the search has 12 trials, indices 0 to 11.", Error(12, (K, "12")));
        Assert.Equal("JOB_COMPLETION_INDEX is -1, but the search has 12 trials, indices 0 to 11.", Error(12, (K, "-1")));
        Assert.Equal("SLURM_ARRAY_TASK_ID is 12, but the search has 12 trials, indices 0 to 11: number the array from 0 (--array=0-11).", Error(12, (S, "12")));
        Assert.Throws<ArgumentOutOfRangeException>(() => JobArray.TrialIndex(0, _ => "0"));

        IReadOnlyList<TrialParameters> grid = Search.Grid(Space());
        foreach (int bad in new[] { -1, 12 })
            Assert.StartsWith($"Trial index {bad} is out of range: the search has 12 trials, indices 0 to 11.",
                Assert.Throws<ArgumentOutOfRangeException>(() => Search.RunTrial(grid, bad, Scripted, Score)).Message);
        Assert.Throws<ArgumentException>(() => Search.RunTrial([], 0, Scripted, Score));
    }

    [Fact]
    public void Collect_names_corrupt_foreign_duplicate_edited_and_missing_results()
    {
        IReadOnlyList<TrialParameters> grid = Search.Grid(Space(), seed: 1);
        RunEachTrial(grid, Scripted, Dir);
        string id = Search.Fingerprint(grid);
        string File3 = Path.Combine(Dir, "trial-3.json");
        string good = File.ReadAllText(File3);
        string Error(string text)
        {
            File.WriteAllText(File3, text);
            try
            {
                return Assert.Throws<InvalidDataException>(() => SearchResults.Collect(Dir, grid)).Message;
            }
            finally
            {
                File.WriteAllText(File3, good);
            }
        }

        // Corrupt and truncated files, fields missing or of the wrong kind.
        Assert.StartsWith($"{File3} is not a complete trial result (JSON): ", Error(good[..(good.Length / 2)]));
        Assert.StartsWith($"{File3} is not a complete trial result (JSON): ", Error(""));
        Assert.Equal($"{File3} should hold a JSON object (a trial result), but it holds [1, 2].", Error("[1, 2]"));
        Assert.Equal($"{File3}: the field 'score' of a trial result is missing.", Error(Without(good, "score")));
        Assert.Equal($"{File3}: 'index' should be a whole number, but it is \"3\".", Error(good.Replace("\"index\": 3", "\"index\": \"3\"")));
        Assert.Equal($"{File3}: 'index' should be an index from 0 to 11 (the file says the search has 12 trials), but it is 12.",
            Error(good.Replace("\"index\": 3", "\"index\": 12")));
        Assert.Equal($"{File3}: 'trials' should be a count of at least 1, but it is 0.", Error(good.Replace("\"trials\": 12", "\"trials\": 0")));
        Assert.Equal($"{File3}: 'direction' should be \"maximize\" or \"minimize\", but it is \"up\".", Error(good.Replace("\"maximize\"", "\"up\"")));
        Assert.Equal($"{File3}: 'metrics.loss' should be a number or null, but it is \"low\".", Error(Replace(good, "loss", "\"low\"")));
        Assert.Equal($"{File3}: 'parameters.units' should be a number, a string or a boolean, but it is [16].", Error(Replace(good, "units", "[16]")));
        Assert.Equal($"{File3}: 'score' should be a number, as the trial has no error, but it is null.", Error(Replace(good, "score", "null")));
        Assert.Equal($"{File3}: 'seconds' should be a duration of 0 or more seconds, but it is -1.", Error(Replace(good, "seconds", "-1")));
        Assert.Equal($"{File3}: 'seconds' should be a number, but it is \"1\".", Error(Replace(good, "seconds", "\"1\"")));
        Assert.Equal($"{File3}: 'seconds' should be a duration of 0 or more seconds, but it is 1E+300.", Error(Replace(good, "seconds", "1E+300")));
        Assert.Equal($"{File3}: 'error' should be a string or null, but it is 0.", Error(Replace(good, "error", "0")));
        Assert.Equal($"{File3}: 'metrics' should be an object, but it is [].", Error(good.Replace("\"metrics\": {", "\"metrics\": [], \"m\": {")));
        Assert.Equal($"{File3}: 'parameters.units' should be a number, a string or a boolean, but it is [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, ....",
            Error(Replace(good, "units", "[" + string.Join(", ", Enumerable.Range(1, 20)) + "]")));
        string forty = "[" + new string(' ', 38) + "]";
        Assert.Equal($"{File3}: 'parameters.units' should be a number, a string or a boolean, but it is {forty}.", Error(Replace(good, "units", forty)));
        Assert.Equal($"{File3}: the field 'error' of a trial result is missing.", Error(System.Text.RegularExpressions.Regex.Replace(good, ",\\s*\"error\": null", "")));
        Assert.Equal($"{File3}: 'search' should be a non-empty string, but it is \"\".", Error(good.Replace($"\"{id}\"", "\"\"")));
        Assert.Equal($"{File3} is a 'nngen-model' file of version 1, but a trial result is 'nngen-trial' of version 1.",
            Error(good.Replace("nngen-trial", "nngen-model")));
        Assert.Equal($"{File3} is a 'nngen-trial' file of version 2, but a trial result is 'nngen-trial' of version 1.",
            Error(good.Replace("\"version\": 1", "\"version\": 2")));

        File.WriteAllText(File3, Replace(good, "seconds", "0"));
        Assert.Equal(TimeSpan.Zero, SearchResults.Collect(Dir, grid).Trials[3].Duration);
        File.WriteAllText(File3, good);

        // A trial of another search (another seed), a hand-edited trial, another objective.
        string foreign = Path.Combine(Dir, "other");
        RunEachTrial(Search.Grid(Space(), seed: 2), Scripted, foreign);
        string otherId = Search.Fingerprint(Search.Grid(Space(), seed: 2));
        Assert.NotEqual(id, otherId);
        Assert.Equal($"{File3} holds index 3 of search {otherId} (12 trials), but the search collected is {id} (12 trials): " +
            "it was run with other hyperparameter values, order, trial count or seed.", Error(File.ReadAllText(Path.Combine(foreign, "trial-3.json"))));
        string fewer = Search.RunTrial(Search.Grid(Space(), seed: 1).Take(5).ToArray(), 3, Scripted, Score).ToJson();
        Assert.Contains("(5 trials), but the search collected is", Error(fewer));
        Assert.Equal($"{File3} holds index 3 with learning_rate=0.02, batch_size=64, units=16, but index 3 of the search is " +
            "learning_rate=0.01, batch_size=64, units=16.", Error(Replace(good, "learning_rate", "0.02")));
        Assert.Equal($"{File3} is scored by score (lower is better), but {Path.Combine(Dir, "trial-0.json")} by score (higher is better).",
            Error(good.Replace("\"maximize\"", "\"minimize\"")));

        // Duplicates and missing indices.
        string copy = Path.Combine(Dir, "trial-3-again.json");
        File.Copy(File3, copy);
        Assert.Equal($"{copy} and {File3} both hold trial index 3 of search {id}; keep one of them.",
            Assert.Throws<InvalidDataException>(() => SearchResults.Collect(Dir, grid)).Message);
        File.Delete(copy);
        File.Delete(File3);
        File.Delete(Path.Combine(Dir, "trial-10.json"));
        Assert.Equal($"{Dir} holds results of 10 of the 12 trials of search {id}; missing: indices 3, 10 (run them again into the same folder).",
            Assert.Throws<InvalidDataException>(() => SearchResults.Collect(Dir, grid)).Message);
        string empty = Directory.CreateDirectory(Path.Combine(Dir, "empty")).FullName;
        string many = Assert.Throws<InvalidDataException>(() => SearchResults.Collect(empty, Search.Random(new SearchSpace().Uniform("x", 0, 1), 25, 1))).Message;
        Assert.EndsWith("holds results of 0 of the 25 trials of search " + Search.Fingerprint(Search.Random(new SearchSpace().Uniform("x", 0, 1), 25, 1)) +
            "; missing: indices 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19 and 5 more (run them again into the same folder).", many);
        IReadOnlyList<TrialParameters> two = Search.Grid(new SearchSpace().Choice("units", 8, 16));
        string one = Directory.CreateDirectory(Path.Combine(Dir, "one")).FullName;
        Search.RunTrial(two, 0, _ => new TrialScore(1), Score).WriteJson(Path.Combine(one, "trial-0.json"));
        Assert.EndsWith("; missing: index 1 (run it again into the same folder).",
            Assert.Throws<InvalidDataException>(() => SearchResults.Collect(one, two)).Message);

        string nowhere = Path.Combine(Dir, "nowhere");
        Assert.Equal($"{nowhere} does not exist: it should hold the trial-*.json files of the search's trials.",
            Assert.Throws<DirectoryNotFoundException>(() => SearchResults.Collect(nowhere, grid)).Message);
        Assert.Equal("There are no trials to collect. (Parameter 'trials')", Assert.Throws<ArgumentException>(() => SearchResults.Collect(Dir, [])).Message);
        Assert.Throws<ArgumentNullException>(() => SearchResults.Collect(Dir, null!));
        Assert.Equal("directory", Assert.Throws<ArgumentException>(() => SearchResults.Collect("", grid)).ParamName);
        IReadOnlyList<TrialParameters> twenty = Search.Random(new SearchSpace().Uniform("x", 0, 1), 20, 1);
        Assert.EndsWith($"missing: indices {string.Join(", ", Enumerable.Range(0, 20))} (run them again into the same folder).",
            Assert.Throws<InvalidDataException>(() => SearchResults.Collect(empty, twenty)).Message);
    }

    /// <summary>The JSON with the value of field <paramref name="name"/> (wherever it is nested) replaced by <paramref name="value"/>.</summary>
    private static string Replace(string json, string name, string value) =>
        System.Text.RegularExpressions.Regex.Replace(json, $"(\"{name}\": )[^,\\n]+", "${1}" + value);

    private static string Without(string json, string name) =>
        System.Text.RegularExpressions.Regex.Replace(json, $"\\s*\"{name}\": [^,\\n]+,", "");

    [Fact]
    public void Tuner_runs_one_trial_like_the_search_and_retrains_the_collected_best_to_the_same_network()
    {
        (float[] x, byte[] labels) = Blobs.Make(300, seed: 11);
        float[] y = Labels.ToFloat(labels);
        var space = new SearchSpace().Choice(SearchSpace.LearningRate, 1e-7, 1e-2).Choice(SearchSpace.Epochs, 2).Choice("units", 8, 16);
        IReadOnlyList<TrialParameters> grid = Search.Grid(space, seed: 4);
        Tuner Make() => new(p => p.Get<int>("units") == 8 ? new BlobNet8(p.Seed) : new BlobNet16(p.Seed)) { ValidationSplit = 0.25, MaxParallelTrials = 2 };
        TuningResult local = Make().Search(grid, x, y);

        for (int i = 0; i < grid.Count; i++)
        {
            TrialReport report = Make().RunTrial(grid, i, x, y);
            Assert.Equal(Objective.ValAccuracy, report.Objective);
            report.WriteJson(Path.Combine(Dir, report.FileName));
        }
        SearchResults collected = SearchResults.Collect(Dir, grid);
        AssertSameRanking(local.Results, collected);
        TuningResult retrained = Make().Retrain(collected, x, y);
        Assert.Equal(local.BestHistory.Loss, retrained.BestHistory.Loss);
        Assert.True(local.BestNetwork.Parameters.SequenceEqual(retrained.BestNetwork.Parameters));

        Assert.Throws<ArgumentOutOfRangeException>(() => Make().RunTrial(grid, grid.Count, x, y));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Tuner(_ => new BlobNet8()) { ValidationSplit = 0 }.RunTrial(grid, 0, x, y));
    }
}
