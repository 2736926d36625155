using System;
using NnGen.Data;

namespace NnGen.Tests.Data;

public sealed class DatasetTests
{
    /// <summary>n samples of 2 features each: sample i holds (i, 10 + i) and label i % classes.</summary>
    private static Dataset Make(int n, int classes = 3)
    {
        float[] features = new float[n * 2];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++)
        {
            features[2 * i] = i;
            features[2 * i + 1] = 10 + i;
            labels[i] = (byte)(i % classes);
        }
        return new Dataset(features, labels, featureSize: 2, classes);
    }

    [Fact]
    public void SplitLast_TwentyPercentOfTen_PutsLastTwoInValidation()
    {
        var (train, validation) = Make(10).SplitLast(0.2);

        Assert.Equal(8, train.Count);
        Assert.Equal(2, validation.Count);
        Assert.Equal([0f, 10f], train.GetFeatures(0).ToArray());
        Assert.Equal([7f, 17f], train.GetFeatures(7).ToArray());
        Assert.Equal([8f, 18f, 9f, 19f], validation.Features);
        Assert.Equal([2, 0], validation.Labels);
        Assert.Equal(3, validation.Classes);
        Assert.Equal(2, validation.FeatureSize);
    }

    [Theory]
    [InlineData(7, 0.3, 4)]    // floor(7 * 0.7) = floor(4.9) = 4, as Keras' validation_split
    [InlineData(10, 0.0, 10)]
    [InlineData(60000, 0.1, 54000)]
    [InlineData(3, 0.5, 1)]
    public void SplitLast_SplitsAtFloorOfTrainingShare(int n, double fraction, int expectedTrain)
    {
        var (train, validation) = Make(n).SplitLast(fraction);

        Assert.Equal(expectedTrain, train.Count);
        Assert.Equal(n - expectedTrain, validation.Count);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void SplitLast_RejectsFractionsOutsideUnitInterval(double fraction)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Make(10).SplitLast(fraction));
    }

    [Fact]
    public void SliceAndTake_CopyTheRightSamples()
    {
        Dataset data = Make(5);

        Dataset slice = data.Slice(1, 2);
        Assert.Equal([1f, 11f, 2f, 12f], slice.Features);
        Assert.Equal([1, 2], slice.Labels);

        Assert.Equal(3, data.Take(3).Count);
        Assert.Equal([0, 1, 2], data.Take(3).Labels);
        Assert.Equal(5, data.Take(100).Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Slice(4, 2));
    }

    [Fact]
    public void Targets_OneHotAndSparse()
    {
        Dataset data = Make(3);

        Assert.Equal([1, 0, 0, 0, 1, 0, 0, 0, 1], data.OneHotLabels());
        Assert.Equal([0f, 1f, 2f], data.SparseLabels());
    }

    [Fact]
    public void Constructor_ChecksSizesAndLabels()
    {
        Assert.Throws<ArgumentException>(() => new Dataset(new float[5], new byte[2], featureSize: 2, classes: 3));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Dataset(new float[4], [0, 3], featureSize: 2, classes: 3));
        Assert.Contains("index 1", e.Message);
    }

    [Fact]
    public void A_regression_dataset_keeps_target_rows_through_splits()
    {
        var data = new Dataset([1, 2, 3, 4, 5, 6], new float[] { 0.5f, -1, 2, 3, 4, 5 }, featureSize: 2, targetSize: 2);

        var (train, validation) = data.SplitLast(0.3); // floor(3 * 0.7) = 2 samples for training

        Assert.Equal((3, 2, 2, 0), (data.Count, data.FeatureSize, data.TargetSize, data.Classes));
        Assert.Equal([0.5f, -1f, 2f, 3f], train.Targets);
        Assert.Equal([4f, 5f], validation.Targets);
        Assert.Equal([5f, 6f], validation.Features);
        Assert.True(validation.IsRegression);
        Assert.Equal("This dataset holds regression targets, not class labels: use Targets.",
            Assert.Throws<InvalidOperationException>(() => data.OneHotLabels()).Message);
        Assert.Equal("This dataset holds class labels, not regression targets: use OneHotLabels() or SparseLabels().",
            Assert.Throws<InvalidOperationException>(() => Make(2).Targets).Message);
        Assert.False(Make(2).IsRegression);
        Assert.Equal(0, Make(2).TargetSize);
    }

    [Fact]
    public void A_regression_dataset_rejects_non_finite_targets_and_partial_rows()
    {
        Assert.StartsWith("Target 1 of sample 1 is NaN; targets must be finite.",
            Assert.Throws<ArgumentException>(() => new Dataset([1, 2], new[] { 0f, 1, 2, float.NaN }, 1, 2)).Message);
        Assert.StartsWith("3 targets are not whole rows of 2.",
            Assert.Throws<ArgumentException>(() => new Dataset([1, 2], new[] { 0f, 1, 2 }, 1, 2)).Message);
        Assert.StartsWith("2 samples of 3 features need 6 floats, but features holds 2.",
            Assert.Throws<ArgumentException>(() => new Dataset([1, 2], new[] { 0f, 1 }, 3, 1)).Message);
    }
}
