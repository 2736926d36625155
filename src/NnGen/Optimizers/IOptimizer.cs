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

    public static float[] State(ref float[]? state, int length)
    {
        if (state is null || state.Length != length) state = new float[length];
        return state;
    }
}
