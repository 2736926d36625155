using System;
using System.Linq;

namespace NnGen.Tests.Training;

public class InitializerTests
{
    private const int N = 200_000, FanIn = 300, FanOut = 100;

    /// <summary>Keras's target variance scale / fan for each random initialiser (fan-in 300, fan-out 100).</summary>
    public static TheoryData<Initializer, double, bool> Random() => new()
    {
        { Initializer.GlorotUniform, 2.0 / (FanIn + FanOut), false },
        { Initializer.GlorotNormal, 2.0 / (FanIn + FanOut), true },
        { Initializer.HeUniform, 2.0 / FanIn, false },
        { Initializer.HeNormal, 2.0 / FanIn, true },
        { Initializer.LecunUniform, 1.0 / FanIn, false },
        { Initializer.LecunNormal, 1.0 / FanIn, true },
    };

    /// <summary>
    /// Mean and variance over 200,000 draws within 5 standard errors: the mean's is sqrt(var / n); the variance's is
    /// var·sqrt((kurtosis - 1) / n), at most var·sqrt(2 / n) since both the uniform (kurtosis 1.8) and the normal truncated
    /// at 2σ (2.36) have kurtosis below 3.
    /// </summary>
    [Theory]
    [MemberData(nameof(Random))]
    public void Mean_and_variance_match_keras_within_sampling_error(Initializer kind, double variance, bool normal)
    {
        float[] w = Draw(kind, seed: 1);
        double mean = w.Average(v => (double)v);
        double sampleVariance = w.Sum(v => (v - mean) * (v - mean)) / (N - 1);
        Assert.InRange(mean, -5 * Math.Sqrt(variance / N), 5 * Math.Sqrt(variance / N));
        Assert.InRange(sampleVariance, variance * (1 - 5 * Math.Sqrt(2.0 / N)), variance * (1 + 5 * Math.Sqrt(2.0 / N)));
        Assert.Equal(normal ? "normal" : "uniform", Shape(w, variance, normal));
    }

    [Theory]
    [MemberData(nameof(Random))]
    public void Values_stay_within_the_keras_limits_and_reach_them(Initializer kind, double variance, bool normal)
    {
        float[] w = Draw(kind, seed: 2);
        // Uniform: limit sqrt(3·variance). Truncated normal: 2 σ with σ = sqrt(variance) / 0.8796.
        double limit = normal ? 2 * Math.Sqrt(variance) / 0.87962566103423978 : Math.Sqrt(3 * variance);
        double largest = w.Max(v => Math.Abs((double)v));
        Assert.True(largest <= limit * (1 + 1e-6), $"{kind}: |w| reached {largest}, beyond the limit {limit}");
        // Uniform: all 200,000 stay below 99.99% of the limit with chance 0.9999^200000 = e^-20. Truncated normal: each
        // draw lies beyond 95% of the limit (1.9σ) with chance 0.0125, so all stay below it with chance e^-2500.
        double reach = normal ? 0.95 : 0.9999;
        Assert.True(largest > limit * reach, $"{kind}: |w| only reached {largest} of the limit {limit}");
    }

    [Fact]
    public void Glorot_uniform_keeps_its_original_limit_and_draws()
    {
        // U(-l, l), l = sqrt(6 / (fanIn + fanOut)), one NextFloat per weight: the generated networks' weights must not change.
        var rng = new Rng(9);
        float[] w = new float[10];
        Initializers.GlorotUniform(w, 3, 5, ref rng);
        var expected = new Rng(9);
        float limit = MathF.Sqrt(6f / 8);
        Assert.All(w, v => Assert.Equal(expected.NextFloat(-limit, limit), v));
    }

    [Theory]
    [InlineData(Initializer.Zeros, 0f)]
    [InlineData(Initializer.Ones, 1f)]
    public void Constant_initializers_fill_and_leave_the_random_numbers_alone(Initializer kind, float value)
    {
        var rng = new Rng(3);
        float[] w = Enumerable.Repeat(0.5f, 17).ToArray();
        Initializers.Initialize(kind, w, 4, 5, ref rng);
        Assert.All(w, v => Assert.Equal(value, v));
        Assert.Equal(new Rng(3).NextUInt(), rng.NextUInt());
    }

    [Theory]
    [InlineData(Initializer.GlorotUniform)]
    [InlineData(Initializer.GlorotNormal)]
    [InlineData(Initializer.HeUniform)]
    [InlineData(Initializer.HeNormal)]
    [InlineData(Initializer.LecunUniform)]
    [InlineData(Initializer.LecunNormal)]
    public void The_same_seed_gives_the_same_weights_and_another_seed_others(Initializer kind)
    {
        Assert.Equal(Draw(kind, seed: 4, n: 1000), Draw(kind, seed: 4, n: 1000));
        Assert.NotEqual(Draw(kind, seed: 4, n: 1000), Draw(kind, seed: 5, n: 1000));
    }

