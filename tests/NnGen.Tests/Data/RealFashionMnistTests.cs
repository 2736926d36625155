using System;
using NnGen.Data;

namespace NnGen.Tests.Data;

/// <summary>A fact that is skipped, with the reason, when Fashion-MNIST is not installed.</summary>
public sealed class FashionMnistFactAttribute : FactAttribute
{
    public FashionMnistFactAttribute()
    {
        if (FashionMnist.FindDirectory() is null)
            Skip = "Fashion-MNIST not found: sudo apt-get install -y dataset-fashion-mnist, or set NNGEN_DATA.";
    }
}

public sealed class RealFashionMnistTests
{
    [FashionMnistFact]
    public void Load_RealFashionMnist_HasExpectedShapeLabelsAndPixelRange()
    {
        var (train, test) = FashionMnist.Load();

        Assert.Equal(60000, train.Count);
        Assert.Equal(10000, test.Count);
        Assert.Equal(784, train.FeatureSize);
        Assert.Equal(784, test.FeatureSize);
        Assert.Equal(60000 * 784, train.Features.Length);

        // Fashion-MNIST is balanced: 6,000 training and 1,000 test images per class.
        Assert.All(CountPerClass(train), n => Assert.Equal(6000, n));
        Assert.All(CountPerClass(test), n => Assert.Equal(1000, n));

        foreach (Dataset set in new[] { train, test })
        {
            float min = float.MaxValue, max = float.MinValue;
            foreach (float p in set.Features)
            {
                min = Math.Min(min, p);
                max = Math.Max(max, p);
            }
            Assert.Equal(0f, min);
            Assert.Equal(1f, max);
        }
    }

    private static int[] CountPerClass(Dataset set)
    {
        int[] counts = new int[10];
        foreach (byte label in set.Labels)
            counts[label]++; // throws if a label were >= 10
        return counts;
    }
}
