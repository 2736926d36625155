using System;
using NnGen.Data;

namespace NnGen.Tests.Data;

public sealed class LabelsTests
{
    [Fact]
    public void OneHot_SetsOneAtEachClass()
    {
        float[] oneHot = Labels.OneHot([2, 0, 1], classes: 3);

        Assert.Equal([0, 0, 1, 1, 0, 0, 0, 1, 0], oneHot);
    }

    [Fact]
    public void OneHot_LabelOutOfRange_NamesValueAndIndex()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Labels.OneHot([1, 0, 3], classes: 3));

        Assert.Contains("Label 3", e.Message);
        Assert.Contains("index 2", e.Message);
        Assert.Contains("3 classes", e.Message);
    }

    [Fact]
    public void ToFloat_KeepsClassIndices()
    {
        Assert.Equal([0f, 9f, 4f], Labels.ToFloat([0, 9, 4]));
    }

    [Fact]
    public void ArgMax_FindsLargestAndBreaksTiesToFirst()
    {
        Assert.Equal(2, Labels.ArgMax([-3f, -2f, -1f, -5f]));
        Assert.Equal(1, Labels.ArgMax([0.1f, 0.7f, 0.7f]));
        Assert.Equal(0, Labels.ArgMax([42f]));
        Assert.Throws<ArgumentException>(() => Labels.ArgMax([]));
    }
}