    [Fact]
    public void Dispatch_calls_the_named_initializer()
    {
        (Initializer Kind, Action<float[]> Direct)[] cases =
        [
            (Initializer.GlorotUniform, w => { var r = new Rng(6); Initializers.GlorotUniform(w, 7, 9, ref r); }),
            (Initializer.GlorotNormal, w => { var r = new Rng(6); Initializers.GlorotNormal(w, 7, 9, ref r); }),
            (Initializer.HeUniform, w => { var r = new Rng(6); Initializers.HeUniform(w, 7, ref r); }),
            (Initializer.HeNormal, w => { var r = new Rng(6); Initializers.HeNormal(w, 7, ref r); }),
            (Initializer.LecunUniform, w => { var r = new Rng(6); Initializers.LecunUniform(w, 7, ref r); }),
            (Initializer.LecunNormal, w => { var r = new Rng(6); Initializers.LecunNormal(w, 7, ref r); }),
            (Initializer.Zeros, w => Initializers.Zeros(w)),
            (Initializer.Ones, w => Initializers.Ones(w)),
            (Initializer.Orthogonal, w => { var r = new Rng(6); Initializers.Orthogonal(w, 7, 9, ref r); }),
        ];
        Assert.Equal(Enum.GetValues<Initializer>().Length, cases.Length);
        foreach (var (kind, direct) in cases)
        {
            float[] expected = new float[63], actual = new float[63];
            direct(expected);
            var rng = new Rng(6);
            Initializers.Initialize(kind, actual, 7, 9, ref rng);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Enum_values_are_stable_because_generated_code_uses_them()
    {
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 8],
            new[] { Initializer.GlorotUniform, Initializer.GlorotNormal, Initializer.HeUniform, Initializer.HeNormal,
                    Initializer.LecunUniform, Initializer.LecunNormal, Initializer.Zeros, Initializer.Ones, Initializer.Orthogonal }.Select(k => (int)k));
    }

    [Theory]
    [InlineData(8, 32)]   // a recurrent kernel (units, 4·units): orthonormal rows
    [InlineData(12, 5)]   // tall: orthonormal columns
    [InlineData(6, 6)]    // square: orthogonal
    [InlineData(1, 3)]
    public void Orthogonal_gives_orthonormal_rows_or_columns(int rows, int cols)
    {
        var rng = new Rng(3);
        float[] w = new float[rows * cols];
        Initializers.Orthogonal(w, rows, cols, ref rng);
        bool byRows = rows <= cols;
        int count = byRows ? rows : cols, length = byRows ? cols : rows;
        float At(int vector, int i) => byRows ? w[vector * cols + i] : w[i * cols + vector];
        for (int a = 0; a < count; a++)
            for (int b = 0; b < count; b++)
            {
                double dot = 0;
                for (int i = 0; i < length; i++) dot += At(a, i) * At(b, i);
                Assert.True(Math.Abs(dot - (a == b ? 1 : 0)) < 1e-5, $"({rows}, {cols}): vectors {a} and {b} have dot product {dot}");
            }
        // Random, not a fixed basis: another seed gives other values, and the signs are mixed.
        float[] other = new float[w.Length];
        var rng2 = new Rng(4);
        Initializers.Orthogonal(other, rows, cols, ref rng2);
        Assert.NotEqual(w, other);
        if (w.Length > 4) Assert.True(w.Count(v => v < 0) > 0 && w.Count(v => v > 0) > 0);
    }

    [Fact]
    public void Orthogonal_rejects_a_kernel_of_another_size()
    {
        var e = Assert.Throws<ArgumentException>(() => { var r = new Rng(1); Initializers.Orthogonal(new float[10], 3, 4, ref r); });
        Assert.Contains("3 x 4 = 12", e.Message);
        Assert.Contains("got 10", e.Message);
        Assert.Equal("rows", Assert.Throws<ArgumentOutOfRangeException>(() => { var r = new Rng(1); Initializers.Orthogonal(new float[0], 0, 4, ref r); }).ParamName);
    }

    [Fact]
    public void Bad_fans_and_unknown_kinds_are_rejected()
    {
        float[] w = new float[4];
        Assert.Equal("fanIn", Assert.Throws<ArgumentOutOfRangeException>(() => { var r = new Rng(1); Initializers.HeNormal(w, 0, ref r); }).ParamName);
        Assert.Equal("fanOut", Assert.Throws<ArgumentOutOfRangeException>(() => { var r = new Rng(1); Initializers.GlorotNormal(w, 3, -1, ref r); }).ParamName);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => { var r = new Rng(1); Initializers.Initialize((Initializer)42, w, 3, 3, ref r); });
        Assert.Contains("HeNormal", e.Message);
    }

    private static float[] Draw(Initializer kind, int seed, int n = N)
    {
        var rng = new Rng(seed);
        float[] w = new float[n];
        Initializers.Initialize(kind, w, FanIn, FanOut, ref rng);
        return w;
    }

    /// <summary>
    /// Tells a normal truncated at 2σ from a uniform of the same variance by the share within one σ of the truncated
    /// normal (σ = sqrt(variance) / 0.8796): 0.6827 / 0.9545 = 0.7153 for the truncated normal, 0.5077 for the uniform.
    /// </summary>
    private static string Shape(float[] w, double variance, bool normal)
    {
        double sigma = Math.Sqrt(variance) / 0.87962566103423978;
        double share = w.Count(v => Math.Abs(v) < sigma) / (double)w.Length;
        double expected = normal ? 0.6826895 / 0.9544997 : sigma / Math.Sqrt(3 * variance);
        double tolerance = 5 * Math.Sqrt(expected * (1 - expected) / w.Length);
        return Math.Abs(share - expected) <= tolerance ? (normal ? "normal" : "uniform") : $"share within 1σ {share}, expected {expected} ± {tolerance}";
    }
}
