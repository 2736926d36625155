using System;
using NnGen.Optimizers;
using NnGen.Tests.Networks;

namespace NnGen.Tests.Numerics;

public class OptimizerTests
{
    [Fact]
    public void Adam_matches_hand_computed_steps()
    {
        // Keras Adam, lr 0.1, b1 0.9, b2 0.999, eps 1e-7. By hand for g = 0.5 then g = -1, p0 = 1:
        //   t=1: m = 0.05, v = 0.00025, alpha = 0.1*sqrt(0.001)/0.1 = 0.0316228; p = 1 - 0.0316228*0.05/(0.0158114+1e-7) = 0.9000001
        //   t=2: m = 0.045-0.1 = -0.055, v = 0.00024975+0.001 = 0.00124975, alpha = 0.1*sqrt(0.001999)/0.19 = 0.0235326;
        //        p = 0.9000001 + 0.0235326*0.055/(0.0353518+1e-7) = 0.9366130
        var adam = new Adam(0.1f);
        float[] p = [1f];
        adam.Update(p, [0.5f]);
        Assert.Equal(0.9000001, p[0], 1e-6);
        adam.Update(p, [-1f]);
        Assert.Equal(0.9366130, p[0], 1e-5);
        Assert.Equal(2, adam.Iterations);
    }

    [Fact]
    public void Adam_vector_path_and_scalar_tail_agree()
    {
        // 19 parameters: two 8-wide vectors and a 3-element scalar tail, all with the same gradient.
        var adam = new Adam();
        float[] p = new float[19], g = new float[19];
        Array.Fill(p, 0.25f);
        Array.Fill(g, -0.3f);
        for (int step = 0; step < 5; step++) adam.Update(p, g);
        Assert.All(p, v => Assert.Equal(p[0], v));
        Assert.True(p[0] > 0.25f + 4.9e-3f); // 5 steps of about lr each, up-hill against the negative gradient
    }

    public static TheoryData<string> Optimizers => ["adam", "adamw", "rmsprop", "sgd"];

    private static IOptimizer Create(string kind) => kind switch
    {
        "adam" => new Adam(learningRate: 0.01f, clipValue: 0.4f),
        "adamw" => new AdamW(learningRate: 0.01f, weightDecay: 0.1f),
        "rmsprop" => new RmsProp(learningRate: 0.01f, momentum: 0.5f, centered: true),
        _ => new Sgd(learningRate: 0.1f, momentum: 0.9f, nesterov: true),
    };

    /// <summary>
    /// A block long enough to be split over the worker pool (OptimizerBase updates 65,536 parameters or more in parts,
    /// each with its own offset into the optimizer's state) gives, bit for bit, what the same optimizer gives a short
    /// block run in one pass: windows at the start, around the two-part and three-part boundaries, and at the end.
    /// </summary>
    [Theory]
    [MemberData(nameof(Optimizers))]
    public void A_split_update_equals_one_pass_on_every_part(string kind)
    {
        // Repeated, spread over half a second: a section runs serially while another test's section holds the pool or
        // the stall policy is in a serial spell, and the check must see at least one real split.
        for (int repetition = 0; repetition < 20; repetition++)
        {
            SplitUpdateEqualsOnePass(kind, repetition);
            System.Threading.Thread.Sleep(25);
        }
    }

    private static void SplitUpdateEqualsOnePass(string kind, int seed)
    {
        const int n = 3 * 65_536 + 5, window = 64;
        var rng = new Random(kind.Length * 100 + seed);
        float[] p = new float[n];
        for (int i = 0; i < n; i++) p[i] = (float)(rng.NextDouble() - 0.5);
        IOptimizer whole = Create(kind);
        var gradients = new float[3][];
        float[] start = (float[])p.Clone();
        for (int step = 0; step < 3; step++)
        {
            gradients[step] = new float[n];
            for (int i = 0; i < n; i++) gradients[step][i] = (float)(rng.NextDouble() - 0.5);
            whole.Update(p, gradients[step]);
        }
        foreach (int from in new[] { 0, n / 2 - window / 2, n / 3 - window / 2, 2 * n / 3 - window / 2, n - window })
        {
            IOptimizer part = Create(kind);
            float[] q = start.AsSpan(from, window).ToArray();
            for (int step = 0; step < 3; step++) part.Update(q, gradients[step].AsSpan(from, window));
            for (int i = 0; i < window; i++)
                Assert.True(BitConverter.SingleToInt32Bits(q[i]) == BitConverter.SingleToInt32Bits(p[from + i]),
                    $"{kind}, parameter {from + i}: split update {p[from + i]:R}, one pass {q[i]:R}");
        }
        Assert.NotEqual(start[n - 1], p[n - 1]); // the last part was updated at all
    }

    private sealed class Fixed(float rate) : LearningRateSchedule
    {
        public override float GetLearningRate(long step) => rate;
    }

