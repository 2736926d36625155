using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using NnGen.Cli;
using NnGen.Tests.Data;
using NnGen.Tuning;
using SkiaSharp;

namespace NnGen.Tests.Assessment;

public sealed class CliTests : TempDirectoryTest
{
    internal static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = App.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static void AssertOneLineError(string err, string expected)
    {
        Assert.Contains(expected, err);
        Assert.Single(err.TrimEnd('\n', '\r').Split('\n'));
        Assert.DoesNotContain("Exception", err); // no type names, no stack trace
    }

    /// <summary>Two learnable classes of 28x28 images: a bright left half (class 0) or a bright right half (class 1), pixel values 0..255.</summary>
    private string WriteCsv(int rows)
    {
        var rng = new Rng(3);
        var sb = new StringBuilder("label," + string.Join(',', Enumerable.Range(0, 784).Select(i => $"pixel{i}")) + "\n");
        for (int r = 0; r < rows; r++)
        {
            int label = r % 2;
            sb.Append(label);
            for (int i = 0; i < 784; i++)
            {
                bool bright = (i % 28 < 14) == (label == 0);
                sb.Append(',').Append((bright ? 150 + rng.NextInt(100) : rng.NextInt(40)).ToString(CultureInfo.InvariantCulture));
            }
            sb.Append('\n');
        }
        string path = Path.Combine(Dir, "data.csv");
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    [Fact]
    public void Help_lists_the_commands_and_the_training_options()
    {
        var (code, output, _) = Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("train", output);
        Assert.Contains("evaluate", output);
        Assert.Contains("predict <images>", output);
        (code, output, _) = Run("train", "--help");
        Assert.Equal(0, code);
        foreach (string option in new[] { "--data <path>", "--epochs", "--batch-size", "--validation-split", "--seed", "--out <dir>", "[default: 10]" })
            Assert.Contains(option, output);
    }

    [Fact]
    public void A_bad_number_is_one_line_and_exit_code_2()
    {
        var (code, output, err) = Run("train", "--epochs", "abc");
        Assert.Equal(App.UsageError, code);
        Assert.Equal("", output);
        AssertOneLineError(err, "Cannot parse argument 'abc' for option '--epochs'");
        (code, _, err) = Run("train", "--validation-split", "1.5");
        Assert.Equal(2, code);
        AssertOneLineError(err, "--validation-split must be in [0, 1), but it is 1.5.");
        (code, _, err) = Run("train", "--batch-size", "0");
        Assert.Equal(2, code);
        AssertOneLineError(err, "--batch-size must be positive, but it is 0.");
    }

    [Fact]
    public void An_unknown_option_or_a_missing_command_is_one_line_and_exit_code_2()
    {
        var (code, _, err) = Run("train", "--epochz", "3");
        Assert.Equal(2, code);
        AssertOneLineError(err, "Unrecognized command or argument '--epochz'");
        Assert.EndsWith("train --help'.", err.TrimEnd());
        (code, _, err) = Run();
        Assert.Equal(2, code);
        AssertOneLineError(err, "Required command was not provided");
        (code, _, err) = Run("predict", "image.png");
        Assert.Equal(2, code);
        AssertOneLineError(err, "Option '--weights' is required");
    }

    [Fact]
    public void Missing_and_malformed_files_are_one_line_and_exit_code_1()
    {
        string missing = Path.Combine(Dir, "missing.nngw");
        var (code, _, err) = Run("predict", "--weights", missing, "image.png");
        Assert.Equal(App.Failure, code);
        AssertOneLineError(err, $"--weights: {missing} does not exist.");

        (code, _, err) = Run("train", "--data", Path.Combine(Dir, "nothing.csv"));
        Assert.Equal(1, code);
        AssertOneLineError(err, "nothing.csv does not exist");

        string ragged = Path.Combine(Dir, "ragged.csv");
        File.WriteAllText(ragged, "label,a,b\n1,2,3\n0,1\n");
        (code, _, err) = Run("train", "--data", ragged);
        Assert.Equal(1, code);
        AssertOneLineError(err, $"error: {ragged}, line 3: 2 columns, but the header has 3.");

        string small = Path.Combine(Dir, "small.csv");
        File.WriteAllText(small, "label,a,b\n1,2,3\n");
        (code, _, err) = Run("train", "--data", small);
        Assert.Equal(1, code);
        AssertOneLineError(err, "has 2 features per sample, but the network takes 784");
    }

    /// <summary>A weights file of the CLI's network (untrained), for commands that need one to get as far as their other inputs.</summary>
    private string WriteWeights()
    {
        string path = Path.Combine(Dir, "model.nngw");
        new NnGen.Cli.MnistMlp(seed: 1).Save(path);
        return path;
    }

    [Fact]
    public void A_directory_where_a_file_is_expected_is_called_a_directory()
    {
        string folder = Path.Combine(Dir, "folder");
        Directory.CreateDirectory(folder);
        var (code, _, err) = Run("predict", "--weights", folder, "image.png");
        Assert.Equal(App.Failure, code);
        AssertOneLineError(err, $"error: --weights: {folder} is a directory, but a weights file written by train (model.nngw) is expected.");

        (code, _, err) = Run("predict", "--weights", WriteWeights(), folder);
        Assert.Equal(App.Failure, code);
        AssertOneLineError(err, $"error: images: {folder} is a directory, but an image file (PNG or JPEG), a .csv file or an IDX images file is expected.");

        string csvFolder = Path.Combine(Dir, "data.csv");
        Directory.CreateDirectory(csvFolder);
        (code, _, err) = Run("train", "--data", csvFolder);
        Assert.Equal(App.Failure, code);
        AssertOneLineError(err, $"error: --data: {csvFolder} is a directory, but its name says a .csv file; give the CSV file, or a folder of MNIST-format IDX files.");
    }

    [Fact]
    public void A_missing_image_says_it_does_not_exist()
    {
        string missing = Path.Combine(Dir, "missing.png");
        var (code, _, err) = Run("predict", "--weights", WriteWeights(), missing);
        Assert.Equal(App.Failure, code);
        AssertOneLineError(err, $"error: images: {missing} does not exist.");
    }

    /// <summary>A folder no file can be written in: read-only, or (for root, whom file modes do not stop) sysfs.</summary>
    private string UnwritableFolder()
    {
        string folder = Path.Combine(Dir, "read-only");
        Directory.CreateDirectory(folder);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            File.WriteAllBytes(Path.Combine(folder, "probe"), []);
            return "/sys";
        }
        catch (UnauthorizedAccessException)
        {
            return folder;
        }
    }

