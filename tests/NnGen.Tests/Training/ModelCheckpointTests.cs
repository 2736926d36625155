using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using NnGen.Callbacks;
using NnGen.Tests.Networks;

namespace NnGen.Tests.Training;

public sealed class ModelCheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nngen-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string[] Files() => Directory.GetFileSystemEntries(_dir, "*", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(_dir, f)).Order(StringComparer.Ordinal).ToArray();

    private static float[] Loaded(string path)
    {
        var net = new SparseNet(99);
        net.Load(path);
        return net.Parameters.ToArray();
    }

    [Fact]
    public void Save_best_only_writes_files_only_on_improvement_and_each_loads_its_epochs_weights()
    {
        var harness = new CallbackHarness(new SparseNet(1));
        var checkpoint = new ModelCheckpoint(Path.Combine(_dir, "{epoch:02d}-{val_loss:.3f}.nngw"), saveBestOnly: true);
        harness.Run(checkpoint, "val_loss", 0.5f, 0.6f, 0.4f, 0.45f, 0.4f);

        Assert.Equal(["01-0.500.nngw", "03-0.400.nngw"], Files()); // epochs 2, 4 and 5 (equal) did not improve
        Assert.Equal(harness.Weights[0], Loaded(Path.Combine(_dir, "01-0.500.nngw")));
        Assert.Equal(harness.Weights[2], Loaded(Path.Combine(_dir, "03-0.400.nngw")));
        Assert.Equal(0.4f, checkpoint.Best);
        Assert.Equal(Path.Combine(_dir, "03-0.400.nngw"), checkpoint.LastSavedPath);
    }

    [Fact]
    public void A_fixed_path_always_holds_the_best_weights_and_a_later_fit_keeps_that_best_as_in_keras()
    {
        var harness = new CallbackHarness(new SparseNet(1));
        string path = Path.Combine(_dir, "best.nngw");
        var checkpoint = new ModelCheckpoint(path, monitor: "val_accuracy", saveBestOnly: true);
        harness.Run(checkpoint, "val_accuracy", 0.5f, 0.8f, 0.7f);
        Assert.Equal(harness.Weights[1], Loaded(path));

        float[] best = harness.Weights[1];
        harness.Run(checkpoint, "val_accuracy", 0.6f, 0.75f); // continuing training: nothing beats 0.8
        Assert.Equal(best, Loaded(path));
        harness.Run(checkpoint, "val_accuracy", 0.6f, 0.85f);
        Assert.Equal(harness.Weights[1], Loaded(path));
    }

    [Fact]
    public void Without_save_best_only_every_epoch_is_saved()
    {
        var harness = new CallbackHarness(new SparseNet(1));
        harness.Run(new ModelCheckpoint(Path.Combine(_dir, "sub", "e{epoch:D3}_{loss:F2}_{{x}}.nngw")), "val_loss", 0.5f, 0.75f);
        // loss is val_loss + 1 in the harness; the missing directory was created; {{ }} are literal braces.
        Assert.Equal(["sub", Path.Combine("sub", "e001_1.50_{x}.nngw"), Path.Combine("sub", "e002_1.75_{x}.nngw")], Files());
        Assert.Equal(harness.Weights[1], Loaded(Path.Combine(_dir, "sub", "e002_1.75_{x}.nngw")));
    }

    [Fact]
    public void The_initial_value_threshold_must_be_beaten_first()
    {
        var harness = new CallbackHarness(new SparseNet(1));
        harness.Run(new ModelCheckpoint(Path.Combine(_dir, "{epoch}.nngw"), saveBestOnly: true, initialValueThreshold: 0.45f), "val_loss", 0.5f, 0.4f, 0.42f);
        Assert.Equal(["2.nngw"], Files());
    }

    [Fact]
    public void A_failing_write_leaves_the_previous_checkpoint_intact()
    {
        var harness = new CallbackHarness(new SparseNet(1));
        string path = Path.Combine(_dir, "ckpt.nngw");
        var checkpoint = new ModelCheckpoint(path);
        harness.Run(checkpoint, "val_loss", 0.5f);
        float[] saved = harness.Weights[0];

        // WeightsFile.Save writes "<path>.tmp-<pid>" and renames it; a directory in that place makes the write fail.
        string blocker = path + ".tmp-" + Environment.ProcessId;
        Directory.CreateDirectory(blocker);
        var e = Assert.Throws<IOException>(() => harness.Run(checkpoint, "val_loss", 0.4f));
        Assert.Contains("epoch 1", e.Message);
        Assert.Contains(path, e.Message);
        Assert.Equal(saved, Loaded(path));
        Directory.Delete(blocker);
        Assert.Equal(["ckpt.nngw"], Files());
    }

    [Fact]
    public void A_failing_rename_leaves_no_temporary_file()
    {
        var harness = new CallbackHarness(new SparseNet(1));
        string path = Path.Combine(_dir, "taken.nngw");
        Directory.CreateDirectory(path); // the target is a directory: the rename fails after the temporary file was written
        Assert.Throws<IOException>(() => harness.Run(new ModelCheckpoint(path), "val_loss", 0.5f));
        Assert.Equal(["taken.nngw"], Files());
        Assert.True(Directory.Exists(path));
    }

    [Fact]
    public void A_save_deletes_what_killed_saves_of_other_epochs_left_and_keeps_live_writers_files()
    {
        using Process dead = Process.Start("sh", ["-c", "exit 0"]);
        dead.WaitForExit();
        using Process live = Process.Start("sleep", ["60"]);
        try
        {
            // A killed earlier run saved "ckpt-{epoch}.nngw" up to epoch 7; this run writes epoch 1 only, another path.
            string sub = Path.Combine(_dir, "ckpt");
            Directory.CreateDirectory(sub);
            foreach (string leftover in new[] { $"ckpt-07.nngw.tmp-{dead.Id}", $"ckpt-05.nngw.tmp-{live.Id}", $"notes.txt.tmp-{dead.Id}", $"ckpt-06.nngw.tmp-x" })
                File.WriteAllText(Path.Combine(sub, leftover), "NNGW");

            var harness = new CallbackHarness(new SparseNet(1));
            harness.Run(new ModelCheckpoint(Path.Combine(sub, "ckpt-{epoch:D2}.nngw")), "val_loss", 0.5f);

            string[] kept = ["ckpt-01.nngw", $"ckpt-05.nngw.tmp-{live.Id}", "ckpt-06.nngw.tmp-x", $"notes.txt.tmp-{dead.Id}"];
            Assert.Equal(["ckpt", .. kept.Select(f => Path.Combine("ckpt", f)).Order(StringComparer.Ordinal)], Files());
        }
        finally
        {
            live.Kill();
        }
    }

    [Fact]
    public void Bad_paths_are_rejected_with_the_position()
    {
        Assert.Contains("unclosed '{' at position 1", Assert.Throws<ArgumentException>(() => new ModelCheckpoint("a{epoch.nngw")).Message);
        Assert.Contains("unmatched '}' at position 1", Assert.Throws<ArgumentException>(() => new ModelCheckpoint("a}b.nngw")).Message);
        Assert.Contains("'{}' at position 1", Assert.Throws<ArgumentException>(() => new ModelCheckpoint("a{}.nngw")).Message);
        Assert.Contains("'{1x}'", Assert.Throws<ArgumentException>(() => new ModelCheckpoint("{1x}.nngw")).Message);
        // A brace as the last character cannot be the first of a doubled pair.
        Assert.Contains("unmatched '}' at position 6", Assert.Throws<ArgumentException>(() => new ModelCheckpoint("w.nngw}")).Message);
        Assert.Contains("unclosed '{' at position 6", Assert.Throws<ArgumentException>(() => new ModelCheckpoint("w.nngw{")).Message);
        foreach (string bad in new[] { "a}b", "a{b", "a{}b" })
            Assert.Equal("filePath", Assert.Throws<ArgumentException>(() => new ModelCheckpoint(bad)).ParamName);
    }

    [Fact]
    public void Placeholders_the_logs_lack_are_reported_clearly()
    {
        var harness = new CallbackHarness(new SparseNet(1));
        var e = Assert.Throws<InvalidOperationException>(() => harness.Run(new ModelCheckpoint(Path.Combine(_dir, "{val_auc}.nngw")), "val_loss", 0.5f));
        Assert.Contains("{val_auc}", e.Message);
        Assert.Contains("val_loss", e.Message);

        var noValidation = new CallbackHarness(new SparseNet(1), validation: false);
        e = Assert.Throws<InvalidOperationException>(() => noValidation.Run(new ModelCheckpoint(Path.Combine(_dir, "{val_loss}.nngw")), "loss", 0.5f));
        Assert.Contains("no validation data", e.Message);
        Assert.Empty(Files());
    }

    [Fact]
    public void Bad_arguments_are_rejected_by_name()
    {
        Assert.Equal("filePath", Assert.Throws<ArgumentException>(() => new ModelCheckpoint("  ")).ParamName);
        foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ModelCheckpoint("w.nngw", initialValueThreshold: bad));
            Assert.Equal("initialValueThreshold", e.ParamName);
            Assert.Contains("must be a finite number", e.Message);
        }
    }

    [Fact]
    public void Before_any_save_best_is_the_worst_value_or_the_threshold_and_nothing_was_saved()
    {
        var byLoss = new ModelCheckpoint("w.nngw");
        Assert.Equal("w.nngw", byLoss.FilePath);
        Assert.False(byLoss.SaveBestOnly);
        Assert.Equal(float.PositiveInfinity, byLoss.Best);
        Assert.Null(byLoss.LastSavedPath);
        Assert.Equal(float.NegativeInfinity, new ModelCheckpoint("w.nngw", monitor: "val_accuracy", saveBestOnly: true).Best);
        Assert.Equal(0.3f, new ModelCheckpoint("w.nngw", initialValueThreshold: 0.3f).Best);
    }

    [Fact]
    public void Save_best_only_on_a_validation_metric_without_validation_data_fails_before_training()
    {
        var noValidation = new CallbackHarness(new SparseNet(1), validation: false);
        var e = Assert.Throws<InvalidOperationException>(() =>
            noValidation.Run(new ModelCheckpoint(Path.Combine(_dir, "best.nngw"), saveBestOnly: true), "loss", 0.5f));
        Assert.Contains("'val_loss'", e.Message);
        Assert.Contains("no validation data", e.Message);
        Assert.Empty(Files());

        // Saving every epoch needs no monitored metric, and training metrics in the path need no validation data.
        noValidation.Run(new ModelCheckpoint(Path.Combine(_dir, "e{epoch}-{lr:F3}-{loss:F1}.nngw")), "loss", 0.5f);
        Assert.Equal(["e1-0.001-0.5.nngw"], Files());
    }

    [Fact]
    public void A_missing_placeholder_names_the_path_the_epoch_and_what_was_logged()
    {
        var harness = new CallbackHarness(new SparseNet(1));
        string path = Path.Combine(_dir, "{val_auc}.nngw");
        var e = Assert.Throws<InvalidOperationException>(() => harness.Run(new ModelCheckpoint(path), "val_loss", 0.5f));
        Assert.Equal($"The checkpoint path '{path}' uses {{val_auc}}, but epoch 1 logged only epoch, loss, accuracy, val_loss, lr.", e.Message);
    }

    [Fact]
    public void Python_and_dotnet_formats_both_work_and_numbers_use_the_invariant_culture()
    {
        var harness = new CallbackHarness(new SparseNet(1));
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            harness.Run(new ModelCheckpoint(Path.Combine(_dir, "{epoch:d}_{epoch:3d}_{epoch:04d}_{val_loss:.1f}_{val_loss:E1}_{val_loss}.nngw")), "val_loss", 0.5f);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = culture;
        }
        Assert.Equal(["1_001_0001_0.5_5.0E-001_0.5.nngw"], Files());
    }

    [Fact]
    public void Stale_temporary_files_are_found_when_a_placeholder_names_the_folder()
    {
        using Process dead = Process.Start("sh", ["-c", "exit 0"]);
        dead.WaitForExit();
        string sub = Path.Combine(_dir, "run1");
        Directory.CreateDirectory(sub);
        // Left by a killed save of epoch 7 of the same template, and a file of another name.
        File.WriteAllText(Path.Combine(sub, $"w-7.nngw.tmp-{dead.Id}"), "NNGW");
        File.WriteAllText(Path.Combine(sub, $"xw-7.nngw.tmp-{dead.Id}"), "NNGW");

        new CallbackHarness(new SparseNet(1)).Run(new ModelCheckpoint(Path.Combine(_dir, "run{epoch}", "w-{epoch}.nngw")), "val_loss", 0.5f);

        Assert.Equal(["run1", Path.Combine("run1", "w-1.nngw"), Path.Combine("run1", $"xw-7.nngw.tmp-{dead.Id}")], Files());
    }

    [Fact]
    public void Through_fit_the_best_checkpoint_holds_the_best_epochs_weights()
    {
        var net = new SparseNet(seed: 3);
        (float[] x, float[] y) = Numerics.TestData.Batch(net, rows: 60, seed: 8);
        var recorder = new EarlyStoppingTests.WeightRecorder();
        string path = Path.Combine(_dir, "best.nngw");
        History history = net.Fit(x, y, epochs: 8, batchSize: 8, validationSplit: 0.25, verbose: 0,
            callbacks: [recorder, new ModelCheckpoint(path, saveBestOnly: true)]);
        int best = history.ValLoss.Select((v, i) => (v, i)).MinBy(t => t.v).i;
        Assert.Equal(recorder.Weights[best], Loaded(path));
    }
}
