using System;
using System.Numerics.Tensors;

namespace NnGen.Optimizers;

/// <summary>
/// Stochastic gradient descent, as Keras computes it. Plain: <c>p -= lr·g</c>. With momentum:
/// <c>u = momentum·u - lr·g; p += u</c>; with Nesterov: <c>p += momentum·u - lr·g</c> (after updating u).
/// </summary>
public sealed class Sgd : IOptimizer
{
    private float[]? _velocity;

    /// <summary>Creates SGD; Keras's default learning rate is 0.01.</summary>
    public Sgd(float learningRate = 0.01f, float momentum = 0f, bool nesterov = false)
    {
        if (momentum < 0 || momentum >= 1) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be in [0, 1).");
        LearningRate = learningRate;
        Momentum = momentum;
        Nesterov = nesterov;
    }

    /// <inheritdoc/>
    public float LearningRate { get; set; }
    /// <summary>Momentum factor (0 = none).</summary>
    public float Momentum { get; }
    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }
    /// <inheritdoc/>
    public long Iterations { get; private set; }

    /// <inheritdoc/>
    public void Reset()
    {
        Iterations = 0;
        _velocity = null;
    }

    /// <inheritdoc/>
    public void Update(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        OptimizerChecks.SameLength(parameters, gradients);
        Iterations++;
        if (Momentum == 0)
        {
            // p = p + (-lr) * g
            TensorPrimitives.MultiplyAdd(gradients, -LearningRate, parameters, parameters);
            return;
        }
        Span<float> u = OptimizerChecks.State(ref _velocity, parameters.Length);
        // u = momentum * u - lr * g
        TensorPrimitives.Multiply(u, Momentum, u);
        TensorPrimitives.MultiplyAdd(gradients, -LearningRate, u, u);
        if (!Nesterov)
        {
            TensorPrimitives.Add(parameters, u, parameters);
            return;
        }
        // p += momentum * u - lr * g
        TensorPrimitives.MultiplyAdd(u, Momentum, parameters, parameters);
        TensorPrimitives.MultiplyAdd(gradients, -LearningRate, parameters, parameters);
    }
}
