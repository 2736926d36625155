using System;
using System.IO;
using System.Linq;
using NnGen.Callbacks;
using NnGen.Tests.Networks;
using NnGen.Tuning;
using static NnGen.Activation;

namespace NnGen.Tests.Training;

[Sequential(Input = 3, Loss = Loss.MeanSquaredError)]
[Dense(8, Tanh)]
[Dense(1)]
public partial class OneOutputRegressor;

/// <summary>A mean-squared-error network reports the mean absolute error (Keras's <c>mae</c>), not a 0.5-threshold accuracy.</summary>
public class RegressionMetricTests
{
    private static (float[] X, float[] Y) Line(int n)
    {
        var rng = new Rng(3);
        var x = new float[n * 3];
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            for (int d = 0; d < 3; d++) x[i * 3 + d] = rng.NextFloat(-1, 1);
            y[i] = 2 * x[i * 3] - x[i * 3 + 1] + 0.5f * x[i * 3 + 2] + 3;
        }
        return (x, y);
    }

    [Fact]
    public void Evaluate_reports_the_mean_absolute_error_and_no_accuracy()
    {
        INetwork net = new OneOutputRegressor(1);
        (float[] x, float[] y) = Line(100);
        Evaluation result = net.Evaluate(x, y);
        float[] p = net.Predict(x);
        double mae = p.Zip(y, (a, b) => Math.Abs((double)a - b)).Average();
        double mse = p.Zip(y, (a, b) => ((double)a - b) * (a - b)).Average();
        Assert.Equal(mae, result.MeanAbsoluteError, 4);
        Assert.Equal(mse, result.Loss, 3);
        Assert.True(float.IsNaN(result.Accuracy));
        Assert.True(float.IsNaN(new SparseNet(1).Evaluate(new float[7], [0]).MeanAbsoluteError));
    }

    [Fact]
    public void Fit_records_mae_and_val_mae_and_prints_them()
    {
        INetwork net = new OneOutputRegressor(1);
        (float[] x, float[] y) = Line(200);
        var output = new StringWriter();
        History history = net.Fit(x, y, epochs: 3, validationSplit: 0.25, verbose: 2, output: output);
        Assert.Equal(["loss", "mae", "val_loss", "val_mae"], history.Metrics.Keys.Order().ToArray());
        Assert.Equal(net.Evaluate(x.AsSpan(150 * 3).ToArray(), y.AsSpan(150).ToArray()).MeanAbsoluteError, history.Metrics["val_mae"][^1], 5);
        Assert.True(history.Metrics["mae"][^1] < history.Metrics["mae"][0]);
        Assert.Matches(@"- loss: \d+\.\d{4} - mae: \d+\.\d{4} - val_loss: \d+\.\d{4} - val_mae: \d+\.\d{4}", output.ToString());
        Assert.DoesNotContain("accuracy", output.ToString());
    }

    [Fact]
    public void Callbacks_monitor_val_mae_as_a_metric_to_minimise()
    {
        var stopping = new EarlyStopping(monitor: "val_mae", patience: 1);
        Assert.Equal(MonitorMode.Min, stopping.Mode);
        INetwork net = new OneOutputRegressor(1);
        (float[] x, float[] y) = Line(200);
        net.Fit(x, y, epochs: 2, validationSplit: 0.25, verbose: 0, callbacks: [stopping]);
        Assert.InRange(stopping.BestEpoch, 1, 2);
    }

    [Fact]
    public void Monitoring_the_accuracy_of_a_regression_is_refused_before_training()
    {
        INetwork net = new OneOutputRegressor(1);
        float[] before = net.AllWeights();
        (float[] x, float[] y) = Line(200);
        var e = Assert.Throws<InvalidOperationException>(() =>
            net.Fit(x, y, epochs: 2, validationSplit: 0.25, verbose: 0, callbacks: [new EarlyStopping(monitor: "val_accuracy")]));
        Assert.Equal("EarlyStopping monitors 'val_accuracy', but a network trained with MeanSquaredError logs 'val_mae' in its place.", e.Message);
        Assert.True(before.SequenceEqual(net.AllWeights()));
        e = Assert.Throws<InvalidOperationException>(() =>
            new SparseNet(1).Fit(new float[7], [0f], verbose: 0, callbacks: [new ReduceLROnPlateau(monitor: "mae")]));
        Assert.Contains("logs 'accuracy' in its place", e.Message);
    }

    [Fact]
    public void The_tuner_ranks_a_regression_by_validation_loss()
    {
        (float[] x, float[] y) = Line(200);
        var tuner = new Tuner(p => new OneOutputRegressor(p.Seed)) { MaxParallelTrials = 1 };
        TuningResult result = tuner.Search(Search.Grid(new SearchSpace().Choice(SearchSpace.LearningRate, 1e-2, 1e-4)), x, y);
        Assert.Equal(Objective.ValLoss, result.Results.Objective);
        Assert.Equal(result.Results.Trials.Min(t => t.Score), result.Results.Best.Score);
    }
}
