using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using NnGen;
using NnGen.Data;
using NnGen.Metrics;
using NnGen.Plots;
using NnGen.Terminal;
using FashionMnistSample;

// The Keras MNIST tutorial, step by step, on Fashion-MNIST.
var dataOption = new Option<string?>("--data") { Description = "Folder with the four MNIST-format IDX files (default: $NNGEN_DATA, then /usr/share/datasets/fashion-mnist)." };
var modelOption = new Option<string>("--model")
{
    Description = "'seed': the tutorial's first MLP (784-256-128-10); 'optimized': its BatchNormalization + Dropout(0.3) model; " +
        "'cnn': Keras's simple MNIST convnet (34,826 parameters); 'cnn-bn': a deeper convnet with BatchNormalization; " +
        "'transfer': pretrain an MLP on classes 0-4, then learn classes 5-9 from a few labelled images with its frozen base and a new head, against the same network from scratch.",
    DefaultValueFactory = _ => "seed",
};
modelOption.AcceptOnlyFromAmong("seed", "optimized", "cnn", "cnn-bn", "transfer");
var epochsOption = new Option<int?>("--epochs") { Description = "Training epochs (default: 10 for the seed model, 15 for the others, as in the tutorials; 100 for the heads of --model transfer)." };
var earlyStoppingOption = new Option<bool>("--early-stopping") { Description = "Stop when val_loss has not improved for 3 epochs and restore the best weights (Keras's EarlyStopping(patience=3, restore_best_weights=True))." };
var batchOption = new Option<int?>("--batch-size") { Description = "Samples per gradient step (default: 32 for the MLPs, 128 for the convnets, as in the tutorials)." };
var splitOption = new Option<double?>("--validation-split") { Description = "Fraction of the training set held out for validation, the last samples (default: 0.2 for the MLPs, 0.1 for the convnets)." };
var seedOption = new Option<int>("--seed") { Description = "Seed of the weights and of the shuffle (docs/results.md lists the accuracy of several seeds).", DefaultValueFactory = _ => 1 };
var limitOption = new Option<int?>("--limit") { Description = "Use only the first N training samples (a quick run)." };
var outOption = new Option<string>("--out") { Description = "Folder for the trained weights and the pictures (accuracy, loss, predictions, confusion matrix).", DefaultValueFactory = _ => "out" };
var runsOption = new Option<int>("--runs") { Description = "--model transfer: repeat with this many seeds from --seed, and report the mean and spread.", DefaultValueFactory = _ => 1 };
var labelledOption = new Option<int>("--labelled") { Description = "--model transfer: labelled training images per class of classes 5-9.", DefaultValueFactory = _ => 100 };
var verboseOption = new Option<int>("--verbose") { Description = "0 silent, 1 live progress bar (Keras's bar line per epoch when redirected), 2 one line per epoch (Keras's verbose).", DefaultValueFactory = _ => 2 };

var root = new RootCommand("Trains the Keras tutorials' models (the 784-256-128-10 MLP, its optimized variant, two convnets) on Fashion-MNIST with NnGen-generated code.")
{
    dataOption, modelOption, epochsOption, batchOption, splitOption, seedOption, limitOption, earlyStoppingOption, outOption, verboseOption,
    runsOption, labelledOption,
};
root.SetAction(parse => parse.GetValue(modelOption) == "transfer"
    ? RunTransfer(parse.GetValue(dataOption), parse.GetValue(seedOption), parse.GetValue(runsOption), parse.GetValue(epochsOption),
        parse.GetValue(labelledOption), parse.GetValue(outOption)!)
    : Run(
    parse.GetValue(dataOption), parse.GetValue(modelOption)!, parse.GetValue(epochsOption), parse.GetValue(batchOption), parse.GetValue(splitOption),
    parse.GetValue(seedOption), parse.GetValue(limitOption), parse.GetValue(earlyStoppingOption), parse.GetValue(outOption)!, parse.GetValue(verboseOption)));
return root.Parse(args).Invoke();

// The training and test sets, or null after saying why they cannot be read.
static (Dataset Train, Dataset Test)? Load(string? data)
{
    try
    {
        return FashionMnist.Load(data);
    }
    catch (Exception e) when (e is IOException or InvalidDataException)
    {
        Console.Error.WriteLine(e.Message);
        return null;
    }
}

static int RunTransfer(string? data, int seed, int runs, int? epochs, int labelledPerClass, string outDir)
{
    if (Load(data) is not { } sets) return 2;
    (Dataset train, Dataset test) = sets;
    // Pretraining 3 epochs; the transfer and the baseline --epochs (default 100: with 30 the 645-parameter head is still learning) over the few labelled images.
    return TransferExperiment.Run(train, test, seed, Math.Max(1, runs), pretrainEpochs: 3, epochs ?? 100, labelledPerClass, outDir);
}

