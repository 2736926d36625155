using System;
using System.Linq;
using NnGen.Data;
using NnGen.Metrics;
using NnGen.Tests.Networks;

namespace NnGen.Tests.Assessment;

public class MetricsTests
{
    // scikit-learn's documented example: y_true = [0, 1, 2, 2, 2], y_pred = [0, 0, 2, 2, 1].
    private static ConfusionMatrix SklearnExample()
    {
        var m = new ConfusionMatrix(3);
        int[] actual = [0, 1, 2, 2, 2], predicted = [0, 0, 2, 2, 1];
        for (int i = 0; i < actual.Length; i++) m.Add(predicted[i], actual[i]);
        return m;
    }

    [Fact]
    public void Confusion_matrix_counts_rows_as_true_classes_and_columns_as_predictions()
    {
        ConfusionMatrix m = SklearnExample();
        long[,] expected = { { 1, 0, 0 }, { 1, 0, 0 }, { 0, 1, 2 } };
        Assert.Equal(expected, m.ToArray());
        Assert.Equal(5, m.Total);
        Assert.Equal(3, m.Correct);
        Assert.Equal(0.6, m.Accuracy, 12);
        Assert.Equal(2, m[2, 2]);
        Assert.Equal(1, m[2, 1]);
    }

    [Fact]
    public void Precision_recall_f1_and_support_match_hand_worked_values()
    {
        ConfusionMatrix m = SklearnExample();
        // class 0: predicted twice, right once; 1 sample. class 1: predicted once, wrongly; 1 sample. class 2: predicted twice, right twice; 3 samples.
        Assert.Equal(0.5, m.Precision(0), 12);
        Assert.Equal(1.0, m.Recall(0), 12);
        Assert.Equal(2 * 0.5 * 1.0 / 1.5, m.F1(0), 12);
        Assert.Equal(0.0, m.Precision(1), 12);
        Assert.Equal(0.0, m.F1(1), 12);
        Assert.Equal(1.0, m.Precision(2), 12);
        Assert.Equal(2.0 / 3, m.Recall(2), 12);
        Assert.Equal(0.8, m.F1(2), 12);
        Assert.Equal([1L, 1, 3], Enumerable.Range(0, 3).Select(m.Support));

        var report = new ClassificationReport(m);
        Assert.Equal((0.5 + 0 + 1) / 3, report.MacroAverage.Precision, 12);
        Assert.Equal((1 + 0 + 2.0 / 3) / 3, report.MacroAverage.Recall, 12);
        Assert.Equal((0.5 * 1 + 0 * 1 + 1 * 3) / 5, report.WeightedAverage.Precision, 12);
        Assert.Equal((2.0 / 3 * 1 + 0 + 0.8 * 3) / 5, report.WeightedAverage.F1, 12);
    }

    [Fact]
    public void Classification_report_has_scikit_learns_layout()
    {
        // print(classification_report(y_true, y_pred, target_names=['class 0', 'class 1', 'class 2'])), as in scikit-learn's documentation.
        const string expected =
            "              precision    recall  f1-score   support\n" +
            "\n" +
            "     class 0       0.50      1.00      0.67         1\n" +
            "     class 1       0.00      0.00      0.00         1\n" +
            "     class 2       1.00      0.67      0.80         3\n" +
            "\n" +
            "    accuracy                           0.60         5\n" +
            "   macro avg       0.50      0.56      0.49         5\n" +
            "weighted avg       0.70      0.60      0.61         5\n";
        Assert.Equal(expected, new ClassificationReport(SklearnExample(), ["class 0", "class 1", "class 2"]).ToString());
    }

    [Fact]
    public void Classification_report_widens_for_long_class_names_and_more_digits()
    {
        string text = new ClassificationReport(SklearnExample(), ["a", "a rather long name", "c"]).ToString(digits: 3);
        string[] lines = text.Split('\n');
        Assert.Equal("a rather long name      0.000     0.000     0.000         1", lines[3]);
        Assert.Equal("          accuracy                          0.600         5", lines[6]);
    }

