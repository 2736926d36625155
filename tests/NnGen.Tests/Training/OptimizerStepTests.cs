using System;
using System.Collections.Generic;
using NnGen.Optimizers;

namespace NnGen.Tests.Training;

public class OptimizerStepTests
{
    [Fact]
    public void AdamW_decays_the_weights_before_the_adam_step_by_hand()
    {
        // Keras AdamW, lr 0.1, weight decay 0.5, b1 0.9, b2 0.999, eps 1e-7; p0 = 1, g = 0.5 then g = -1.
        //   t=1: decay p = 1 - 1*0.5*0.1 = 0.95; m = 0.05, v = 0.00025, alpha = 0.1*sqrt(0.001)/0.1 = 0.0316228;
        //        step = 0.0316228*0.05/(0.0158114+1e-7) = 0.0999994; p = 0.95 - 0.0999994 = 0.8500006
        //   t=2: decay p = 0.8500006*0.95 = 0.8075006; m = 0.045-0.1 = -0.055, v = 0.00024975+0.001 = 0.00124975,
        //        alpha = 0.1*sqrt(0.001999)/0.19 = 0.0235317; step = 0.0235317*-0.055/(0.0353518+1e-7) = -0.0366102;
        //        p = 0.8075006 + 0.0366102 = 0.8441108
        var adamW = new AdamW(0.1f, weightDecay: 0.5f);
        float[] p = [1f];
        adamW.Update(p, [0.5f]);
        Assert.Equal(0.8500006, p[0], 1e-6);
        adamW.Update(p, [-1f]);
        Assert.Equal(0.8441108, p[0], 1e-6);
    }

    [Fact]
    public void AdamW_has_the_keras_defaults_and_is_an_adam()
    {
        var adamW = new AdamW();
        Assert.Equal((1e-3f, 0.004f, 0.9f, 0.999f, 1e-7f), (adamW.LearningRate, adamW.WeightDecay, adamW.Beta1, adamW.Beta2, adamW.Epsilon));
        Assert.IsAssignableFrom<Adam>(adamW);
    }

    [Fact]
    public void AdamW_with_zero_decay_is_adam_bit_for_bit()
    {
        (float[] p, float[] g) = Data(19, seed: 3);
        float[] q = (float[])p.Clone();
        var adam = new Adam(0.01f);
        var adamW = new AdamW(0.01f, weightDecay: 0f);
        for (int step = 0; step < 4; step++)
        {
            adam.Update(p, g);
            adamW.Update(q, g);
        }
        Assert.Equal(p, q);
    }

    [Fact]
    public void RmsProp_matches_the_keras_docstring_example()
    {
        // keras.optimizers.RMSprop(learning_rate=0.1) on loss = var1² / 2 from var1 = 10 (gradient 10) gives 9.683772:
        // v = 0.1*100 = 10; p = 10 - 0.1*10/sqrt(10 + 1e-7) = 9.6837722
        var rms = new RmsProp(0.1f);
        float[] p = [10f];
        rms.Update(p, [p[0]]);
        Assert.Equal(9.683772, p[0], 1e-6);
    }

    [Theory]
    // momentum 0.9, g = 10, 10:  v = 10, inc = 1/sqrt(10) = 0.3162278, u = 0.3162278, p = 9.6837722;
    //                            v = 9 + 10 = 19, inc = 1/sqrt(19) = 0.2294157, u = 0.2846050 + 0.2294157 = 0.5140207, p = 9.1697515
    [InlineData(0.9f, false, 10f, 10f, 9.6837722, 9.1697515)]
    // centered, g = 10, -5:      v = 10, a = 1, d = 9 + 1e-7, inc = 1/3, p = 9.6666667;
    //                            v = 9 + 2.5 = 11.5, a = 0.9 - 0.5 = 0.4, d = 11.5 - 0.16 = 11.34, inc = -0.5/3.3674916 = -0.1484785, p = 9.8151451
    [InlineData(0f, true, 10f, -5f, 9.6666667, 9.8151451)]
    // centered, momentum 0.5:    as above, then u = 1/3, p = 9.6666667; u = 0.1666667 - 0.1484785 = 0.0181882, p = 9.6484785
    [InlineData(0.5f, true, 10f, -5f, 9.6666667, 9.6484785)]
    public void RmsProp_momentum_and_centered_match_hand_computed_steps(float momentum, bool centered, float g1, float g2, double p1, double p2)
    {
        var rms = new RmsProp(0.1f, rho: 0.9f, momentum: momentum, centered: centered);
        float[] p = [10f];
        rms.Update(p, [g1]);
        Assert.Equal(p1, p[0], 1e-5);
        rms.Update(p, [g2]);
        Assert.Equal(p2, p[0], 1e-5);
        Assert.Equal(2, rms.Iterations);
    }

    [Fact]
    public void Reset_forgets_the_state_so_the_next_step_is_a_first_step_again()
    {
        foreach (OptimizerBase optimizer in Optimizers())
        {
            float[] first = [1f, -2f];
            optimizer.Update(first, [0.5f, 0.25f]);
            optimizer.Update(first, [0.3f, -0.1f]);
            optimizer.Reset();
            Assert.Equal(0, optimizer.Iterations);
            float[] again = [1f, -2f];
            optimizer.Update(again, [0.5f, 0.25f]);
            float[] fresh = [1f, -2f];
            Fresh(optimizer).Update(fresh, [0.5f, 0.25f]);
            Assert.Equal(fresh, again);
        }
    }

