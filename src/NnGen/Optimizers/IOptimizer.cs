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

    /// <summary>Forgets the state (moments, step count), as for a fresh optimizer.</summary>
    void Reset();
}

internal static class OptimizerChecks
{
    public static void SameLength(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        if (parameters.Length != gradients.Length)
            throw new ArgumentException($"Expected as many gradients as parameters ({parameters.Length}), but got {gradients.Length}.", nameof(gradients));
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