    [Fact]
    public void Outputs_are_counted_by_arg_max_or_by_a_half_threshold_for_one_sigmoid_output()
    {
        var m = new ConfusionMatrix(3);
        float[] outputs = [0.1f, 0.7f, 0.2f, 0.5f, 0.1f, 0.4f, 0.3f, 0.3f, 0.3f];
        m.AddOutputs(outputs, 3, [1, 2, 0]);
        Assert.Equal(1, m[1, 1]);
        Assert.Equal(1, m[2, 0]);
        Assert.Equal(1, m[0, 0]); // a tie goes to the first class

        var binary = new ConfusionMatrix(2);
        binary.AddOutputs([0.2f, 0.7f, 0.5f], 1, [0, 0, 1]);
        Assert.Equal(new long[,] { { 1, 1 }, { 0, 1 } }, binary.ToArray());
    }

    [Fact]
    public void Bad_shapes_and_labels_are_reported_with_the_numbers()
    {
        var m = new ConfusionMatrix(3);
        var e = Assert.Throws<ArgumentException>(() => m.AddOutputs(new float[8], 3, [0, 1, 2]));
        Assert.Contains("Expected 3 rows of 3 outputs (9 floats) for 3 labels, but got 8 floats", e.Message);
        var range = Assert.Throws<ArgumentOutOfRangeException>(() => m.Add(0, 3));
        Assert.Contains("Class 3 is out of range for 3 classes", range.Message);
        Assert.Throws<ArgumentException>(() => m.AddOutputs(new float[4], 4, [0]));
    }

    [Fact]
    public void Top_k_accuracy_counts_the_true_class_among_the_k_highest_with_ties_inside()
    {
        float[] outputs =
        [
            0.1f, 0.5f, 0.4f, // label 2: second highest
            0.3f, 0.3f, 0.4f, // label 0: tied second with class 1
            0.7f, 0.2f, 0.1f, // label 2: third
        ];
        byte[] labels = [2, 0, 2];
        var top1 = new TopKAccuracy(1);
        top1.AddOutputs(outputs, 3, labels);
        var top2 = new TopKAccuracy(2);
        top2.AddOutputs(outputs, 3, labels);
        var top3 = new TopKAccuracy(3);
        top3.AddOutputs(outputs, 3, labels);
        Assert.Equal(0.0, top1.Value);
        Assert.Equal(2.0 / 3, top2.Value, 12);
        Assert.Equal(1.0, top3.Value);
    }

    [Fact]
    public void Metrics_computed_from_a_network_in_uneven_chunks_equal_those_of_its_full_prediction()
    {
        var net = new BlobNet8(seed: 3);
        (float[] x, byte[] labels) = Blobs.Make(101, seed: 1);
        float[] all = net.Predict(x);
        var expected = new ConfusionMatrix(3);
        expected.AddOutputs(all, 3, labels);
        var top2 = new TopKAccuracy(2);
        top2.AddOutputs(all, 3, labels);

        ConfusionMatrix chunked = ConfusionMatrix.Compute(net, x, labels, batchSize: 7);
        Assert.Equal(expected.ToArray(), chunked.ToArray());
        Assert.Equal(net.Evaluate(x, NnGen.Data.Labels.ToFloat(labels)).Accuracy, chunked.Accuracy, 6);
        Assert.Equal(top2.Value, TopKAccuracy.Compute(net, x, labels, k: 2, batchSize: 10), 12);
    }

    [Fact]
    public void Counting_predictions_allocates_nothing()
    {
        var net = new BlobNet8(seed: 3);
        (float[] x, byte[] labels) = Blobs.Make(2000, seed: 1);
        var m = new ConfusionMatrix(3);
        var top = new TopKAccuracy(2);
        float[] outputs = net.Predict(x);
        m.Accumulate(net, x, labels, batchSize: 32); // warm-up: the pooled buffer, the JIT
        top.AddOutputs(outputs, 3, labels);

        long before = GC.GetAllocatedBytesForCurrentThread();
        m.Accumulate(net, x, labels, batchSize: 32);
        long accumulate = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        m.AddOutputs(outputs, 3, labels);
        top.AddOutputs(outputs, 3, labels);
        long add = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, accumulate);
        Assert.Equal(0, add);
        Assert.Equal(3 * 2000, m.Total);
        Assert.Equal(2 * 2000, top.Total);
    }
}
