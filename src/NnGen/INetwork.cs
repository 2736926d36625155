using System;
using System.Collections.Generic;
using NnGen.Optimizers;

namespace NnGen;

/// <summary>
/// What the training loop, metrics and serialisation need from a network. The source generator
/// implements it on every <c>[Sequential]</c> class, specialised to the declared sizes; the
/// Keras-like API (<c>Fit</c>, <c>Evaluate</c>, <c>Summary</c>, <c>Save</c>, ...) is written once
/// against it in <see cref="NetworkExtensions"/>.
/// </summary>
/// <remarks>An instance owns its buffers and is not thread-safe: use one instance per thread.</remarks>
public interface INetwork
{
    /// <summary>Model name (Keras style, default <c>sequential</c>).</summary>
    string Name { get; }

    /// <summary>Input features per sample.</summary>
    int InputSize { get; }

    /// <summary>Output units per sample.</summary>
    int OutputSize { get; }

    /// <summary>Floats per target: <see cref="OutputSize"/>, or 1 (the class index) for sparse categorical cross-entropy.</summary>
    int TargetSize { get; }

    /// <summary>The loss the network is trained with.</summary>
    Loss Loss { get; }

    /// <summary>The layers, first to last, for <c>Summary()</c>.</summary>
    IReadOnlyList<LayerInfo> Layers { get; }

    /// <summary>
    /// Canonical description of the architecture, e.g. <c>Input(784) > Dense(256, Relu) > Dense(10, Softmax)</c>.
    /// Recorded in weights files so that weights never load into a different network.
    /// </summary>
    string Architecture { get; }

    /// <summary>All trainable parameters in one contiguous block (layer by layer: kernel (in, out) row-major, then bias).</summary>
    Span<float> Parameters { get; }

    /// <summary>Non-trainable parameters (BatchNormalization's moving mean and variance), saved with the weights.</summary>
    Span<float> NonTrainableParameters { get; }

    /// <summary>Gradient of the last batch's loss for each parameter, same layout as <see cref="Parameters"/>.</summary>
    Span<float> Gradients { get; }

    /// <summary>The optimizer applied by <c>Fit</c> after each batch. Replaceable, e.g. to change the learning rate.</summary>
    IOptimizer Optimizer { get; set; }

    /// <summary>
    /// Training-mode forward pass, loss and backward pass over one batch: fills <see cref="Gradients"/>
    /// and returns the batch's mean loss. Does not update the weights.
    /// </summary>
    /// <param name="inputs">rows * InputSize floats.</param>
    /// <param name="targets">rows * TargetSize floats.</param>
    /// <param name="correct">Sum over the batch of each sample's metric: its accuracy for a classifier (1 or 0; the fraction of outputs on the right
    /// side of 0.5 for binary cross-entropy), its mean absolute error over the outputs for mean squared error (see <see cref="NetworkExtensions.MetricName"/>).</param>
    float ComputeGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, out float correct);

    /// <summary>Inference-mode forward pass and loss over one batch; returns the mean loss.</summary>
    float ComputeLoss(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, out float correct);

    /// <summary>Inference: rows * InputSize floats in, rows * OutputSize floats out. Any number of rows.</summary>
    void Predict(ReadOnlySpan<float> inputs, Span<float> outputs);

    /// <summary>
    /// Whether layer <paramref name="layer"/> (its index in <see cref="Layers"/>) is trainable now: <c>Fit</c> updates its parameters.
    /// Starts as declared (<see cref="LayerInfo.Trainable"/>); a layer without parameters reports its flag, which has no effect.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is not an index of <see cref="Layers"/>.</exception>
    bool IsTrainable(int layer);

    /// <summary>
    /// Freezes (false) or unfreezes (true) layer <paramref name="layer"/>, with Keras's semantics: a frozen layer's parameters get no
    /// gradient (its block of <see cref="Gradients"/> is zero) and no update, and a frozen BatchNormalization runs in inference mode in
    /// training too (its moving statistics normalise, and are not updated). Takes effect from the next batch.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is not an index of <see cref="Layers"/>.</exception>
    void SetTrainable(int layer, bool trainable);

    /// <summary>
    /// The instance's concurrent-use guard. Each generated entry point holds it for its call; the operations of
    /// <see cref="NetworkExtensions"/> that span many calls (<c>Fit</c>, <c>Evaluate</c>, <c>Save</c>, <c>Load</c>) hold it
    /// throughout, so that another thread's call meanwhile throws instead of reading half-updated weights.
    /// </summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    ref Kernels.ConcurrentUseGuard InUse { get; }
}

/// <summary>One row of <c>Summary()</c>.</summary>
/// <param name="Name">Layer name, e.g. <c>dense_1</c>.</param>
/// <param name="Type">Layer type, e.g. <c>Dense</c>.</param>
/// <param name="InputUnits">Input features per sample.</param>
/// <param name="OutputUnits">Output shape per sample: (None, OutputUnits).</param>
/// <param name="Activation">Activation applied to the output (linear for layers without one).</param>
/// <param name="Parameters">Count of the layer's parameters in <see cref="INetwork.Parameters"/> (the ones an optimizer can update; <c>Summary()</c> counts them as non-trainable while the layer is frozen).</param>
/// <param name="ParameterOffset">Where the layer's parameters start in <see cref="INetwork.Parameters"/> (kernel, then bias).</param>
/// <param name="NonTrainableParameters">Non-trainable parameter count (BatchNormalization's moving statistics).</param>
/// <param name="OutputShape">The shape of one sample out, channels last (<c>[26, 26, 32]</c>); null means <c>[OutputUnits]</c>.</param>
/// <param name="InputShape">The shape of one sample in, channels last; null means <c>[InputUnits]</c>.</param>
/// <param name="StateOffset">Where the layer's non-trainable parameters start in <see cref="INetwork.NonTrainableParameters"/> (moving mean, then moving variance).</param>
/// <param name="Window">The window of a Conv2D or pooling layer; null for other kinds.</param>
/// <param name="UseBias">Whether a Conv2D layer adds a bias (always for Dense): its parameters are the kernel, then the bias.</param>
/// <param name="Epsilon">BatchNormalization's epsilon (as the generated code uses it), added to the variance before its square root; 0 for other kinds.</param>
/// <param name="Trainable">Whether the layer was declared trainable (the attribute's <c>Trainable</c>); its current state is <see cref="INetwork.IsTrainable"/>.</param>
/// <remarks>
/// Generated code states everything through the constructor (named arguments), never through initialisers, so that it
/// compiles in projects of any C# version from 8 on (init-only setters need C# 9).
/// </remarks>
public sealed record LayerInfo(string Name, string Type, int InputUnits, int OutputUnits, Activation Activation, int Parameters, int ParameterOffset,
    int NonTrainableParameters = 0, IReadOnlyList<int>? OutputShape = null, IReadOnlyList<int>? InputShape = null, int StateOffset = 0,
    LayerWindow? Window = null, bool UseBias = true, float Epsilon = 0, bool Trainable = true)
{
    /// <summary>The output shape as Keras's summary prints it: <c>(None, 26, 26, 32)</c>.</summary>
    public string KerasShape => "(None, " + string.Join(", ", OutputShape ?? [OutputUnits]) + ")";
}

/// <summary>
/// The window of a Conv2D or pooling layer over a channels-last image: its size, its step and the implicit zero padding on
/// each side (TensorFlow's 'same' puts the odd row or column after the image).
/// </summary>
public readonly record struct LayerWindow(int KernelHeight, int KernelWidth, int StrideHeight, int StrideWidth, int PadTop, int PadLeft, int PadBottom, int PadRight);
