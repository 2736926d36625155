using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using NnGen.Data;
using NnGen.Metrics;
using NnGen.Plots;
using NnGen.Tests.Networks;
using ScottPlot;
using ScottPlot.Plottables;
using SkiaSharp;

namespace NnGen.Tests.Assessment;

public sealed class FigureTests : TempDirectoryTest
{
    private static History MakeHistory(bool validation)
    {
        var h = new History();
        float[] loss = [0.9f, 0.6f, 0.45f, 0.4f], accuracy = [0.6f, 0.75f, 0.82f, 0.86f];
        for (int e = 0; e < loss.Length; e++)
        {
            h.Add("loss", loss[e]);
            h.Add("accuracy", accuracy[e]);
            if (validation)
            {
                h.Add("val_loss", loss[e] + 0.1f);
                h.Add("val_accuracy", accuracy[e] - 0.05f);
            }
        }
        return h;
    }

    private static (double[] X, double[] Y) Points(Scatter s)
    {
        var points = s.Data.GetScatterPoints();
        return (points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray());
    }

    [Fact]
    public void Curves_plot_exactly_the_history_values_per_epoch()
    {
        History h = MakeHistory(validation: true);
        foreach (var (plot, metric) in new[] { (Figures.Accuracy(h), "accuracy"), (Figures.Loss(h), "loss") })
        {
            Scatter[] lines = plot.GetPlottables<Scatter>().ToArray();
            Assert.Equal(["Training", "Validation"], lines.Select(l => l.LegendText));
            Assert.Equal([1.0, 2, 3, 4], Points(lines[0]).X);
            Assert.Equal(h.Metrics[metric].Select(v => (double)v), Points(lines[0]).Y);
            Assert.Equal([1.0, 2, 3, 4], Points(lines[1]).X);
            Assert.Equal(h.Metrics["val_" + metric].Select(v => (double)v), Points(lines[1]).Y);
        }
        Assert.Single(Figures.Loss(MakeHistory(validation: false)).GetPlottables<Scatter>());
        Assert.Throws<ArgumentException>(() => Figures.Loss(new History()));
    }

    [Fact]
    public void Confusion_matrix_heatmap_shows_the_counts_with_true_classes_as_rows_from_the_top()
    {
        var m = new ConfusionMatrix(3);
        int[] actual = [0, 1, 2, 2, 2], predicted = [0, 0, 2, 2, 1];
        for (int i = 0; i < actual.Length; i++) m.Add(predicted[i], actual[i]);
        Plot plot = Figures.ConfusionMatrix(m, ["a", "b", "c"]);

        Heatmap heatmap = plot.GetPlottables<Heatmap>().Single();
        Assert.Equal(new double[,] { { 1, 0, 0 }, { 1, 0, 0 }, { 0, 1, 2 } }, heatmap.Intensities);
        Text[] texts = plot.GetPlottables<Text>().ToArray();
        Assert.Equal(9, texts.Length);
        // Row 2 (true class c) is drawn lowest (y = 0); its cell predicted c is annotated 2.
        Text cell = texts.Single(t => t.Location.X == 2 && t.Location.Y == 0);
        Assert.Equal("2", cell.LabelText);
        Assert.Equal("1", texts.Single(t => t.Location.X == 0 && t.Location.Y == 2).LabelText);
        Assert.Throws<ArgumentException>(() => Figures.ConfusionMatrix(m, ["a", "b"]));
    }

    [Fact]
    public void Prediction_grid_captions_each_image_green_when_right_and_red_when_wrong()
    {
        (float[] x, byte[] labels) = Blobs.Make(30, seed: 4);
        var data = new Dataset(x, labels, featureSize: 4, classes: 3);
        float[] outputs = new float[30 * 3];
        for (int i = 0; i < 30; i++) outputs[i * 3 + (i % 4 == 0 ? (labels[i] + 1) % 3 : labels[i])] = 0.8f;
        Multiplot grid = Figures.Predictions(data, outputs, ["a", "b", "c"]);

        Plot[] plots = grid.Subplots.GetPlots();
        Assert.Equal(25, plots.Length);
        string[] names = ["a", "b", "c"];
        for (int i = 0; i < 25; i++)
        {
            int predicted = i % 4 == 0 ? (labels[i] + 1) % 3 : labels[i];
            var label = plots[i].Axes.Bottom.Label;
            Assert.Equal($"{names[predicted]} 80%\n({names[labels[i]]})", label.Text);
            Assert.Equal(i % 4 == 0 ? Color.FromHex("#d62728") : Color.FromHex("#1b7f2a"), label.ForeColor);
            Heatmap image = plots[i].GetPlottables<Heatmap>().Single();
            Assert.Equal(x[i * 4 + 3], image.Intensities[1, 1], 6);
        }
        Assert.Contains("needs 25 images", Assert.Throws<ArgumentException>(() => Figures.Predictions(data.Take(20), outputs)).Message);
    }

    [Fact]
    public void SaveAll_writes_four_valid_pngs_of_the_stated_sizes()
    {
        var net = new BlobNet8(seed: 1);
        (float[] x, byte[] labels) = Blobs.Make(300, seed: 5);
        History history = net.Fit(x, NnGen.Data.Labels.ToFloat(labels), epochs: 3, validationSplit: 0.2, verbose: 0);
        var test = new Dataset(x, labels, featureSize: 4, classes: 3);

        var written = Figures.SaveAll(Dir, history, net, test, ["a", "b", "c"]);

        Assert.Equal(["accuracy.png", "loss.png", "predictions.png", "confusion_matrix.png"], written.Select(Path.GetFileName));
        (int, int)[] sizes = [Figures.CurveSize, Figures.CurveSize, Figures.GridSize, Figures.MatrixSize];
        for (int i = 0; i < written.Count; i++)
        {
            byte[] png = File.ReadAllBytes(written[i]);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
            Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
            Assert.Equal(sizes[i], (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20))));
            using SKBitmap bitmap = SKBitmap.Decode(png);
            Assert.NotNull(bitmap);
            Assert.Equal(sizes[i], (bitmap.Width, bitmap.Height));
            // Something is drawn: not a blank page.
            Assert.True(bitmap.Pixels.Select(p => (uint)p).Distinct().Count() > 10, $"{written[i]} looks blank");
        }
    }
}
