using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using NnGen;
using NnGen.Data;

namespace FashionMnistSample;

/// <summary>
/// <c>--model transfer</c>: pretrain on classes 0-4 (T-shirt/top, Trouser, Pullover, Dress, Coat), then learn classes 5-9
/// (Sandal, Shirt, Sneaker, Bag, Ankle boot) from a few hundred labelled images, twice: a frozen pretrained base with a new head,
/// and the same network trained from scratch on the same images. Accuracy on all test images of classes 5-9.
/// </summary>
internal static class TransferExperiment
{
    public static int Run(Dataset train, Dataset test, int firstSeed, int runs, int pretrainEpochs, int epochs, int labelledPerClass, string outDir)
    {
        Dataset pretrainSet = Classes(train, 0), testSet = Classes(test, 5);
        Console.WriteLine($"Pretraining: {pretrainSet.Count} training images of classes 0-4, {pretrainEpochs} epochs. " +
            $"Transfer: {labelledPerClass} labelled images of each of classes 5-9, {epochs} epochs; tested on {testSet.Count} test images of classes 5-9.");
        Console.WriteLine();
        Directory.CreateDirectory(outDir);
        var rows = new List<(int Seed, float Pretrained, float Transfer, float FineTuned, float Scratch)>();
        for (int seed = firstSeed; seed < firstSeed + runs; seed++)
        {
            var clock = Stopwatch.StartNew();
            // 1. Pretrain the base and its 5-class head on classes 0-4, and save it.
            var pretrain = new PretrainMlp(seed);
            pretrain.Fit(pretrainSet.Features, pretrainSet.OneHotLabels(), epochs: pretrainEpochs, batchSize: 64, seed: seed, verbose: 0);
            float pretrained = pretrain.Evaluate(Classes(test, 0).Features, Classes(test, 0).OneHotLabels()).Accuracy;
            string path = Path.Combine(outDir, $"pretrain-{seed}.nngw");
            pretrain.Save(path);

            // 2. A few hundred labelled images of classes 5-9, chosen by the seed.
            Dataset labelled = Labelled(train, labelledPerClass, seed);

            // 3. Transfer: load the base by name (the head is new: 'pretrain_head' is not in this network), frozen as declared.
            INetwork transfer = new TransferMlp(seed);
            WeightsLoadReport report = transfer.LoadWeights(path, byName: true);
            if (seed == firstSeed)
            {
                Console.WriteLine(transfer.Summary());
                Console.WriteLine(report);
                Console.WriteLine();
            }
            transfer.Fit(labelled.Features, labelled.OneHotLabels(), epochs: epochs, batchSize: 32, seed: seed, verbose: 0);
            float transferred = transfer.Evaluate(testSet.Features, testSet.OneHotLabels()).Accuracy;

            // 4. Fine-tuning, as Keras's transfer-learning guide does it: unfreeze the Dense layers of the base and train everything a
            //    little more with a small learning rate and a fresh optimizer; the BatchNormalization stays frozen (inference mode).
            transfer.Unfreeze("base_dense", "base_dense_2");
            transfer.Optimizer = new NnGen.Optimizers.Adam(1e-4f);
            transfer.Fit(labelled.Features, labelled.OneHotLabels(), epochs: FineTuneEpochs, batchSize: 32, seed: seed, verbose: 0);
            float fineTuned = transfer.Evaluate(testSet.Features, testSet.OneHotLabels()).Accuracy;

            // 5. The same network from scratch: random weights, every layer trainable, the same images and epochs.
            INetwork scratch = new TransferMlp(seed);
            scratch.Unfreeze("base_dense", "base_norm", "base_dense_2");
            scratch.Fit(labelled.Features, labelled.OneHotLabels(), epochs: epochs, batchSize: 32, seed: seed, verbose: 0);
            float fromScratch = scratch.Evaluate(testSet.Features, testSet.OneHotLabels()).Accuracy;

            rows.Add((seed, pretrained, transferred, fineTuned, fromScratch));
            Console.WriteLine($"seed {seed}: pretrained on classes 0-4 {pretrained:P1}; classes 5-9: frozen base + new head {transferred:P1}, " +
                $"then fine-tuned {fineTuned:P1}, from scratch {fromScratch:P1} ({clock.Elapsed.TotalSeconds:F1} s)");
        }
        Console.WriteLine();
        Console.WriteLine("| | test accuracy, classes 5-9 |");
        Console.WriteLine("|---|---|");
        Console.WriteLine($"| frozen pretrained base + new head | {Spread(rows.Select(r => r.Transfer))} |");
        Console.WriteLine($"| then fine-tuned ({FineTuneEpochs} epochs, Dense layers unfrozen, lr 1e-4) | {Spread(rows.Select(r => r.FineTuned))} |");
        Console.WriteLine($"| same network from scratch | {Spread(rows.Select(r => r.Scratch))} |");
        Console.WriteLine($"| (pretrained network on classes 0-4) | {Spread(rows.Select(r => r.Pretrained))} |");
        return 0;
    }

    private const int FineTuneEpochs = 10;

    /// <summary>Mean ± (max - min) / 2 in percent, or the one value.</summary>
    private static string Spread(IEnumerable<float> values)
    {
        float[] v = values.ToArray();
        return v.Length == 1 ? $"{v[0] * 100:F1}%" : $"{v.Average() * 100:F1}% ± {(v.Max() - v.Min()) * 50:F1} (min {v.Min() * 100:F1}, max {v.Max() * 100:F1})";
    }

    /// <summary>The samples of classes first..first+4, relabelled 0-4.</summary>
    private static Dataset Classes(Dataset d, int first) =>
        Select(d, Enumerable.Range(0, d.Count).Where(i => d.Labels[i] >= first && d.Labels[i] < first + 5).ToArray(), first);

    /// <summary><paramref name="perClass"/> random training samples of each of classes 5-9 (by <paramref name="seed"/>), relabelled 0-4.</summary>
    private static Dataset Labelled(Dataset train, int perClass, int seed)
    {
        int[] order = Enumerable.Range(0, train.Count).ToArray();
        var rng = new Rng(seed);
        rng.Shuffle<int>(order);
        var taken = new int[5];
        var chosen = new List<int>();
        foreach (int i in order)
        {
            int c = train.Labels[i] - 5;
            if (c >= 0 && taken[c] < perClass) { taken[c]++; chosen.Add(i); }
        }
        return Select(train, chosen.ToArray(), 5);
    }

    private static Dataset Select(Dataset d, int[] indices, int first)
    {
        int size = d.FeatureSize;
        var features = new float[indices.Length * size];
        var labels = new byte[indices.Length];
        for (int k = 0; k < indices.Length; k++)
        {
            d.GetFeatures(indices[k]).CopyTo(features.AsSpan(k * size));
            labels[k] = (byte)(d.Labels[indices[k]] - first);
        }
        return new Dataset(features, labels, size, 5);
    }
}
