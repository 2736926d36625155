using System;

namespace NnGen;

/// <summary>
/// Inverted dropout (Keras's <c>Dropout</c>): in training each value is zeroed with probability <c>rate</c> and the rest
/// are scaled by <c>1 / (1 - rate)</c>; in inference it passes values through. Deterministic for the network's seed.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DropoutAttribute(double rate) : Attribute
{
    /// <summary>Fraction of the inputs to drop, in [0, 1).</summary>
    public double Rate { get; } = rate;

    /// <summary>Layer name; default <c>dropout</c>, <c>dropout_1</c>, ...</summary>
    public string? Name { get; set; }
}

/// <summary>
/// Batch normalisation (Keras's <c>BatchNormalization</c>): in training, normalises each feature with the batch's mean
/// and variance and updates moving averages of both; in inference, uses the moving averages. Trainable scale (gamma,
/// initially 1) and offset (beta, initially 0).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class BatchNormalizationAttribute : Attribute
{
    /// <summary>Moving-average momentum. Default 0.99.</summary>
    public double Momentum { get; set; } = 0.99;

    /// <summary>Added to the variance. Default 1e-3.</summary>
    public double Epsilon { get; set; } = 1e-3;

    /// <summary>Layer name; default <c>batch_normalization</c>, <c>batch_normalization_1</c>, ...</summary>
    public string? Name { get; set; }
}

/// <summary>An activation as a layer of its own (Keras's <c>Activation</c>), e.g. after <see cref="BatchNormalizationAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ActivationAttribute(Activation activation) : Attribute
{
    /// <summary>The activation function.</summary>
    public Activation Activation { get; } = activation;

    /// <summary>Layer name; default <c>activation</c>, <c>activation_1</c>, ...</summary>
    public string? Name { get; set; }
}
