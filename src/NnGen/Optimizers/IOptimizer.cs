using System;

namespace NnGen.Optimizers;

/// <summary>Updates parameters from their gradients, one batch at a time, in place.</summary>
public interface IOptimizer
{
    /// <summary>Current learning rate; callbacks and schedules may change it between batches.</summary>
    float LearningRate { get; set; }

    /// <summary>Number of updates applied so far.</summary>
    long Iterations { get; }

    /// <summary>Applies one update. The first call allocates the optimizer's state for <paramref name="parameters"/>'s length; later calls allocate nothing.</summary>
    void Update(Span<float> parameters, ReadOnlySpan<float> gradients);

    /// <summary>
    /// Applies one update to the parameters in <paramref name="ranges"/> only, as <c>Fit</c> does when layers are frozen: one step
    /// (<see cref="Iterations"/> grows by one), in which each range is updated exactly as by <see cref="Update(Span{float}, ReadOnlySpan{float})"/>,
    /// and the parameters outside the ranges are left as they are. The built-in optimizers (<see cref="OptimizerBase"/>) also leave the
    /// state (moments) of the parameters outside untouched, cost nothing for them, and clip by the global norm of the gradients inside.
    /// </summary>
    /// <remarks>
    /// This default, for optimizers of your own, runs the full update and then restores the parameters outside the ranges (so
    /// it allocates a copy of them each call, and the optimizer's own state for them moves as with any update).
    /// </remarks>
    /// <param name="parameters">The whole parameter block.</param>
    /// <param name="gradients">Its gradients, the same length.</param>
    /// <param name="ranges">Where the parameters to update are: in increasing order, not overlapping, within the block.</param>
    /// <exception cref="ArgumentException">The lengths differ, or a range is out of order, overlaps another or lies outside the block.</exception>
    void Update(Span<float> parameters, ReadOnlySpan<float> gradients, ReadOnlySpan<ParameterRange> ranges)
    {
        OptimizerChecks.SameLength(parameters, gradients);
        OptimizerChecks.Ranges(ranges, parameters.Length);
        float[] kept = parameters.ToArray();
        Update(parameters, gradients);
        int at = 0;
        foreach (ParameterRange r in ranges)
        {
            kept.AsSpan(at, r.Offset - at).CopyTo(parameters[at..]);
            at = r.Offset + r.Length;
        }
        kept.AsSpan(at).CopyTo(parameters[at..]);
    }

    /// <summary>Forgets the state (moments, step count), as for a fresh optimizer.</summary>
    void Reset();
}

/// <summary>A contiguous part of a parameter block: <see cref="Length"/> parameters from <see cref="Offset"/>.</summary>
public readonly record struct ParameterRange(int Offset, int Length);

internal static class OptimizerChecks
{
    public static void SameLength(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        if (parameters.Length != gradients.Length)
            throw new ArgumentException($"Expected as many gradients as parameters ({parameters.Length}), but got {gradients.Length}.", nameof(gradients));
    }

    /// <summary>Ranges in increasing order, not overlapping, inside a block of <paramref name="length"/>.</summary>
    public static void Ranges(ReadOnlySpan<ParameterRange> ranges, int length)
    {
        int end = 0;
        for (int i = 0; i < ranges.Length; i++)
        {
            ParameterRange r = ranges[i];
            bool inside = r.Offset >= 0 && r.Length >= 0 && r.Offset <= length - r.Length;
            if (!inside || r.Offset < end)
                throw new ArgumentException(
                    $"Range {i} (offset {r.Offset}, length {r.Length}) is {(inside ? $"before the end of the range before it ({end})" : $"not inside the {length} parameters")}: ranges must be in increasing order, not overlap, and lie inside the block.",
                    nameof(ranges));
            end = r.Offset + r.Length;
        }
    }

    /// <summary>A decay or momentum factor: in [0, 1).</summary>
    public static float Fraction(float value, string name) =>
        value >= 0 && value < 1 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1).");

    /// <summary>A rate (learning rate, weight decay): finite and 0 or more.</summary>
    public static float NonNegative(float value, string name) =>
        value >= 0 && float.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and 0 or more.");

    /// <summary>A count of steps or epochs: 1 or more.</summary>
    public static long Positive(long value, string name) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");

    public static float[] State(ref float[]? state, int length)
    {
        if (state is null || state.Length != length) state = new float[length];
        return state;
    }
}