static int Run(string? data, string modelName, int? epochOption, int? batchOption, double? splitOption, int seed, int? limit, bool earlyStopping, string outDir, int verbose)
{
    // 1. Load the data: flattened 28x28 images scaled to [0, 1], one-hot labels.
    if (Load(data) is not { } sets) return 2;
    (Dataset train, Dataset test) = sets;
    if (limit is int n) train = train.Take(n);
    Console.WriteLine($"Training samples: {train.Count}, test samples: {test.Count}, features: {train.FeatureSize}");
    Console.WriteLine($"Kernels: {NnGen.Kernels.Simd.Description}");
    Console.WriteLine();

    // 2. The model, generated at compile time from the attributes in Models.cs.
    INetwork model = modelName switch
    {
        "optimized" => new OptimizedMlp(seed),
        "cnn" => new SimpleConvNet(seed),
        "cnn-bn" => new NormalizedConvNet(seed),
        _ => new MnistMlp(seed),
    };
    bool convnet = modelName.StartsWith("cnn", StringComparison.Ordinal);
    int epochs = epochOption ?? (modelName == "seed" ? 10 : 15);
    int batchSize = batchOption ?? (convnet ? 128 : 32);
    double validationSplit = splitOption ?? (convnet ? 0.1 : 0.2);
    Console.WriteLine(model.Summary());

    // 3. Train: for the seed model 10 epochs, batch 32, the last 20% of the training set held out for validation.
    var clock = Stopwatch.StartNew();
    //    Verbose 1 on a terminal draws a live progress bar; redirected, it prints Keras's lines.
    (int fitVerbose, NnGen.Callbacks.Callback[] progress) = SpectreProgress.Select(verbose);
    var callbacks = new List<NnGen.Callbacks.Callback>(progress);
    var stopper = new NnGen.Callbacks.EarlyStopping(monitor: "val_loss", patience: 3, restoreBestWeights: true);
    if (earlyStopping) callbacks.Add(stopper);
    History history = model.Fit(train.Features, train.OneHotLabels(), epochs: epochs, batchSize: batchSize,
        validationSplit: validationSplit, seed: seed, verbose: fitVerbose, callbacks: callbacks);
    if (earlyStopping)
        Console.WriteLine(stopper.StoppedEpoch > 0
            ? $"Early stopping after epoch {stopper.StoppedEpoch}; restored the weights of epoch {stopper.BestEpoch}."
            : $"No early stop; restored the weights of the best epoch, {stopper.BestEpoch}.");
    clock.Stop();
    Console.WriteLine($"Training took {clock.Elapsed.TotalSeconds:F1} s ({clock.Elapsed.TotalSeconds / Math.Max(1, epochs):F2} s per epoch).");
    Console.WriteLine();

    // 4. Evaluate on the test set.
    Evaluation result = model.Evaluate(test.Features, test.OneHotLabels());
    Console.WriteLine($"Test loss: {result.Loss:F4}");
    Console.WriteLine($"Test accuracy: {result.Accuracy:F4}");
    Console.WriteLine();

    // 5. Predict a few test images.
    string[] names = FashionMnist.ClassNames;
    Span<float> probabilities = stackalloc float[MnistMlp.OutputSize];
    for (int i = 0; i < 5; i++)
    {
        model.Predict(test.GetFeatures(i), probabilities);
        int predicted = Labels.ArgMax(probabilities);
        Console.WriteLine($"Test image {i}: predicted {names[predicted]} ({probabilities[predicted]:P1}), true {names[test.Labels[i]]}");
    }

    // 6. Precision, recall and F1 per class, as scikit-learn's classification_report prints them.
    Console.WriteLine();
    ConfusionMatrix matrix = ConfusionMatrix.Compute(model, test.Features, test.Labels);
    Console.WriteLine(new ClassificationReport(matrix, names));
    Console.WriteLine($"Top-2 accuracy: {TopKAccuracy.Compute(model, test.Features, test.Labels, k: 2):F4}");

    // 7. Save the weights and the pictures: accuracy and loss per epoch, 25 test predictions, the confusion matrix.
    Directory.CreateDirectory(outDir);
    string path = Path.Combine(outDir, convnet ? $"{modelName}.nngw" : $"{modelName}-mlp.nngw");
    model.Save(path);
    Console.WriteLine();
    Console.WriteLine($"Weights saved to {path}");
    foreach (string picture in Figures.SaveAll(outDir, history, model, test, names))
        Console.WriteLine($"Picture saved to {picture}");
    return 0;
}
