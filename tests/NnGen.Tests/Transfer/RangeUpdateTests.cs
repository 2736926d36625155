using System;
using System.Linq;
using NnGen.Optimizers;

namespace NnGen.Tests.Transfer;

/// <summary>The optimizer's update of trainable ranges only, as Fit runs it when layers are frozen.</summary>
public class RangeUpdateTests
{
    public static TheoryData<string> Optimizers => ["adam", "adamw", "rmsprop", "sgd", "adam-global-norm"];

    private static IOptimizer Create(string kind) => kind switch
    {
        "adam" => new Adam(learningRate: 0.01f, clipValue: 0.4f),
        "adamw" => new AdamW(learningRate: 0.01f, weightDecay: 0.1f),
        "rmsprop" => new RmsProp(learningRate: 0.01f, momentum: 0.5f, centered: true),
        "adam-global-norm" => new Adam(learningRate: 0.01f, globalClipNorm: 1f),
        _ => new Sgd(learningRate: 0.1f, momentum: 0.9f, nesterov: true),
    };

    // Long enough that the first and last ranges are split over the worker pool (from 65,536 parameters), with short ones between.
    private const int Length = 200_003;
    private static readonly ParameterRange[] Ranges = [new(0, 70_001), new(70_010, 3), new(80_000, 17), new(100_000, 100_003)];

    private static bool Inside(int i) => Ranges.Any(r => i >= r.Offset && i < r.Offset + r.Length);

    private static float[] Random(int seed, float low, float high)
    {
        var rng = new Rng(seed);
        var values = new float[Length];
        for (int i = 0; i < Length; i++) values[i] = rng.NextFloat(low, high);
        return values;
    }

    /// <summary>
    /// Three steps over the ranges give, bit for bit, what three full updates give inside them (the gradients outside are zero, as
    /// Fit leaves a frozen layer's; for the global norm that is what makes the norms equal), and leave every parameter outside as it was.
    /// </summary>
    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Updating_ranges_equals_the_full_update_inside_them_and_leaves_the_rest_unchanged(string kind)
    {
        float[] start = Random(1, -1, 1);
        float[] full = (float[])start.Clone(), ranged = (float[])start.Clone();
        IOptimizer a = Create(kind), b = Create(kind);
        for (int step = 0; step < 3; step++)
        {
            float[] g = Random(10 + step, -0.3f, 0.3f);
            for (int i = 0; i < Length; i++) if (!Inside(i)) g[i] = 0;
            a.Update(full, g);
            b.Update(ranged, g, Ranges);
        }
        Assert.Equal(3, b.Iterations);
        int inside = 0;
        for (int i = 0; i < Length; i++)
        {
            if (Inside(i))
            {
                // Assert.Equal on floats is exact. The global norm is summed range by range, not in one pass over the block: the same
                // value up to rounding, so the clipped step may differ in the last bit.
                if (kind == "adam-global-norm") Assert.Equal(full[i], ranged[i], 1e-6f);
                else Assert.Equal(full[i], ranged[i]);
                inside++;
            }
            else Assert.Equal(start[i], ranged[i]);
        }
        Assert.True(inside > 170_000);
        Assert.True(full.Where((_, i) => Inside(i)).Zip(start.Where((_, i) => Inside(i))).Count(p => p.First != p.Second) > inside / 2);
    }

    /// <summary>
    /// The optimizer state outside the ranges is not touched either: after steps with non-zero gradients everywhere, a full step
    /// with zero gradients leaves the outside parameters where they are (their momentum and moments are still zero), while the
    /// inside ones keep moving on their momentum.
    /// </summary>
    [Theory]
    [InlineData("adam")]
    [InlineData("rmsprop")]
    [InlineData("sgd")]
    public void The_state_of_parameters_outside_the_ranges_stays_untouched(string kind)
    {
        float[] p = Random(2, -1, 1);
        IOptimizer o = Create(kind);
        for (int step = 0; step < 3; step++) o.Update(p, Random(20 + step, -0.3f, 0.3f), Ranges);
        float[] before = (float[])p.Clone();
        o.Update(p, new float[Length]);
        for (int i = 0; i < Length; i++)
            if (!Inside(i)) Assert.Equal(before[i], p[i]);
        Assert.True(Enumerable.Range(0, Length).Count(i => Inside(i) && p[i] != before[i]) > 170_000);
    }

    [Fact]
    public void Ranges_out_of_order_overlapping_or_outside_the_block_are_refused_before_anything_changes()
    {
        var sgd = new Sgd(0.1f);
        float[] p = [1, 2, 3, 4], g = [1, 1, 1, 1];
        Assert.Contains("Range 1 (offset 1, length 1) is before the end of the range before it (2)",
            Assert.Throws<ArgumentException>(() => sgd.Update(p, g, [new(0, 2), new(1, 1)])).Message);
        Assert.Contains("Range 0 (offset 3, length 2) is not inside the 4 parameters",
            Assert.Throws<ArgumentException>(() => sgd.Update(p, g, [new(3, 2)])).Message);
        Assert.Throws<ArgumentException>(() => sgd.Update(p, g, [new(-1, 2)]));
        Assert.Throws<ArgumentException>(() => sgd.Update(p, g, [new(1, -1)]));
        Assert.Throws<ArgumentException>(() => sgd.Update(p, new float[3], [new(0, 1)]));
        Assert.Equal([1f, 2, 3, 4], p);
        Assert.Equal(0, sgd.Iterations);
        sgd.Update(p, g, [new(0, 1), new(1, 1), new(4, 0)]); // adjacent and empty ranges are fine
        Assert.Equal([0.9f, 1.9f, 3, 4], p);
    }

    /// <summary>An optimizer of the user's own gets the default: the full update, then the parameters outside restored.</summary>
    [Fact]
    public void A_custom_optimizer_gets_a_default_that_restores_the_parameters_outside()
    {
        IOptimizer custom = new AddOne();
        float[] p = [0, 0, 0, 0, 0];
        custom.Update(p, new float[5], [new(1, 2)]);
        Assert.Equal([0f, 1, 1, 0, 0], p);
        custom.Update(p, new float[5], [new(0, 1), new(4, 1)]);
        Assert.Equal([1f, 1, 1, 0, 1], p);
    }

    private sealed class AddOne : IOptimizer
    {
        public float LearningRate { get; set; }
        public long Iterations { get; private set; }
        public void Update(Span<float> parameters, ReadOnlySpan<float> gradients) { foreach (ref float v in parameters) v += 1; Iterations++; }
        public void Reset() { }
    }
}
