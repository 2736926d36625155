using System;
using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.IO;
using System.Linq;
using NnGen.Callbacks;
using NnGen.Data;
using NnGen.Metrics;
using NnGen.Onnx;
using NnGen.Plots;
using NnGen.Terminal;
using NnGen.Tuning;

namespace NnGen.Cli;

/// <summary>
/// <c>NnGen.Cli train | evaluate | predict | tune | export</c>: the Keras tutorial's MLP from the command line. <see cref="Run"/> takes the
/// writers for normal output and errors, so tests run it in-process. A bad command line or a failure prints one line
/// on the error writer and returns 2 (usage) or 1 (failure); nothing prints a stack trace. Output folders are checked
/// (created and probe-written) before a command loads or trains anything.
/// </summary>
public static class App
{
    /// <summary>Exit code of a bad command line.</summary>
    public const int UsageError = 2;

    /// <summary>Exit code of a command that failed (missing or malformed file, ...).</summary>
    public const int Failure = 1;

    /// <summary>Parses <paramref name="args"/>, runs the command, and returns the exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        RootCommand root = Build(output);
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0 && !parse.Tokens.Any(t => t.Value is "--help" or "-h" or "-?"))
        {
            string command = parse.CommandResult.Command == root ? root.Name : $"{root.Name} {parse.CommandResult.Command.Name}";
            error.WriteLine($"error: {parse.Errors[0].Message} See '{command} --help'.");
            return UsageError;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException
            or InvalidOperationException or TrainingDivergedException)
        {
            string message = e is ArgumentException { ParamName: string name } ? e.Message.Replace($" (Parameter '{name}')", "") : e.Message;
            error.WriteLine($"error: {FirstLine(message)}");
            return Failure;
        }
    }

    private static RootCommand Build(TextWriter output)
    {
        var data = new Option<string?>("--data")
        {
            Description = "A folder of MNIST-format IDX files (its training set for train, its test set for evaluate) or a .csv file " +
                "(one image per row: a label column and 784 pixel columns). Default: $NNGEN_DATA, then /usr/share/datasets/fashion-mnist.",
            HelpName = "path",
        };
        var labelColumn = new Option<string?>("--label-column")
        {
            Description = "CSV: the label column, by header name or 0-based index. Default: the column named 'label' (a file without one needs this option).",
            HelpName = "name|index",
        };
        var pixelScale = new Option<float>("--pixel-max")
        {
            HelpName = "value",
            Description = "CSV: the value of a white pixel; cells are divided by it to lie in [0, 1].",
            DefaultValueFactory = _ => 255f,
        };
        Positive(pixelScale);
        var classNames = new Option<string>("--class-names")
        {
            Description = "Comma-separated names of the 10 classes, for reports and pictures.",
            DefaultValueFactory = _ => string.Join(',', FashionMnist.ClassNames),
        };
        classNames.Validators.Add(r =>
        {
            int n = Value<string>(r)?.Split(',').Length ?? Inputs.Classes;
            if (n != Inputs.Classes) r.AddError($"--class-names needs {Inputs.Classes} comma-separated names, but got {n}.");
        });
        var weights = new Option<string>("--weights")
        {
            Description = "A weights file written by train (model.nngw).",
            HelpName = "file",
            Required = true,
        };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training samples.", DefaultValueFactory = _ => 10 };
        Positive(epochs);
        var batchSize = new Option<int>("--batch-size") { Description = "Samples per gradient step.", DefaultValueFactory = _ => 32 };
        Positive(batchSize);
        var validationSplit = new Option<double>("--validation-split")
        {
            Description = "Fraction of the training samples (the last ones) held out for validation, in [0, 1).",
            DefaultValueFactory = _ => 0.2,
        };
        validationSplit.Validators.Add(r =>
        {
            if (Value<double?>(r) is double v && !(v >= 0 && v < 1))
                r.AddError($"--validation-split must be in [0, 1), but it is {v.ToString(CultureInfo.InvariantCulture)}.");
        });
        var learningRate = new Option<float?>("--learning-rate") { Description = "Adam's learning rate. Default: 0.001." };
        Positive(learningRate);
        var seed = new Option<int>("--seed") { Description = "Seed of the initial weights and of the shuffle.", DefaultValueFactory = _ => 1 };
        var limit = new Option<int?>("--limit") { Description = "Use only the first N samples.", HelpName = "N" };
        Positive(limit);
        var verbose = new Option<int>("--verbose")
        {
            Description = "0 silent, 1 progress bar (Keras's line per epoch when the output is redirected), 2 one line per epoch.",
            DefaultValueFactory = _ => 1,
        };
        verbose.AcceptOnlyFromAmong("0", "1", "2");
        var trainOut = new Option<string>("--out")
        {
            Description = "Folder for model.nngw and the pictures (accuracy.png, loss.png, predictions.png, confusion_matrix.png).",
            HelpName = "dir",
            DefaultValueFactory = _ => "out",
        };
        var evaluateOut = new Option<string?>("--out") { Description = "Folder for predictions.png and confusion_matrix.png.", HelpName = "dir" };
        var images = new Argument<string>("images")
        {
            Description = "A PNG or JPEG image (scaled to 28x28 gray levels), a .csv file of 784 pixel columns, or an IDX images file (raw or .gz).",
        };
        var invert = new Option<bool>("--invert") { Description = "Invert gray levels: for dark objects on a light background (the data sets have light on dark)." };

        var train = new Command("train", "Train the MLP (784-256-128-10, Adam) and save its weights and pictures.")
        {
            data, labelColumn, pixelScale, epochs, batchSize, validationSplit, learningRate, seed, limit, verbose, trainOut, classNames,
        };
        train.SetAction(p =>
        {
            string dir = Output.Check(p.GetValue(trainOut)!, "model.nngw", "accuracy.png", "loss.png", "predictions.png", "confusion_matrix.png");
            (Dataset trainSet, Dataset? test, string source) = Inputs.LoadLabelled(p.GetValue(data), Csv(p, labelColumn, pixelScale));
            if (p.GetValue(limit) is int n) trainSet = trainSet.Take(n);
            var model = new MnistMlp(p.GetValue(seed));
            if (p.GetValue(learningRate) is float lr) ((INetwork)model).Optimizer.LearningRate = lr;
            double split = p.GetValue(validationSplit);
            int validating = trainSet.Count - (int)Math.Floor(trainSet.Count * (1 - split));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Training on {trainSet.Count - validating:N0} samples, validating on {validating:N0}, from {source}."));
            (int fitVerbose, Callback[] progress) = ReferenceEquals(output, Console.Out) ? SpectreProgress.Select(p.GetValue(verbose)) : (p.GetValue(verbose), []);
            History history;
            try
            {
                history = model.Fit(trainSet.Features, trainSet.OneHotLabels(), p.GetValue(epochs), p.GetValue(batchSize), split,
                    seed: p.GetValue(seed), verbose: fitVerbose, output: output, callbacks: progress);
            }
            finally
            {
                foreach (IDisposable live in progress.OfType<IDisposable>()) live.Dispose();
            }

            Dataset shown = test ?? trainSet.SplitLast(split).Validation;
            if (test is not null) Report(output, model, test, "Test", names: null);
            string path = Path.Combine(dir, "model.nngw");
            model.Save(path);
            output.WriteLine($"Weights: {path}");
            IReadOnlyList<string> pictures = shown.Count > 0
                ? Figures.SaveAll(dir, history, model, shown, Names(p, classNames))
                : [];
            if (pictures.Count > 0) output.WriteLine($"Pictures: {string.Join(", ", pictures)}");
            return 0;
        });

        var evaluate = new Command("evaluate", "Loss, accuracy and the classification report of saved weights on a labelled data set.")
        {
            weights, data, labelColumn, pixelScale, limit, evaluateOut, classNames,
        };
        evaluate.SetAction(p =>
        {
            if (p.GetValue(evaluateOut) is string pictures) Output.Check(pictures, "predictions.png", "confusion_matrix.png");
            var model = Load(p.GetValue(weights)!);
            (Dataset trainSet, Dataset? test, _) = Inputs.LoadLabelled(p.GetValue(data), Csv(p, labelColumn, pixelScale));
            Dataset set = test ?? trainSet;
            if (p.GetValue(limit) is int n) set = set.Take(n);
            Report(output, model, set, "Evaluation", Names(p, classNames));
            if (p.GetValue(evaluateOut) is string dir)
                output.WriteLine($"Pictures: {string.Join(", ", Figures.SaveAll(dir, history: null, model, set, Names(p, classNames)))}");
            return 0;
        });

        var predict = new Command("predict", "Classify images with saved weights: one line per image with the class and its probability.")
        {
            weights, images, labelColumn, pixelScale, invert, limit, classNames,
        };
        predict.SetAction(p =>
        {
            var model = Load(p.GetValue(weights)!);
            float[] pixels = Inputs.LoadImages(p.GetValue(images)!, Csv(p, labelColumn, pixelScale), p.GetValue(invert));
            int count = pixels.Length / Inputs.Pixels;
            if (p.GetValue(limit) is int n) count = Math.Min(count, n);
            string[] names = Names(p, classNames);
            Span<float> probabilities = stackalloc float[MnistMlp.OutputSize];
            for (int i = 0; i < count; i++)
            {
                model.Predict(pixels.AsSpan(i * Inputs.Pixels, Inputs.Pixels), probabilities);
                int c = Labels.ArgMax(probabilities);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i}\t{names[c]}\t{probabilities[c] * 100:F1}%"));
            }
            return 0;
        });

        var learningRates = new Option<double[]>("--learning-rates")
        {
            Description = "Learning rates to try.", HelpName = "lr", AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => [1e-3, 3e-4],
        };
        var batchSizes = new Option<int[]>("--batch-sizes")
        {
            Description = "Batch sizes to try.", HelpName = "n", AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => [32, 64],
        };
        var epochChoices = new Option<int[]>("--epochs")
        {
            Description = "Epoch counts to try.", HelpName = "n", AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => [3],
        };
        AllPositive(learningRates);
        AllPositive(batchSizes);
        AllPositive(epochChoices);
        var trials = new Option<int?>("--trials") { Description = "Random search: try this many combinations, drawn from the grid with --seed. Default: all (grid search).", HelpName = "N" };
        Positive(trials);
        var parallel = new Option<int>("--parallel") { Description = "Trials trained at once.", HelpName = "N", DefaultValueFactory = _ => Environment.ProcessorCount };
        Positive(parallel);
        var tuneOut = new Option<string>("--out")
        {
            Description = "Folder for tuning.csv (every trial) and model.nngw (the best configuration retrained on all the training samples); " +
                "with --trial-index, for the trial's trial-N.json.",
            HelpName = "dir",
            DefaultValueFactory = _ => "out",
        };
        var trialIndex = new Option<int?>("--trial-index")
        {
            Description = "Run only the trial of this 0-based index of the search (one process of a job array) and write its result to --out as " +
                $"trial-N.json. Without a number: ${JobArray.KubernetesIndexVariable} (Kubernetes Indexed Job), else ${JobArray.SlurmIndexVariable} (a Slurm array numbered from 0).",
            HelpName = "N",
            Arity = ArgumentArity.ZeroOrOne,
        };
        trialIndex.Validators.Add(r =>
        {
            if (Value<int?>(r) is int i && i < 0) r.AddError($"--trial-index must be 0 or more, but it is {i.ToString(CultureInfo.InvariantCulture)}.");
        });
        var collect = new Option<string?>("--collect")
        {
            Description = "Merge the trial-N.json files that --trial-index runs of this search (the same search options) wrote to DIR into the ranking " +
                "(tuning.csv in --out), and retrain the best configuration (model.nngw) unless --no-retrain.",
            HelpName = "dir",
        };
        var noRetrain = new Option<bool>("--no-retrain") { Description = "With --collect: write the ranking only; do not load the data or retrain the best." };
        var tune = new Command("tune", "Search learning rate, batch size and epochs: each trial is scored by its validation accuracy, the best retrained on all samples.")
        {
            data, labelColumn, pixelScale, learningRates, batchSizes, epochChoices, trials, validationSplit, seed, parallel, limit, tuneOut,
            trialIndex, collect, noRetrain,
        };
        tune.Validators.Add(r =>
        {
            if (r.GetResult(trialIndex) is not null && r.GetResult(collect) is not null)
                r.AddError("--trial-index runs one trial and --collect merges the trials' results: give one of them.");
            if (r.GetResult(noRetrain) is not null && r.GetResult(collect) is null)
                r.AddError("--no-retrain goes with --collect: a search in one process always retrains the best.");
        });
        tune.SetAction(p =>
        {
            var space = new SearchSpace()
                .Choice(SearchSpace.LearningRate, p.GetValue(learningRates)!)
                .Choice(SearchSpace.BatchSize, p.GetValue(batchSizes)!)
                .Choice(SearchSpace.Epochs, p.GetValue(epochChoices)!);
            IReadOnlyList<TrialParameters> runs = p.GetValue(trials) is int count
                ? Search.Random(space, count, p.GetValue(seed))
                : Search.Grid(space, p.GetValue(seed));
            var tuner = new Tuner(t => new MnistMlp(t.Seed))
            {
                ValidationSplit = p.GetValue(validationSplit),
                MaxParallelTrials = p.GetValue(parallel),
                Log = TextWriter.Synchronized(output),
            };
            (Dataset Train, Dataset? Test, string Source) Load()
            {
                (Dataset trainSet, Dataset? test, string source) = Inputs.LoadLabelled(p.GetValue(data), Csv(p, labelColumn, pixelScale));
                return (p.GetValue(limit) is int n ? trainSet.Take(n) : trainSet, test, source);
            }

            if (p.GetResult(trialIndex) is not null)
            {
                (int index, string from) = p.GetValue(trialIndex) is int given
                    ? (given < runs.Count ? given : throw new ArgumentException(
                        $"--trial-index is {given}, but the search has {runs.Count} trials, indices 0 to {runs.Count - 1}."), "--trial-index")
                    : JobArray.TrialIndex(runs.Count) ?? throw new ArgumentException(
                        $"--trial-index has no number, and neither {JobArray.KubernetesIndexVariable} nor {JobArray.SlurmIndexVariable} is set.");
                string file = TrialReport.FileNameOf(index);
                string trialDir = Output.Check(p.GetValue(tuneOut)!, file);
                (Dataset trainSet, _, string source) = Load();
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Trial {index + 1} of {runs.Count} (index {index}, from {from}) on {trainSet.Count:N0} samples from {source}."));
                TrialReport report = tuner.RunTrial(runs, index, trainSet.Features, trainSet.OneHotLabels());
                string path = Path.Combine(trialDir, file);
                report.WriteJson(path);
                output.WriteLine($"Result: {path}");
                return 0;
            }

            bool retrain = !p.GetValue(noRetrain);
            string dir = retrain ? Output.Check(p.GetValue(tuneOut)!, "tuning.csv", "model.nngw") : Output.Check(p.GetValue(tuneOut)!, "tuning.csv");
            SearchResults? collected = null;
            if (p.GetValue(collect) is string folder)
            {
                collected = SearchResults.Collect(folder, runs);
                output.WriteLine($"{runs.Count} trials of search {Search.Fingerprint(runs)} collected from {folder}.");
                if (!retrain)
                {
                    Finish(collected, best: null, test: null, samples: 0);
                    return 0;
                }
            }
            (Dataset all, Dataset? testSet, string origin) = Load();
            TuningResult result;
            if (collected is null)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{runs.Count} trials on {all.Count:N0} samples from {origin}, {p.GetValue(parallel)} at a time."));
                result = tuner.Search(runs, all.Features, all.OneHotLabels());
            }
            else
            {
                result = tuner.Retrain(collected, all.Features, all.OneHotLabels());
            }
            Finish(result.Results, result, testSet, all.Count);
            return 0;

            void Finish(SearchResults results, TuningResult? best, Dataset? test, int samples)
            {
                output.WriteLine();
                output.Write(results);
                string csvPath = Path.Combine(dir, "tuning.csv");
                results.WriteCsv(csvPath);
                output.WriteLine();
                if (best is null)
                {
                    output.WriteLine($"Best: {results.Best.Parameters}.");
                    output.WriteLine($"Trials: {csvPath}");
                    return;
                }
                string weights = Path.Combine(dir, "model.nngw");
                best.BestNetwork.Save(weights);
                output.WriteLine($"Best: {results.Best.Parameters}, retrained on all {samples:N0} samples.");
                if (test is not null) Report(output, (MnistMlp)best.BestNetwork, test, "Test", names: null);
                output.WriteLine($"Trials: {csvPath}");
                output.WriteLine($"Weights: {weights}");
            }
        });

        var onnx = new Option<string>("--onnx") { Description = "The ONNX model to write (model.onnx).", HelpName = "file", Required = true };
        var export = new Command("export", "Write saved weights as an ONNX model (opset 17, a symbolic batch dimension) for ONNX Runtime and other tools.")
        {
            weights, onnx,
        };
        export.SetAction(p =>
        {
            var model = Load(p.GetValue(weights)!);
            string path = p.GetValue(onnx)!;
            if (Directory.Exists(path)) throw new IOException($"--onnx: {path} is a directory, but a file is to be written there.");
            model.SaveOnnx(path);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ONNX model: {path} ({new FileInfo(path).Length:N0} bytes, opset {OnnxExport.Opset}, input 'input' (batch, {MnistMlp.InputSize}), output 'output' (batch, {MnistMlp.OutputSize}))"));
            return 0;
        });

        return new RootCommand("NnGen's command line: train, evaluate, use, tune and export the Keras tutorial's MLP on 28x28 images (Fashion-MNIST by default).")
        {
            train, evaluate, predict, tune, export,
        };
    }

    private static void Report(TextWriter output, MnistMlp model, Dataset set, string title, string[]? names)
    {
        Evaluation result = model.Evaluate(set.Features, set.OneHotLabels());
        double top2 = TopKAccuracy.Compute(model, set.Features, set.Labels, k: 2);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{title}: {set.Count:N0} samples - loss: {result.Loss:F4} - accuracy: {result.Accuracy:F4} - top-2 accuracy: {top2:F4}"));
        if (names is null) return;
        output.WriteLine();
        output.Write(new ClassificationReport(ConfusionMatrix.Compute(model, set.Features, set.Labels), names));
        output.WriteLine();
    }

    private static MnistMlp Load(string path)
    {
        Inputs.RequireFile(path, "--weights", "a weights file written by train (model.nngw)");
        var model = new MnistMlp();
        model.Load(path);
        return model;
    }

    private static CsvOptions Csv(ParseResult p, Option<string?> labelColumn, Option<float> pixelMax)
    {
        var options = new CsvOptions { FeatureScale = 1f / p.GetValue(pixelMax) };
        return p.GetValue(labelColumn) switch
        {
            null => options,
            string s when int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int index) => options with { LabelColumn = index },
            string s => options with { LabelColumnName = s },
        };
    }

    private static string[] Names(ParseResult p, Option<string> classNames) =>
        p.GetValue(classNames)!.Split(',').Select(n => n.Trim()).ToArray();

    private static void AllPositive<T>(Option<T[]> option) where T : struct => option.Validators.Add(r =>
    {
        foreach (T value in Value<T[]>(r) ?? [])
            if (Convert.ToDouble(value, CultureInfo.InvariantCulture) <= 0)
                r.AddError($"{option.Name} must all be positive, but one is {Convert.ToString(value, CultureInfo.InvariantCulture)}.");
    });

    private static void Positive<T>(Option<T> option) => option.Validators.Add(r =>
    {
        object? value = Value<T>(r);
        if (value is not null && Convert.ToDouble(value, CultureInfo.InvariantCulture) <= 0)
            r.AddError($"{option.Name} must be positive, but it is {Convert.ToString(value, CultureInfo.InvariantCulture)}.");
    });

    /// <summary>The option's value, or the default when its text does not convert (the parser reports that error itself).</summary>
    private static T? Value<T>(OptionResult result)
    {
        try
        {
            return result.GetValueOrDefault<T>();
        }
        catch (InvalidOperationException)
        {
            return default;
        }
    }

    private static string FirstLine(string message)
    {
        int newline = message.IndexOfAny(['\r', '\n']);
        return newline < 0 ? message : message[..newline];
    }
}
