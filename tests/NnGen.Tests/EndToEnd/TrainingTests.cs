using System;
using System.IO;
using System.Linq;
using NnGen.Data;
using NnGen.Tests.Data;
using NnGen.Tests.Networks;
using Xunit.Abstractions;

namespace NnGen.Tests.EndToEnd;

public class TrainingTests(ITestOutputHelper log)
{
    /// <summary>Three Gaussian blobs in 7 dimensions, class index targets.</summary>
    private static (float[] X, float[] Y) Blobs(int n, int seed)
    {
        var rng = new Rng(seed);
        var centers = new float[3, 7];
        var centerRng = new Rng(1234);
        for (int c = 0; c < 3; c++) for (int d = 0; d < 7; d++) centers[c, d] = centerRng.NextFloat(-2, 2);
        var x = new float[n * 7];
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            int c = rng.NextInt(3);
            y[i] = c;
            for (int d = 0; d < 7; d++) x[i * 7 + d] = centers[c, d] + 0.6f * rng.NextGaussian();
        }
        return (x, y);
    }

    [Fact]
    public void Synthetic_blobs_are_learned_to_at_least_95_percent_validation_accuracy()
    {
        var net = new SparseNet(seed: 2);
        (float[] x, float[] y) = Blobs(2000, seed: 3);
        var output = new StringWriter();
        History history = net.Fit(x, y, epochs: 15, batchSize: 32, validationSplit: 0.2, seed: 1, verbose: 2, output: output);
        log.WriteLine(output.ToString());

        Assert.Equal(15, history.Epochs);
        Assert.Equal(15, history.ValAccuracy.Count);
        Assert.True(history.Loss[^1] < history.Loss[0] * 0.5f, $"loss went from {history.Loss[0]} to {history.Loss[^1]}");
        Assert.True(history.ValAccuracy[^1] >= 0.95f, $"validation accuracy {history.ValAccuracy[^1]}");
        (float[] testX, float[] testY) = Blobs(500, seed: 4);
        Evaluation test = net.Evaluate(testX, testY);
        Assert.True(test.Accuracy >= 0.95f, $"test accuracy {test.Accuracy}");
        // Keras's per-epoch line for verbose=2
        Assert.Matches(@"Epoch 15/15\n50/50 - \d+s - loss: \d\.\d{4} - accuracy: \d\.\d{4} - val_loss: \d\.\d{4} - val_accuracy: \d\.\d{4} - \d+(s|ms|us)/epoch - \d+(s|ms|us)/step", output.ToString().Replace("\r", ""));
    }

    [Fact]
    public void Validation_split_holds_out_the_last_samples_before_shuffling()
    {
        var net = new SparseNet(seed: 2);
        (float[] x, float[] y) = Blobs(100, seed: 3);
        // Make the last 20 samples unlearnable noise targets: the validation loss must be computed on exactly those.
        History history = net.Fit(x, y, epochs: 1, validationSplit: 0.2, verbose: 0);
        Evaluation lastTwenty = net.Evaluate(x.AsSpan(80 * 7).ToArray(), y.AsSpan(80).ToArray());
        Assert.Equal(lastTwenty.Loss, history.ValLoss[0], 1e-6f);
        Assert.Equal(lastTwenty.Accuracy, history.ValAccuracy[0], 1e-6f);
    }

    [Fact]
    public void The_same_seeds_give_the_same_history_and_weights()
    {
        (float[] x, float[] y) = Blobs(300, seed: 9);
        var a = new SparseNet(seed: 5);
        var b = new SparseNet(seed: 5);
        History ha = a.Fit(x, y, epochs: 3, seed: 8, validationSplit: 0.1, verbose: 0);
        History hb = b.Fit(x, y, epochs: 3, seed: 8, validationSplit: 0.1, verbose: 0);
        Assert.Equal(ha.Loss, hb.Loss);
        Assert.Equal(ha.ValAccuracy, hb.ValAccuracy);
        Assert.True(a.Parameters.SequenceEqual(b.Parameters));
        var c = new SparseNet(seed: 6);
        Assert.False(a.Parameters.SequenceEqual(c.Parameters));
    }

    [FashionMnistFact]
    public void Fashion_mnist_subset_reaches_80_percent_test_accuracy()
    {
        (Dataset train, Dataset test) = FashionMnist.Load();
        Dataset small = train.Take(8000);
        Dataset testSmall = test.Take(2000);
        var net = new MnistMlp(seed: 42);
        History history = net.Fit(small.Features, small.OneHotLabels(), epochs: 2, batchSize: 32, validationSplit: 0.2, seed: 42, verbose: 0);
        Evaluation result = net.Evaluate(testSmall.Features, testSmall.OneHotLabels());
        log.WriteLine($"history: loss {string.Join(", ", history.Loss)}; val_accuracy {string.Join(", ", history.ValAccuracy)}; test {result}");
        Assert.True(result.Accuracy >= 0.80f, $"test accuracy {result.Accuracy}");
        Assert.True(history.Loss[1] < history.Loss[0]);
    }

    [Fact]
    public void A_nan_input_is_rejected_before_training_with_its_sample_and_feature()
    {
        var net = new SparseNet(seed: 2);
        float[] before = net.Parameters.ToArray();
        (float[] x, float[] y) = Blobs(64, seed: 3);
        x[40 * 7] = float.NaN; // sample 40 is in the second batch of 32 (no shuffle)
        var error = Assert.Throws<ArgumentException>(() => net.Fit(x, y, epochs: 2, shuffle: false, verbose: 0));
        Assert.Contains("sample 40 (in the training split), feature 0, is NaN", error.Message);
        Assert.True(before.SequenceEqual(net.Parameters.ToArray()));
    }

    [Fact]
    public void Wrong_lengths_are_rejected_with_the_numbers()
    {
        INetwork net = new MnistMlp();
        var e = Assert.Throws<ArgumentException>(() => net.Fit(new float[784 * 2 + 5], new float[20], verbose: 0));
        Assert.Contains("784", e.Message);
        Assert.Contains("1573", e.Message);
        e = Assert.Throws<ArgumentException>(() => net.Fit(new float[784 * 2], new float[2], verbose: 0));
        Assert.Contains("20", e.Message);
        e = Assert.Throws<ArgumentException>(() => net.Predict(new float[784], new float[9]));
        Assert.Contains("10", e.Message);
    }
}