    [Fact]
    public void An_unusable_out_folder_is_reported_before_any_training()
    {
        string csv = WriteCsv(20);
        string file = Path.Combine(Dir, "taken");
        File.WriteAllText(file, "a file");
        string unwritable = UnwritableFolder();
        string blocked = Path.Combine(Dir, "blocked");
        Directory.CreateDirectory(Path.Combine(blocked, "model.nngw"));
        const string trainFiles = "model.nngw, accuracy.png, loss.png, predictions.png, confusion_matrix.png";
        foreach ((string outDir, string expected) in new[]
        {
            (file, $"error: --out: {file} is a file, but a folder is expected (for {trainFiles})."),
            (unwritable, $"error: --out: cannot write to the folder {unwritable} (for {trainFiles}): permission denied"),
            (Path.Combine(file, "sub"), $"error: --out: cannot write to the folder {Path.Combine(file, "sub")} (for {trainFiles}): "),
            (blocked, $"error: --out: {Path.Combine(blocked, "model.nngw")} is a directory, but the file model.nngw is to be written there."),
        })
        {
            var (code, output, err) = Run("train", "--data", csv, "--epochs", "1", "--out", outDir);
            Assert.Equal(App.Failure, code);
            Assert.Equal("", output); // nothing was trained
            AssertOneLineError(err, expected);
        }

        var (tuneCode, tuneOutput, tuneErr) = Run("tune", "--data", csv, "--epochs", "1", "--out", file);
        Assert.Equal(App.Failure, tuneCode);
        Assert.Equal("", tuneOutput);
        AssertOneLineError(tuneErr, $"error: --out: {file} is a file, but a folder is expected (for tuning.csv, model.nngw).");

        // evaluate checks its --out before loading the weights, so a missing weights file is not what it reports.
        var (evalCode, _, evalErr) = Run("evaluate", "--weights", Path.Combine(Dir, "missing.nngw"), "--data", csv, "--out", unwritable);
        Assert.Equal(App.Failure, evalCode);
        AssertOneLineError(evalErr, $"error: --out: cannot write to the folder {unwritable} (for predictions.png, confusion_matrix.png): permission denied");
        Assert.Empty(Directory.GetFiles(Dir, ".nngen-write-probe-*", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_corrupt_weights_file_is_one_line_and_exit_code_1()
    {
        string weights = WriteWeights();
        byte[] bytes = File.ReadAllBytes(weights);
        bytes[bytes.Length / 2] ^= 1;
        File.WriteAllBytes(weights, bytes);
        string csv = WriteCsv(4);
        foreach (string[] args in new[] { new[] { "predict", "--weights", weights, csv }, ["evaluate", "--weights", weights, "--data", csv] })
        {
            var (code, output, err) = Run(args);
            Assert.Equal(App.Failure, code);
            Assert.Equal("", output);
            AssertOneLineError(err, $"error: Cannot load weights from '{weights}': its checksum does not match");
        }
    }

    [Fact]
    public void An_image_that_is_not_one_is_one_line_and_exit_code_1()
    {
        string notPng = Path.Combine(Dir, "text.png");
        File.WriteAllText(notPng, "not an image");
        var (code, output, err) = Run("predict", "--weights", WriteWeights(), notPng);
        Assert.Equal(App.Failure, code);
        Assert.Equal("", output);
        AssertOneLineError(err, $"error: {notPng} is not an image that can be decoded (PNG or JPEG).");
    }

    [Fact]
    public void An_idx_file_of_the_wrong_kind_or_size_is_one_line_and_exit_code_1()
    {
        string weights = WriteWeights();
        string labels = Path.Combine(Dir, "labels.idx");
        File.WriteAllBytes(labels, IdxTestFiles.Labels([1, 2, 3]));
        var (code, output, err) = Run("predict", "--weights", weights, labels);
        Assert.Equal(App.Failure, code);
        Assert.Equal("", output);
        AssertOneLineError(err, $"error: {labels}: "); // the IDX reader's message (its own tests pin the wording): the magic number found
        Assert.Contains("0x00000801", err);

        string small = Path.Combine(Dir, "small-images.idx");
        File.WriteAllBytes(small, IdxTestFiles.Images(1, 2, 2, [0, 1, 2, 3]));
        (code, output, err) = Run("predict", "--weights", weights, small);
        Assert.Equal(App.Failure, code);
        Assert.Equal("", output);
        AssertOneLineError(err, $"error: {small} holds 2x2 images, but the network takes 28x28.");

        string cut = Path.Combine(Dir, "cut-images.idx.gz");
        var rng = new Rng(5);
        byte[] pixels = Enumerable.Range(0, 2 * 784).Select(_ => (byte)rng.NextInt(256)).ToArray(); // incompressible: half the gzip is half the data
        byte[] gzip = IdxTestFiles.Gzip(IdxTestFiles.Images(2, 28, 28, pixels));
        File.WriteAllBytes(cut, gzip[..(gzip.Length / 2)]);
        (code, output, err) = Run("predict", "--weights", weights, cut);
        Assert.Equal(App.Failure, code);
        Assert.Equal("", output);
        AssertOneLineError(err, $"error: {cut}: ");
        Assert.Contains("truncated", err);
    }

    [Fact]
    public void Train_evaluate_and_predict_run_end_to_end_on_a_csv_file_and_a_png()
    {
        string csv = WriteCsv(80);
        string outDir = Path.Combine(Dir, "out");
        var (code, output, err) = Run("train", "--data", csv, "--epochs", "3", "--validation-split", "0.5", "--seed", "2",
            "--out", outDir, "--verbose", "1", "--class-names", "left,right,c,d,e,f,g,h,i,j");
        Assert.True(code == 0, err);
        Assert.Contains("Training on 40 samples, validating on 40", output);
        Assert.Matches(@"Epoch 3/3\n2/2 \[={30}\] - \d+s \d+(s|ms|us)/step - loss: ", output.Replace("\r", ""));
        foreach (string file in new[] { "model.nngw", "accuracy.png", "loss.png", "predictions.png", "confusion_matrix.png" })
            Assert.True(File.Exists(Path.Combine(outDir, file)), file);

        string weights = Path.Combine(outDir, "model.nngw");
        (code, output, err) = Run("evaluate", "--weights", weights, "--data", csv, "--class-names", "left,right,c,d,e,f,g,h,i,j");
        Assert.True(code == 0, err);
        Assert.Matches(@"Evaluation: 80 samples - loss: \d\.\d{4} - accuracy: 1\.0000", output);
        Assert.Contains("precision    recall  f1-score   support", output);
        Assert.Contains("        left       1.00      1.00      1.00        40", output);

        (code, output, _) = Run("predict", "--weights", weights, csv, "--limit", "3", "--class-names", "left,right,c,d,e,f,g,h,i,j");
        Assert.Equal(0, code);
        Assert.Matches(@"^0\tleft\t\d+\.\d%\n1\tright\t\d+\.\d%\n2\tleft\t\d+\.\d%\n$", output.Replace("\r", ""));

        // A 56x56 PNG, bright on the right: scaled to 28x28 and classified as class 1.
        string png = Path.Combine(Dir, "right.png");
        using (var bitmap = new SKBitmap(56, 56))
        {
            for (int y = 0; y < 56; y++)
                for (int x = 0; x < 56; x++) bitmap.SetPixel(x, y, x >= 28 ? new SKColor(220, 220, 220) : SKColors.Black);
            using var file = File.Create(png);
            bitmap.Encode(file, SKEncodedImageFormat.Png, 100);
        }
        (code, output, _) = Run("predict", "--weights", weights, png, "--class-names", "left,right,c,d,e,f,g,h,i,j");
        Assert.Equal(0, code);
        Assert.StartsWith("0\tright\t", output);
        (code, output, _) = Run("predict", "--weights", weights, png, "--invert", "--class-names", "left,right,c,d,e,f,g,h,i,j");
        Assert.StartsWith("0\tleft\t", output);
    }

    [Fact]
    public void Tune_scores_each_trial_on_the_validation_split_and_keeps_the_best()
    {
        string csv = WriteCsv(80);
        string outDir = Path.Combine(Dir, "tune");
        var (code, output, err) = Run("tune", "--data", csv, "--learning-rates", "1e-7", "0.003", "--batch-sizes", "16", "--epochs", "2",
            "--validation-split", "0.5", "--parallel", "2", "--out", outDir);
        Assert.True(code == 0, err);
        Assert.Contains("2 trials on 80 samples", output);
        Assert.Contains("Best: learning_rate=0.003, batch_size=16, epochs=2, retrained on all 80 samples.", output);
        string[] rows = File.ReadAllLines(Path.Combine(outDir, "tuning.csv"));
        Assert.Equal("trial,rank,learning_rate,batch_size,epochs,val_accuracy,loss,accuracy,val_loss,seconds,error", rows[0]);
        Assert.StartsWith("1,2,1E-07,16,2,", rows[1]);
        Assert.StartsWith("2,1,0.003,16,2,1,", rows[2]);
        Assert.True(File.Exists(Path.Combine(outDir, "model.nngw")));

        (code, _, err) = Run("tune", "--data", csv, "--validation-split", "0");
        Assert.Equal(1, code);
        AssertOneLineError(err, "error: The validation split must be in (0, 1): trials are scored on the held-out samples.");
    }
    /// <summary>Runs the command line in a process of its own, as a job array's pod or task does, with <paramref name="variables"/> set (null unsets).</summary>
    private static (int Code, string Out, string Err) RunProcess(string[] args, params (string Name, string? Value)[] variables)
    {
        string host = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "NnGen.Cli.dll"));
        foreach (string arg in args) start.ArgumentList.Add(arg);
        start.Environment.Remove(JobArray.KubernetesIndexVariable);
        start.Environment.Remove(JobArray.SlurmIndexVariable);
        start.Environment["NNGEN_THREADS"] = "1"; // the trials' processes share the cores; results do not depend on the thread count
        foreach ((string name, string? value) in variables) start.Environment[name] = value;
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync(), error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"NnGen.Cli {string.Join(' ', args)} did not finish in 5 minutes.");
        }
        return (process.ExitCode, output.Result, error.Result);
    }

    [Fact]
    public async Task Tune_one_trial_per_process_then_collect_gives_the_ranking_and_the_model_of_the_search_in_one_process()
    {
        string csv = WriteCsv(60);
        string[] search = ["tune", "--data", csv, "--learning-rates", "1e-7", "0.003", "--batch-sizes", "16", "32", "--epochs", "1", "--validation-split", "0.5"];
        string localDir = Path.Combine(Dir, "local"), trialsDir = Path.Combine(Dir, "trials"), collectedDir = Path.Combine(Dir, "collected");
        var (code, output, err) = Run([.. search, "--parallel", "2", "--out", localDir]);
        Assert.True(code == 0, err);

        // Four processes, one per trial, each told its index another way: the option, the Kubernetes and the Slurm variables.
        (string[] Args, (string, string?)[] Variables)[] jobs =
        [
            ([.. search, "--trial-index", "0", "--out", trialsDir], [(JobArray.KubernetesIndexVariable, "3")]),
            ([.. search, "--trial-index", "--out", trialsDir], [(JobArray.KubernetesIndexVariable, "1"), (JobArray.SlurmIndexVariable, "0")]),
            ([.. search, "--out", trialsDir, "--trial-index"], [(JobArray.SlurmIndexVariable, "2")]),
            ([.. search, "--trial-index", "--out", trialsDir], [(JobArray.KubernetesIndexVariable, "3")]),
        ];
        var runs = await Task.WhenAll(jobs.Select(job => Task.Run(() => RunProcess(job.Args, job.Variables))));
        string[] sources = ["--trial-index", JobArray.KubernetesIndexVariable, JobArray.SlurmIndexVariable, JobArray.KubernetesIndexVariable];
        for (int i = 0; i < runs.Length; i++)
        {
            (code, output, err) = runs[i];
            Assert.True(code == 0, $"process {i}: {err}");
            Assert.StartsWith($"Trial {i + 1} of 4 (index {i}, from {sources[i]}) on 60 samples from {csv}.", output);
            Assert.Contains($"Result: {Path.Combine(trialsDir, $"trial-{i}.json")}", output);
        }
        Assert.Equal(Enumerable.Range(0, 4).Select(i => $"trial-{i}.json"), Directory.GetFiles(trialsDir).Select(Path.GetFileName).Order());

        (code, output, err) = Run([.. search, "--collect", trialsDir, "--out", collectedDir]);
        Assert.True(code == 0, err);
        Assert.Contains($"4 trials of search {Search.Fingerprint(Search.Grid(new SearchSpace().Choice(SearchSpace.LearningRate, 1e-7, 0.003)
            .Choice(SearchSpace.BatchSize, 16, 32).Choice(SearchSpace.Epochs, 1), seed: 1))} collected from {trialsDir}.", output);
        Assert.Contains("retrained on all 60 samples.", output);
        string localCsv = File.ReadAllText(Path.Combine(localDir, "tuning.csv"));
        Assert.Equal(5, localCsv.TrimEnd('\n').Split('\n').Length);
        Assert.Equal(TuningJobArrayTests.Strip(localCsv), TuningJobArrayTests.Strip(File.ReadAllText(Path.Combine(collectedDir, "tuning.csv"))));
        Assert.Equal(File.ReadAllBytes(Path.Combine(localDir, "model.nngw")), File.ReadAllBytes(Path.Combine(collectedDir, "model.nngw")));

        // The ranking alone, without the data.
        string reportDir = Path.Combine(Dir, "report");
        (code, output, err) = Run(["tune", "--data", Path.Combine(Dir, "no-such.csv"), .. search[3..], "--collect", trialsDir, "--no-retrain", "--out", reportDir]);
        Assert.True(code == 0, err);
        Assert.Contains("Best: learning_rate=0.003, batch_size=", output);
        Assert.Equal(TuningJobArrayTests.Strip(localCsv), TuningJobArrayTests.Strip(File.ReadAllText(Path.Combine(reportDir, "tuning.csv"))));
        Assert.False(File.Exists(Path.Combine(reportDir, "model.nngw")));
    }

    [Fact]
    public void Tune_trial_index_and_collect_errors_name_the_option_the_variable_the_files_and_the_numbers()
    {
        string csv = WriteCsv(20);
        string trialsDir = Path.Combine(Dir, "trials");
        string[] search = ["tune", "--data", csv, "--learning-rates", "0.001", "0.01", "--batch-sizes", "16", "--epochs", "1", "--out", trialsDir];

        var (code, _, err) = Run([.. search, "--trial-index", "2"]);
        Assert.Equal(App.Failure, code);
        AssertOneLineError(err, "error: --trial-index is 2, but the search has 2 trials, indices 0 to 1.");
        (code, _, err) = Run([.. search, "--trial-index", "-1"]);
        Assert.Equal(App.UsageError, code);
        AssertOneLineError(err, "error: --trial-index must be 0 or more, but it is -1.");
        (code, _, err) = Run([.. search, "--trial-index", "one"]);
        Assert.Equal(App.UsageError, code);
        Assert.Contains("one", err);
        (code, _, err) = Run([.. search, "--trial-index", "0", "--collect", trialsDir]);
        Assert.Equal(App.UsageError, code);
        AssertOneLineError(err, "error: --trial-index runs one trial and --collect merges the trials' results: give one of them.");
        (code, _, err) = Run([.. search, "--no-retrain"]);
        Assert.Equal(App.UsageError, code);
        AssertOneLineError(err, "error: --no-retrain goes with --collect: a search in one process always retrains the best.");

        // The variables, in a process of its own.
        (code, _, err) = RunProcess([.. search, "--trial-index"]);
        Assert.Equal(App.Failure, code);
        AssertOneLineError(err, "error: --trial-index has no number, and neither JOB_COMPLETION_INDEX nor SLURM_ARRAY_TASK_ID is set.");
        (code, _, err) = RunProcess([.. search, "--trial-index"], (JobArray.SlurmIndexVariable, "2"));
        Assert.Equal(App.Failure, code);
        AssertOneLineError(err, "error: SLURM_ARRAY_TASK_ID is 2, but the search has 2 trials, indices 0 to 1: number the array from 0 (--array=0-1).");

        (code, _, err) = Run([.. search, "--trial-index", "1"]);
        Assert.True(code == 0, err);
        string collected = Path.Combine(Dir, "collected");
        (code, _, err) = Run([.. search[..^1], collected, "--collect", trialsDir]);
        Assert.Equal(App.Failure, code);
        AssertOneLineError(err, "of the 2 trials of search ");
        Assert.Contains($"error: {trialsDir} holds results of 1 of the 2 trials of search", err);
        Assert.Contains("missing: index 0 (run it again into the same folder).", err);

        (code, _, err) = Run(["tune", "--data", csv, "--learning-rates", "0.001", "0.02", "--batch-sizes", "16", "--epochs", "1", "--out", collected, "--collect", trialsDir]);
        Assert.Equal(App.Failure, code);
        AssertOneLineError(err, $"error: {Path.Combine(trialsDir, "trial-1.json")} holds index 1 of search ");

        File.WriteAllText(Path.Combine(trialsDir, "trial-0.json"), "{\"format\": \"nngen-trial\", ");
        (code, _, err) = Run([.. search[..^1], collected, "--collect", trialsDir]);
        Assert.Equal(App.Failure, code);
        AssertOneLineError(err, $"error: {Path.Combine(trialsDir, "trial-0.json")} is not a complete trial result (JSON): ");

        (code, _, err) = Run([.. search[..^1], collected, "--collect", Path.Combine(Dir, "nowhere")]);
        Assert.Equal(App.Failure, code);
        AssertOneLineError(err, $"error: {Path.Combine(Dir, "nowhere")} does not exist: it should hold the trial-*.json files of the search's trials.");
    }
}
