using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using NnGen.Data;
using NnGen.Metrics;
using ScottPlot;

namespace NnGen.Plots;

/// <summary>
/// The pictures of the Keras tutorial, drawn with ScottPlot: accuracy and loss per epoch, a grid of test images with
/// their predicted and true labels, and the confusion matrix as an annotated heatmap. Each method returns the
/// ScottPlot figure, to adjust or save (<c>SavePng</c>); <see cref="SaveAll"/> writes all four PNG files.
/// </summary>
public static class Figures
{
    /// <summary>Font of every figure (DejaVu Sans, which Debian's <c>fonts-dejavu-core</c> installs; ScottPlot falls back to another font without it).</summary>
    public const string FontName = "DejaVu Sans";

    /// <summary>Pixel size of the accuracy and loss figures.</summary>
    public static readonly (int Width, int Height) CurveSize = (800, 500);

    /// <summary>Pixel size of the prediction grid.</summary>
    public static readonly (int Width, int Height) GridSize = (900, 1000);

    /// <summary>Pixel size of the confusion matrix.</summary>
    public static readonly (int Width, int Height) MatrixSize = (900, 800);

    private static readonly Color Right = Color.FromHex("#1b7f2a"), Wrong = Color.FromHex("#d62728");

    /// <summary>Training and validation accuracy per epoch (the validation line only when <paramref name="history"/> has it).</summary>
    public static Plot Accuracy(History history) => Curves(history, "accuracy", "Accuracy", Alignment.LowerRight);

    /// <summary>Training and validation loss per epoch (the validation line only when <paramref name="history"/> has it).</summary>
    public static Plot Loss(History history) => Curves(history, "loss", "Loss", Alignment.UpperRight);

