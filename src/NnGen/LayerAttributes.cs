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
