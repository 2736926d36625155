using System;
using System.Linq;
using NnGen.Kernels;

namespace NnGen.Tests.Numerics;

/// <summary>The element-wise activation backward passes on the values where their rules differ: signs, zeros, NaN, infinities.</summary>
public class ActivationKernelTests
{
    private static readonly float[] Special = [-1f, -0f, 0f, float.Epsilon, 1f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, -float.Epsilon, 0.5f, -3f];

    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(37)]
    public void ReLU_backward_zeroes_the_gradient_where_the_output_is_not_positive_and_keeps_it_at_NaN(int length)
    {
        float[] y = Enumerable.Range(0, length).Select(i => Special[(i * 7) % Special.Length]).ToArray();
        float[] dy = Enumerable.Range(0, length).Select(i => i % 3 == 0 ? -(i + 1f) : i + 0.25f).ToArray();
        float[] expected = dy.Select((d, i) => y[i] > 0 || float.IsNaN(y[i]) ? d : 0f).ToArray();
        ActivationKernels.ReluBackward(dy, y);
        Assert.Equal(expected, dy);
        Assert.Contains(expected, e => e != 0);
        Assert.Contains(expected, e => e == 0);
    }

    [Fact]
    public void ReLU_backward_refuses_a_y_shorter_than_dy()
    {
        var e = Assert.Throws<ArgumentException>(() => ActivationKernels.ReluBackward(new float[9], new float[8]));
        Assert.Contains("at least dy's 9 elements, got 8", e.Message);
    }
}
