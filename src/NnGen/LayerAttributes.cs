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

    /// <summary>
    /// Whether <c>Fit</c> updates the layer's parameters (Keras's <c>trainable</c>). Default true. A frozen layer's parameters
    /// count as non-trainable in <c>Summary()</c>; a frozen BatchNormalization also runs in inference mode in training (its moving
    /// statistics normalise and stay unchanged), as Keras does since 2.1.3. Switch it at run time with <c>network.SetTrainable(name, ...)</c>.
    /// </summary>
    public bool Trainable { get; set; } = true;
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

/// <summary>How a window (a convolution kernel or a pooling window) treats the edges of its input, as Keras's <c>padding</c>.</summary>
public enum Padding
{
    /// <summary>No padding: the window stays inside the input; the output is <c>(in - window) / stride + 1</c> (rounded down).</summary>
    Valid = 0,

    /// <summary>Zero padding (ignored by pooling), as TensorFlow: the output is <c>ceil(in / stride)</c>, the extra row and column at the bottom and right.</summary>
    Same = 1,
}

/// <summary>
/// A 2-D convolution over channels-last images (Keras's <c>Conv2D</c>): <c>filters</c> square kernels of
/// <c>kernelSize</c> x <c>kernelSize</c> x input channels slide over the image with <see cref="Strides"/>;
/// output (height', width', filters). Kernel layout (kernel, kernel, channels, filters), as Keras.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Conv2DAttribute : Attribute
{
    /// <param name="filters">Output channels.</param>
    /// <param name="kernelSize">Height and width of each kernel.</param>
    /// <param name="activation">Activation applied to the output. Default linear.</param>
    public Conv2DAttribute(int filters, int kernelSize, Activation activation = Activation.Linear)
    {
        Filters = filters;
        KernelSize = kernelSize;
        Activation = activation;
    }

    /// <summary>Output channels.</summary>
    public int Filters { get; }

    /// <summary>Height and width of each kernel.</summary>
    public int KernelSize { get; }

    /// <summary>Activation applied to the output.</summary>
    public Activation Activation { get; }

    /// <summary>Step of the kernel, down and across. Default 1.</summary>
    public int Strides { get; set; } = 1;

    /// <summary>Edge handling. Default <see cref="Padding.Valid"/>.</summary>
    public Padding Padding { get; set; } = Padding.Valid;

    /// <summary>Whether the layer adds a bias per filter. Default true.</summary>
    public bool UseBias { get; set; } = true;

    /// <summary>How the kernel is initialised (fan in kernel·kernel·channels, fan out kernel·kernel·filters). Default Glorot uniform.</summary>
    public Initializer KernelInitializer { get; set; } = Initializer.GlorotUniform;

    /// <summary>L1 regularisation factor of the kernel. Default 0.</summary>
    public double L1 { get; set; }

    /// <summary>L2 regularisation factor of the kernel. Default 0.</summary>
    public double L2 { get; set; }

    /// <summary>Layer name; default <c>conv2d</c>, <c>conv2d_1</c>, ...</summary>
    public string? Name { get; set; }

    /// <summary>
    /// Whether <c>Fit</c> updates the layer's parameters (Keras's <c>trainable</c>). Default true. A frozen layer's parameters
    /// count as non-trainable in <c>Summary()</c>; a frozen BatchNormalization also runs in inference mode in training (its moving
    /// statistics normalise and stay unchanged), as Keras does since 2.1.3. Switch it at run time with <c>network.SetTrainable(name, ...)</c>.
    /// </summary>
    public bool Trainable { get; set; } = true;
}

/// <summary>Max pooling over channels-last images (Keras's <c>MaxPooling2D</c>): the largest value of each window, per channel.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MaxPooling2DAttribute(int poolSize = 2) : Attribute
{
    /// <summary>Height and width of the window. Default 2.</summary>
    public int PoolSize { get; } = poolSize;

    /// <summary>Step of the window; when not set, the pool size, as Keras.</summary>
    public int Strides { get; set; }

    /// <summary>Edge handling. Default <see cref="Padding.Valid"/>.</summary>
    public Padding Padding { get; set; } = Padding.Valid;

    /// <summary>Layer name; default <c>max_pooling2d</c>, <c>max_pooling2d_1</c>, ...</summary>
    public string? Name { get; set; }
}

/// <summary>Average pooling over channels-last images (Keras's <c>AveragePooling2D</c>): the mean of each window, per channel.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AveragePooling2DAttribute(int poolSize = 2) : Attribute
{
    /// <summary>Height and width of the window. Default 2.</summary>
    public int PoolSize { get; } = poolSize;

    /// <summary>Step of the window; when not set, the pool size, as Keras.</summary>
    public int Strides { get; set; }

    /// <summary>Edge handling; with <see cref="Padding.Same"/> a window's mean is over its in-bounds values. Default <see cref="Padding.Valid"/>.</summary>
    public Padding Padding { get; set; } = Padding.Valid;

    /// <summary>Layer name; default <c>average_pooling2d</c>, <c>average_pooling2d_1</c>, ...</summary>
    public string? Name { get; set; }
}

/// <summary>The mean over all positions of each channel (Keras's <c>GlobalAveragePooling2D</c>): (height, width, channels) to (channels).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GlobalAveragePooling2DAttribute : Attribute
{
    /// <summary>Layer name; default <c>global_average_pooling2d</c>, ...</summary>
    public string? Name { get; set; }
}

/// <summary>The largest value over all positions of each channel (Keras's <c>GlobalMaxPooling2D</c>): (height, width, channels) to (channels).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GlobalMaxPooling2DAttribute : Attribute
{
    /// <summary>Layer name; default <c>global_max_pooling2d</c>, ...</summary>
    public string? Name { get; set; }
}