    /// <summary>
    /// 19 parameters run through two 8-wide vectors and a 3-element scalar tail; each must end bit-for-bit where a
    /// 1-parameter run (all scalar) of the same optimizer ends.
    /// </summary>
    [Theory]
    [MemberData(nameof(Configurations))]
    public void Vector_path_and_scalar_tail_agree_bit_for_bit(string name)
    {
        (float[] p, float[] g) = Data(19, seed: 11);
        float[] start = (float[])p.Clone();
        OptimizerBase vectorised = Create(name);
        for (int step = 0; step < 5; step++)
        {
            vectorised.Update(p, g);
            for (int i = 0; i < g.Length; i++) g[i] = -0.7f * g[i] + 0.1f * i; // new gradients each step
        }
        (_, float[] g0) = Data(19, seed: 11);
        for (int i = 0; i < 19; i++)
        {
            OptimizerBase scalar = Create(name);
            float[] pi = [start[i]];
            float gi = g0[i];
            for (int step = 0; step < 5; step++)
            {
                scalar.Update(pi, [gi]);
                gi = -0.7f * gi + 0.1f * i;
            }
            Assert.True(BitConverter.SingleToInt32Bits(pi[0]) == BitConverter.SingleToInt32Bits(p[i]),
                $"{name}: parameter {i} is {p[i]:R} after the vectorised pass but {pi[0]:R} after the scalar one");
            Assert.NotEqual(start[i], p[i]);
        }
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Updates_allocate_nothing_after_the_first(string name)
    {
        OptimizerBase optimizer = Create(name);
        (float[] p, float[] g) = Data(1000, seed: 5);
        optimizer.Update(p, g);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 50; i++) optimizer.Update(p, g);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Mismatched_lengths_and_bad_hyperparameters_are_rejected_with_their_names()
    {
        var e = Assert.Throws<ArgumentException>(() => new RmsProp().Update(new float[3], new float[2]));
        Assert.Contains("(3)", e.Message);
        Assert.Equal("rho", Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp(rho: 1f)).ParamName);
        Assert.Equal("momentum", Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp(momentum: -0.1f)).ParamName);
        Assert.Equal("weightDecay", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(weightDecay: -1f)).ParamName);
        Assert.Equal("learningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(float.NaN)).ParamName);
        Assert.Equal("beta1", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(beta1: 1f)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam().LearningRate = -1f);
    }

    public static TheoryData<string> Configurations() => new(
        "sgd", "sgd-momentum", "sgd-nesterov", "adam", "adamw", "rmsprop", "rmsprop-momentum", "rmsprop-centered", "rmsprop-centered-momentum",
        "sgd-momentum clip-value", "adamw clip-value", "rmsprop-centered-momentum clip-value");

    /// <summary>An optimizer by name; " clip-value" adds clipValue 0.3 (the data has gradients beyond it).</summary>
    internal static OptimizerBase Create(string name)
    {
        float? clip = name.EndsWith(" clip-value", StringComparison.Ordinal) ? 0.3f : null;
        return name.Split(' ')[0] switch
        {
            "sgd" => new Sgd(0.05f, clipValue: clip),
            "sgd-momentum" => new Sgd(0.05f, momentum: 0.9f, clipValue: clip),
            "sgd-nesterov" => new Sgd(0.05f, momentum: 0.9f, nesterov: true, clipValue: clip),
            "adam" => new Adam(0.01f, clipValue: clip),
            "adamw" => new AdamW(0.01f, weightDecay: 0.1f, clipValue: clip),
            "rmsprop" => new RmsProp(0.01f, clipValue: clip),
            "rmsprop-momentum" => new RmsProp(0.01f, momentum: 0.8f, clipValue: clip),
            "rmsprop-centered" => new RmsProp(0.01f, centered: true, clipValue: clip),
            "rmsprop-centered-momentum" => new RmsProp(0.01f, momentum: 0.8f, centered: true, clipValue: clip),
            _ => throw new ArgumentException(name),
        };
    }

    internal static IEnumerable<OptimizerBase> Optimizers() =>
        [new Sgd(0.1f), new Sgd(0.1f, 0.9f), new Sgd(0.1f, 0.9f, nesterov: true), new Adam(0.1f), new AdamW(0.1f, 0.2f),
         new RmsProp(0.1f), new RmsProp(0.1f, momentum: 0.5f, centered: true)];

    private static OptimizerBase Fresh(OptimizerBase o) => o switch
    {
        Sgd s => new Sgd(s.LearningRate, s.Momentum, s.Nesterov),
        AdamW a => new AdamW(a.LearningRate, a.WeightDecay, a.Beta1, a.Beta2, a.Epsilon),
        Adam a => new Adam(a.LearningRate, a.Beta1, a.Beta2, a.Epsilon),
        RmsProp r => new RmsProp(r.LearningRate, r.Rho, r.Momentum, r.Epsilon, r.Centered),
        _ => throw new ArgumentException(o.GetType().Name),
    };

    /// <summary>Parameters in [-1, 1) and gradients in [-2, 2), so some exceed a clip value of 0.3.</summary>
    internal static (float[] P, float[] G) Data(int n, int seed)
    {
        var rng = new Rng(seed);
        var p = new float[n];
        var g = new float[n];
        for (int i = 0; i < n; i++)
        {
            p[i] = rng.NextFloat(-1, 1);
            g[i] = rng.NextFloat(-2, 2);
        }
        return (p, g);
    }
}
