using System;
using System.Linq;
using NnGen.Tests.Networks;
using NnGen.Tests.Numerics;

namespace NnGen.Tests.Training;

/// <summary>
/// Fit and Evaluate check every input and target once, before the first update: errors name the sample's index in the
/// arrays passed (not within a batch), the feature or column, the value and what the loss takes, and no weight changes.
/// </summary>
public class DataValidationTests
{
    /// <summary>Fit on 1,000 samples with a 20% validation split must throw before touching a weight.</summary>
    private static ArgumentException Rejected(INetwork net, float[] x, float[] y, string parameter)
    {
        float[] before = net.AllWeights();
        var e = Assert.Throws<ArgumentException>(() => net.Fit(x, y, epochs: 2, batchSize: 32, validationSplit: 0.2, verbose: 0));
        Assert.Equal(parameter, e.ParamName);
        Assert.True(before.SequenceEqual(net.AllWeights()), "weights changed before the bad data was reported");
        return e;
    }

    private static (INetwork Net, float[] X, float[] Y) Setup(string name)
    {
        INetwork net = TestData.Create(name);
        (float[] x, float[] y) = TestData.Batch(net, rows: 1000, seed: 4);
        return (net, x, y);
    }

    [Theory]
    [InlineData(3f, "is 3, but sparse categorical cross-entropy takes a class index: an integer in [0, 2]")]
    [InlineData(-1f, "is -1, but")]
    [InlineData(1.5f, "is 1.5, but")]
    [InlineData(float.NaN, "is NaN, but")]
    public void A_sparse_label_out_of_range_is_reported_with_its_absolute_sample_index_before_any_update(float label, string expected)
    {
        (INetwork net, float[] x, float[] y) = Setup(nameof(SparseNet));
        y[500] = label;
        ArgumentException e = Rejected(net, x, y, "targets");
        Assert.Contains($"The target of sample 500 (in the training split) {expected}", e.Message);
    }

    [Theory]
    [InlineData(nameof(OddMlp), 700, 3, 2f, "categorical cross-entropy takes probabilities in [0, 1] (one-hot rows, or soft labels).")] // 5 classes
    [InlineData(nameof(OddMlp), 700, 3, -1f, "categorical cross-entropy takes probabilities in [0, 1] (one-hot rows, or soft labels).")]
    [InlineData(nameof(OddMlp), 700, 3, float.PositiveInfinity, "categorical cross-entropy takes probabilities in [0, 1] (one-hot rows, or soft labels).")]
    [InlineData(nameof(OddMlp), 700, 3, float.NaN, "categorical cross-entropy takes probabilities in [0, 1] (one-hot rows, or soft labels).")]
    [InlineData(nameof(RegressionNet), 10, 2, float.NaN, "mean squared error takes finite numbers.")] // 4 outputs
    [InlineData(nameof(RegressionNet), 10, 2, float.NegativeInfinity, "mean squared error takes finite numbers.")]
    public void A_target_the_loss_does_not_take_is_reported_with_sample_and_column(string network, int sample, int column, float value, string takes)
    {
        (INetwork net, float[] x, float[] y) = Setup(network);
        y[sample * net.TargetSize + column] = value;
        ArgumentException e = Rejected(net, x, y, "targets");
        Assert.Contains($"The target of sample {sample} (in the training split), column {column}, " +
            $"is {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}, but {takes}", e.Message);
    }

    [Fact]
    public void Soft_labels_in_0_1_are_accepted_as_Keras_accepts_them()
    {
        (INetwork net, float[] x, float[] y) = Setup(nameof(OddMlp));
        y.AsSpan(0, 5).Fill(0.2f);
        History history = net.Fit(x, y, epochs: 1, verbose: 0);
        Assert.True(float.IsFinite(history.Loss[0]));
    }

    [Fact]
    public void A_binary_target_outside_0_1_is_rejected()
    {
        (INetwork net, float[] x, float[] y) = Setup(nameof(BinaryNet));
        y[950] = 1.0001f;
        ArgumentException e = Rejected(net, x, y, "targets");
        Assert.Contains("The target of sample 950 (in the validation split) is 1.0001, but binary cross-entropy takes probabilities in [0, 1].", e.Message);
    }

    [Fact]
    public void A_nan_input_only_in_the_validation_split_is_reported_before_training()
    {
        (INetwork net, float[] x, float[] y) = Setup(nameof(SparseNet)); // 7 inputs; samples 800..999 validate
        x[900 * 7 + 6] = float.NaN;
        ArgumentException e = Rejected(net, x, y, "inputs");
        Assert.Contains("The input of sample 900 (in the validation split), feature 6, is NaN: inputs must be finite numbers.", e.Message);
    }

    [Fact]
    public void An_infinite_input_in_the_training_split_is_reported_with_its_feature()
    {
        (INetwork net, float[] x, float[] y) = Setup(nameof(MnistMlp));
        x[123 * 784 + 400] = float.NegativeInfinity;
        ArgumentException e = Rejected(net, x, y, "inputs");
        Assert.Contains("The input of sample 123 (in the training split), feature 400, is -Infinity: inputs must be finite numbers.", e.Message);
    }

    [Fact]
    public void Finite_inputs_whose_sum_overflows_are_accepted()
    {
        // The one-pass check sums the inputs; a sum that overflows on finite values must not be taken for a bad input.
        INetwork net = new SparseNet(1);
        float[] x = Enumerable.Repeat(3e38f, 7 * 4).ToArray();
        float[] y = [0, 1, 2, 0];
        Assert.Equal(float.PositiveInfinity, System.Numerics.Tensors.TensorPrimitives.Sum(x)); // the premise
        Evaluation result = net.Evaluate(x, y);
        Assert.InRange(result.Accuracy, 0f, 1f);
    }

    [Fact]
    public void Evaluate_checks_its_data_too_without_a_split_name()
    {
        INetwork net = new SparseNet(1);
        (float[] x, float[] y) = TestData.Batch(net, rows: 50, seed: 2);
        x[49 * 7] = float.PositiveInfinity;
        var e = Assert.Throws<ArgumentException>(() => net.Evaluate(x, y));
        Assert.Contains("The input of sample 49, feature 0, is Infinity: inputs must be finite numbers.", e.Message);
        x[49 * 7] = 0;
        y[3] = 7;
        e = Assert.Throws<ArgumentException>(() => net.Evaluate(x, y));
        Assert.Contains("The target of sample 3 is 7, but sparse categorical cross-entropy takes a class index: an integer in [0, 2].", e.Message);
    }
}