/// <summary>Flattens each sample to a vector (Keras's <c>Flatten</c>), e.g. (5, 5, 64) to (1600), row-major as Keras.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class FlattenAttribute : Attribute
{
    /// <summary>Layer name; default <c>flatten</c>, <c>flatten_1</c>, ...</summary>
    public string? Name { get; set; }
}

/// <summary>Gives each sample a new shape with the same number of values (Keras's <c>Reshape</c>), e.g. (784) to (28, 28, 1).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ReshapeAttribute(params int[] targetShape) : Attribute
{
    /// <summary>The shape of one sample after the layer, channels last.</summary>
    public int[] TargetShape { get; } = targetShape;

    /// <summary>Layer name; default <c>reshape</c>, <c>reshape_1</c>, ...</summary>
    public string? Name { get; set; }
}

/// <summary>
/// What SimpleRNN, LSTM and GRU have in common (Keras's <c>RNN</c> options): a cell stepped through the timesteps of a
/// (timesteps, features) sequence from a zero state, whose output is the last step's state (units), or every step's
/// (timesteps, units) with <see cref="ReturnSequences"/>.
/// </summary>
public abstract class RecurrentAttribute(int units) : Attribute
{
    /// <summary>Dimension of the state and the output.</summary>
    public int Units { get; } = units;

    /// <summary>The state's (the candidate's) activation. Default tanh. Softmax is refused (NNG0113).</summary>
    public Activation Activation { get; set; } = Activation.Tanh;

    /// <summary>Output every timestep's state (timesteps, units), to stack another recurrent layer on it; default false: the last step's (units).</summary>
    public bool ReturnSequences { get; set; }

    /// <summary>How the input kernel is initialised. Default Glorot uniform.</summary>
    public Initializer KernelInitializer { get; set; } = Initializer.GlorotUniform;

    /// <summary>How the recurrent kernel is initialised. Default orthogonal.</summary>
    public Initializer RecurrentInitializer { get; set; } = Initializer.Orthogonal;

    /// <summary>Layer name; default <c>simple_rnn</c>, <c>lstm</c> or <c>gru</c>, then <c>_1</c>, <c>_2</c>, ...</summary>
    public string? Name { get; set; }

    /// <summary>Whether <c>Fit</c> updates the layer's parameters (Keras's <c>trainable</c>). Default true.</summary>
    public bool Trainable { get; set; } = true;
}

/// <summary>
/// A fully-connected recurrent layer (Keras's <c>SimpleRNN</c>): h = act(x_t·kernel + h₋₁·recurrent_kernel + bias).
/// Weights: kernel (features, units), recurrent_kernel (units, units), bias (units).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class SimpleRNNAttribute(int units) : RecurrentAttribute(units);

/// <summary>
/// Long short-term memory (Keras's <c>LSTM</c>, Hochreiter and Schmidhuber 1997): gates i, f, o = σ(·) and candidate
/// g = act(·), each x_t·W + h₋₁·U + b; c = f·c₋₁ + i·g, h = o·act(c), from h = c = 0. Weights in Keras's layout and gate
/// order [i, f, c, o]: kernel (features, 4·units), recurrent_kernel (units, 4·units), bias (4·units);
/// 4·(units·(features + units) + units) parameters.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LSTMAttribute(int units) : RecurrentAttribute(units)
{
    /// <summary>The gates' activation. Default sigmoid. Softmax is refused (NNG0113).</summary>
    public Activation RecurrentActivation { get; set; } = Activation.Sigmoid;

    /// <summary>Initialise the forget gate's bias to 1 (Jozefowicz et al. 2015), as Keras does by default. Default true.</summary>
    public bool UnitForgetBias { get; set; } = true;
}

/// <summary>
/// Gated recurrent unit (Keras's <c>GRU</c> with <c>reset_after=True</c>, its default since Keras 2.3, and cuDNN's):
/// z, r = σ(x_t·W + b + h₋₁·U + b_r), ĥ = act(x_t·W_h + b_h + r·(h₋₁·U_h + b_rh)), h = z·h₋₁ + (1 − z)·ĥ, from h = 0.
/// Weights in Keras's layout and gate order [z, r, h]: kernel (features, 3·units), recurrent_kernel (units, 3·units),
/// bias (2, 3·units): the input bias, then the recurrent bias.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GRUAttribute(int units) : RecurrentAttribute(units)
{
    /// <summary>The gates' activation. Default sigmoid. Softmax is refused (NNG0113).</summary>
    public Activation RecurrentActivation { get; set; } = Activation.Sigmoid;
}

/// <summary>
/// A lookup table of token vectors (Keras's <c>Embedding</c>): the first layer of a network whose samples are sequences
/// of token indices (<c>InputShape = new[] { timesteps }</c>, each float a whole number in [0, inputDim)); outputs
/// (timesteps, outputDim), a sequence for a recurrent layer. Weights: embeddings (inputDim, outputDim), initially U(-0.05, 0.05).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class EmbeddingAttribute(int inputDim, int outputDim) : Attribute
{
    /// <summary>Vocabulary size: indices run from 0 to inputDim - 1.</summary>
    public int InputDim { get; } = inputDim;

    /// <summary>Length of each token's vector.</summary>
    public int OutputDim { get; } = outputDim;

    /// <summary>Layer name; default <c>embedding</c>, <c>embedding_1</c>, ...</summary>
    public string? Name { get; set; }

    /// <summary>Whether <c>Fit</c> updates the table (Keras's <c>trainable</c>; false for frozen pretrained vectors). Default true.</summary>
    public bool Trainable { get; set; } = true;
}