    private static Plot Curves(History history, string metric, string title, Alignment legend)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Epochs == 0) throw new ArgumentException("The history has no epochs to plot.", nameof(history));
        var plot = NewPlot();
        AddCurve(plot, history, metric, "Training", plot.Add.Palette.GetColor(0));
        AddCurve(plot, history, "val_" + metric, "Validation", plot.Add.Palette.GetColor(1));
        plot.Title($"Training and validation {title.ToLowerInvariant()}");
        plot.XLabel("Epoch");
        plot.YLabel(title);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.ShowLegend(legend);
        return plot;
    }

    private static void AddCurve(Plot plot, History history, string metric, string label, Color color)
    {
        if (!history.Metrics.TryGetValue(metric, out List<float>? values) || values.Count == 0) return;
        double[] epochs = Enumerable.Range(1, values.Count).Select(e => (double)e).ToArray();
        var scatter = plot.Add.Scatter(epochs, values.Select(v => (double)v).ToArray(), color);
        scatter.LegendText = label;
        scatter.LineWidth = 2;
        scatter.MarkerSize = 7;
    }

    /// <summary>
    /// The first <paramref name="rows"/> x <paramref name="columns"/> images of <paramref name="data"/>, each captioned
    /// <c>predicted confidence% (true)</c>, green when right and red when wrong.
    /// </summary>
    /// <param name="data">Square grayscale images in [0, 1] (Fashion-MNIST's 28x28) with their labels.</param>
    /// <param name="outputs">The network's outputs for at least those images: one row of class probabilities each.</param>
    /// <param name="classNames">A name per class, or <see langword="null"/> for the class numbers.</param>
    /// <param name="rows">Rows of the grid.</param>
    /// <param name="columns">Columns of the grid.</param>
    public static Multiplot Predictions(Dataset data, ReadOnlySpan<float> outputs, IReadOnlyList<string>? classNames = null, int rows = 5, int columns = 5)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        int count = rows * columns, side = (int)Math.Round(Math.Sqrt(data.FeatureSize)), classes = data.Classes;
        if (side * side != data.FeatureSize)
            throw new ArgumentException($"Expected square images, but a sample has {data.FeatureSize} features, not a square number.", nameof(data));
        if (data.Count < count)
            throw new ArgumentException($"A {rows}x{columns} grid needs {count} images, but the data set has {data.Count}.", nameof(data));
        if (outputs.Length < count * classes)
            throw new ArgumentException($"Expected outputs of {classes} classes for at least {count} images ({count * classes} floats), but got {outputs.Length}.", nameof(outputs));
        CheckNames(classNames, classes);

        var figure = new Multiplot();
        figure.Subplots.RemoveAt(0); // the one plot a new Multiplot starts with
        figure.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, columns);
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<float> probabilities = outputs.Slice(i * classes, classes);
            int predicted = Labels.ArgMax(probabilities), actual = data.Labels[i];
            var plot = NewPlot();
            var image = new double[side, side];
            ReadOnlySpan<float> pixels = data.GetFeatures(i);
            for (int r = 0; r < side; r++)
                for (int c = 0; c < side; c++) image[r, c] = pixels[r * side + c];
            var heatmap = plot.Add.Heatmap(image);
            heatmap.Colormap = new ScottPlot.Colormaps.GrayscaleReversed();
            heatmap.ManualRange = new ScottPlot.Range(0, 1);
            plot.Axes.Margins(0, 0);
            plot.HideGrid();
            foreach (var axis in plot.Axes.GetAxes())
            {
                axis.TickLabelStyle.IsVisible = false;
                axis.MajorTickStyle.Length = 0;
                axis.MinorTickStyle.Length = 0;
            }
            plot.XLabel(string.Create(CultureInfo.InvariantCulture,
                $"{Name(classNames, predicted)} {probabilities[predicted] * 100:F0}%\n({Name(classNames, actual)})"));
            plot.Axes.Bottom.Label.FontSize = 13;
            plot.Axes.Bottom.Label.Bold = false;
            plot.Axes.Bottom.Label.ForeColor = predicted == actual ? Right : Wrong;
            plot.Axes.Left.Label.Text = "";
            figure.AddPlot(plot);
        }
        return figure;
    }

    /// <summary>
    /// The confusion matrix as a heatmap, row = true class, column = predicted class (scikit-learn's
    /// <c>ConfusionMatrixDisplay</c>), each cell annotated with its count.
    /// </summary>
    /// <param name="matrix">The counts.</param>
    /// <param name="classNames">A name per class, or <see langword="null"/> for the class numbers.</param>
    public static Plot ConfusionMatrix(ConfusionMatrix matrix, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        int n = matrix.Classes;
        CheckNames(classNames, n);
        double[,] counts = new double[n, n];
        long max = 1;
        for (int a = 0; a < n; a++)
            for (int p = 0; p < n; p++)
            {
                counts[a, p] = matrix[a, p];
                max = Math.Max(max, matrix[a, p]);
            }

        var plot = NewPlot();
        var heatmap = plot.Add.Heatmap(counts);
        heatmap.Colormap = new ScottPlot.Colormaps.Reversed(new ScottPlot.Colormaps.Blues()); // light for few, dark blue for many
        heatmap.Rectangle = new CoordinateRect(-0.5, n - 0.5, -0.5, n - 0.5);
        var bar = plot.Add.ColorBar(heatmap);
        bar.Label = "Samples";
        for (int a = 0; a < n; a++)
            for (int p = 0; p < n; p++)
            {
                var text = plot.Add.Text(matrix[a, p].ToString(CultureInfo.InvariantCulture), p, n - 1 - a);
                text.Alignment = Alignment.MiddleCenter;
                text.LabelFontSize = n <= 10 ? 14 : 10;
                text.LabelFontColor = matrix[a, p] > max / 2 ? Colors.White : Colors.Black;
            }
        double[] positions = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        string[] names = Enumerable.Range(0, n).Select(i => Name(classNames, i)).ToArray();
        plot.Axes.Bottom.SetTicks(positions, names);
        plot.Axes.Bottom.TickLabelStyle.Rotation = -45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        plot.Axes.Bottom.MinimumSize = 120; // room for the slanted names above the axis label
        plot.Axes.Left.SetTicks(positions.Select(y => n - 1 - y).ToArray(), names);
        plot.Axes.Margins(0, 0);
        plot.HideGrid();
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"Confusion matrix ({matrix.Total:N0} samples, accuracy {matrix.Accuracy:P1})"));
        plot.XLabel("Predicted label");
        plot.YLabel("True label");
        return plot;
    }

    /// <summary>
    /// Writes the tutorial's four pictures into <paramref name="directory"/>: <c>accuracy.png</c> and <c>loss.png</c> (when
    /// <paramref name="history"/> is given), <c>predictions.png</c> (a 5x5 grid of the first test images) and <c>confusion_matrix.png</c>.
    /// </summary>
    /// <param name="directory">Output folder, created when missing.</param>
    /// <param name="history">What <c>Fit</c> returned, or <see langword="null"/> to skip the curves.</param>
    /// <param name="network">The trained classifier.</param>
    /// <param name="test">Labelled test images.</param>
    /// <param name="classNames">A name per class, or <see langword="null"/> for the class numbers.</param>
    /// <returns>The paths written.</returns>
    public static IReadOnlyList<string> SaveAll(string directory, History? history, INetwork network, Dataset test, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(test);
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        string Path(string name) { string p = System.IO.Path.Combine(directory, name); written.Add(p); return p; }
        if (history is not null)
        {
            Accuracy(history).SavePng(Path("accuracy.png"), CurveSize.Width, CurveSize.Height);
            Loss(history).SavePng(Path("loss.png"), CurveSize.Width, CurveSize.Height);
        }
        int shown = Math.Min(test.Count, 25);
        float[] outputs = network.Predict(test.Features.AsSpan(0, shown * test.FeatureSize));
        if (shown == 25) Predictions(test, outputs, classNames).SavePng(Path("predictions.png"), GridSize.Width, GridSize.Height);
        ConfusionMatrix(Metrics.ConfusionMatrix.Compute(network, test.Features, test.Labels), classNames)
            .SavePng(Path("confusion_matrix.png"), MatrixSize.Width, MatrixSize.Height);
        return written;
    }

    private static Plot NewPlot()
    {
        var plot = new Plot();
        plot.Font.Set(FontName);
        return plot;
    }

    private static string Name(IReadOnlyList<string>? classNames, int c) => classNames?[c] ?? c.ToString(CultureInfo.InvariantCulture);

    private static void CheckNames(IReadOnlyList<string>? classNames, int classes)
    {
        if (classNames is not null && classNames.Count != classes)
            throw new ArgumentException($"Expected {classes} class names, one per class, but got {classNames.Count}.", nameof(classNames));
    }
}
