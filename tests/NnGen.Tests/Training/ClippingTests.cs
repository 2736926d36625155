using System;
using System.Linq;
using NnGen.Optimizers;

namespace NnGen.Tests.Training;

public class ClippingTests
{
    [Fact]
    public void Clip_value_clamps_each_gradient_by_hand()
    {
        // SGD lr 1, clipValue 1: g = (3, -0.5, -7) is used as (1, -0.5, -1), so p = (0, 0, 0) - g' = (-1, 0.5, 1).
        var sgd = new Sgd(1f, clipValue: 1f);
        float[] p = new float[3];
        sgd.Update(p, [3f, -0.5f, -7f]);
        Assert.Equal([-1f, 0.5f, 1f], p);
    }

    [Theory]
    // g = (3, 4) has norm 5. c = 1: scale 1/5, g' = (0.6, 0.8), p = -g'. c = 10: no scaling, p = -g.
    [InlineData(1f, -0.6f, -0.8f)]
    [InlineData(10f, -3f, -4f)]
    [InlineData(5f, -3f, -4f)] // exactly at the norm: min(1, 5/5) = 1
    public void Global_clip_norm_scales_all_gradients_by_hand(float clipNorm, float p0, float p1)
    {
        var sgd = new Sgd(1f, globalClipNorm: clipNorm);
        float[] p = new float[2];
        sgd.Update(p, [3f, 4f]);
        Assert.Equal(p0, p[0], 1e-6f);
        Assert.Equal(p1, p[1], 1e-6f);
    }

    [Fact]
    public void Global_clip_norm_spans_the_vector_path_and_the_tail()
    {
        // 19 gradients of 2: norm 2·sqrt(19) = 8.7178. c = 1 scales each to 2/8.7178 = 0.2294157 = 1/sqrt(19).
        var sgd = new Sgd(1f, globalClipNorm: 1f);
        float[] p = new float[19];
        float[] g = Enumerable.Repeat(2f, 19).ToArray();
        sgd.Update(p, g);
        Assert.All(p, v => Assert.Equal(-1 / Math.Sqrt(19), v, 1e-6));
        Assert.Equal(1.0, Math.Sqrt(p.Sum(v => (double)v * v)), 1e-5);
    }

    /// <summary>Each optimizer with clipping equals the same optimizer without it, fed gradients clipped by hand.</summary>
    [Theory]
    [InlineData("sgd-nesterov")]
    [InlineData("adam")]
    [InlineData("adamw")]
    [InlineData("rmsprop-centered-momentum")]
    public void Every_optimizer_clips_as_if_fed_clipped_gradients(string name)
    {
        foreach (bool byNorm in new[] { false, true })
        {
            OptimizerBase clipped = Clipped(name, byNorm);
            OptimizerBase plain = OptimizerStepTests.Create(name);
            (float[] p, float[] g) = OptimizerStepTests.Data(21, seed: 7);
            float[] q = (float[])p.Clone();
            for (int step = 0; step < 3; step++)
            {
                float[] original = (float[])g.Clone();
                clipped.Update(p, g);
                Assert.Equal(original, g); // the caller's gradients are never written
                plain.Update(q, byNorm ? ScaledToNorm(g, 1.5) : g.Select(v => Math.Clamp(v, -0.3f, 0.3f)).ToArray());
                for (int i = 0; i < g.Length; i++) g[i] *= -1.3f;
            }
            for (int i = 0; i < p.Length; i++) Assert.Equal(q[i], p[i], 2e-6f);
            Assert.NotEqual(p, Run(OptimizerStepTests.Create(name), seed: 7)); // clipping changed the result
        }
    }

    [Fact]
    public void A_non_finite_gradient_norm_makes_the_update_nan_as_in_keras()
    {
        var sgd = new Sgd(0.1f, globalClipNorm: 1f);
        float[] p = [1f, 2f];
        sgd.Update(p, [float.PositiveInfinity, 0f]);
        Assert.All(p, v => Assert.True(float.IsNaN(v)));
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Non_positive_or_non_finite_clip_values_are_rejected(float bad)
    {
        Assert.Equal("clipValue", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(clipValue: bad)).ParamName);
        Assert.Equal("globalClipNorm", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(globalClipNorm: bad)).ParamName);
        Assert.Equal("clipValue", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(clipValue: bad)).ParamName);
        Assert.Equal("globalClipNorm", Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp(globalClipNorm: bad)).ParamName);
    }

    [Fact]
    public void Only_one_clipping_mode_may_be_set_as_in_keras()
    {
        var e = Assert.Throws<ArgumentException>(() => new RmsProp(clipValue: 1f, globalClipNorm: 2f));
        Assert.Contains("at most one", e.Message);
        Assert.Contains("clipValue = 1", e.Message);
    }

    private static OptimizerBase Clipped(string name, bool byNorm) => name switch
    {
        "sgd-nesterov" => byNorm ? new Sgd(0.05f, 0.9f, true, globalClipNorm: 1.5f) : new Sgd(0.05f, 0.9f, true, clipValue: 0.3f),
        "adam" => byNorm ? new Adam(0.01f, globalClipNorm: 1.5f) : new Adam(0.01f, clipValue: 0.3f),
        "adamw" => byNorm ? new AdamW(0.01f, 0.1f, globalClipNorm: 1.5f) : new AdamW(0.01f, 0.1f, clipValue: 0.3f),
        _ => byNorm ? new RmsProp(0.01f, momentum: 0.8f, centered: true, globalClipNorm: 1.5f) : new RmsProp(0.01f, momentum: 0.8f, centered: true, clipValue: 0.3f),
    };

    private static float[] ScaledToNorm(float[] g, double c)
    {
        double norm = Math.Sqrt(g.Sum(v => (double)v * v));
        Assert.True(norm > c, $"the test data's norm {norm} must exceed {c}");
        return g.Select(v => (float)(v * (c / norm))).ToArray();
    }

    private static float[] Run(OptimizerBase optimizer, int seed)
    {
        (float[] p, float[] g) = OptimizerStepTests.Data(21, seed);
        for (int step = 0; step < 3; step++)
        {
            optimizer.Update(p, g);
            for (int i = 0; i < g.Length; i++) g[i] *= -1.3f;
        }
        return p;
    }
}