    [Theory]
    [InlineData(-1e-3f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void A_schedule_that_returns_a_negative_or_non_finite_rate_stops_the_update_before_it_changes_anything(float rate)
    {
        var adam = new Adam { Schedule = new Fixed(rate) };
        float[] p = [0.5f, -0.25f];
        var e = Assert.Throws<InvalidOperationException>(() => adam.Update(p, [0.1f, 0.2f]));
        Assert.Contains($"returned {rate} for step 0", e.Message);
        Assert.Contains("Fixed", e.Message);
        Assert.Equal([0.5f, -0.25f], p);
        Assert.Equal(0, adam.Iterations);
    }

    [Fact]
    public void A_schedule_may_return_zero_which_leaves_the_parameters_as_they_are()
    {
        var adam = new Adam { Schedule = new Fixed(0f) };
        float[] p = [0.5f, -0.25f];
        adam.Update(p, [0.1f, 0.2f]);
        Assert.Equal([0.5f, -0.25f], p);
        Assert.Equal(1, adam.Iterations);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    public void A_clip_value_or_norm_that_is_not_positive_and_finite_is_refused_by_name(float value)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(clipValue: value));
        Assert.Equal("clipValue", e.ParamName);
        Assert.Contains("clipValue must be a positive, finite number", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(globalClipNorm: value));
        Assert.Equal("globalClipNorm", e.ParamName);
        Assert.Contains("globalClipNorm must be a positive, finite number", e.Message);
    }

    [Theory]
    [InlineData(0f, false, new[] { 0.95f, 0.9f, 0.85f })]          // p -= lr*g with g = 0.5, lr = 0.1
    [InlineData(0.9f, false, new[] { 0.95f, 0.855f, 0.7195f })]   // u = 0.9u - 0.05; p += u
    [InlineData(0.9f, true, new[] { 0.905f, 0.7695f, 0.59755f })]  // p += 0.9u - 0.05 after updating u
    public void Sgd_matches_hand_computed_steps(float momentum, bool nesterov, float[] expected)
    {
        var sgd = new Sgd(0.1f, momentum, nesterov);
        float[] p = [1f];
        foreach (float e in expected)
        {
            sgd.Update(p, [0.5f]);
            Assert.Equal(e, p[0], 1e-5f);
        }
    }

    [Fact]
    public void One_fit_step_on_a_tiny_network_applies_the_sgd_update_to_its_gradients()
    {
        var net = new RegressionNet(seed: 4); // SGD, lr 0.01, momentum 0.5 as declared
        INetwork n = net;
        (float[] x, float[] y) = TestData.Batch(n, rows: 4, seed: 5);
        float[] before = net.Parameters.ToArray();
        n.ComputeGradients(x, y, out _);
        float[] g = n.Gradients.ToArray();
        n.Optimizer.Reset();
        n.Fit(x, y, epochs: 1, batchSize: 4, shuffle: false, verbose: 0);
        for (int i = 0; i < before.Length; i++)
            Assert.Equal(before[i] - 0.01f * g[i], net.Parameters[i], 1e-6f); // first step: u = -lr*g
        var sgd = Assert.IsType<Sgd>(n.Optimizer);
        Assert.Equal(0.5f, sgd.Momentum);
    }

    [Fact]
    public void Declared_optimizer_settings_reach_the_generated_network()
    {
        var adam = Assert.IsType<Adam>(((INetwork)new MnistMlp()).Optimizer);
        Assert.Equal((1e-3f, 0.9f, 0.999f, 1e-7f), (adam.LearningRate, adam.Beta1, adam.Beta2, adam.Epsilon));
        var sgd = Assert.IsType<Sgd>(((INetwork)new BinaryNet()).Optimizer);
        Assert.Equal((0.01f, 0.9f, true), (sgd.LearningRate, sgd.Momentum, sgd.Nesterov));
        Assert.Equal(0.05f, ((INetwork)new OddMlp()).Optimizer.LearningRate);
    }
}

public class DeclaredOptimizerTests
{
    [Fact]
    public void AdamW_rmsprop_and_clipping_declared_on_the_attribute_reach_the_network()
    {
        var adamW = Assert.IsType<AdamW>(((INetwork)new AdamWNet()).Optimizer);
        Assert.Equal((1e-3f, 0.01f, 1.5f), (adamW.LearningRate, adamW.WeightDecay, adamW.GlobalClipNorm!.Value));
        Assert.Null(adamW.ClipValue);
        var rms = Assert.IsType<RmsProp>(((INetwork)new RmsPropNet()).Optimizer);
        Assert.Equal((0.002f, 0.8f, 0.1f, 0.5f), (rms.LearningRate, rms.Rho, rms.Momentum, rms.ClipValue!.Value));
        Assert.Null(rms.GlobalClipNorm);
    }
}
