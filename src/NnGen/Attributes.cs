using System;

namespace NnGen;

/// <summary>Activation function applied to a layer's output.</summary>
/// <remarks>The generator reads these by value: keep the numbers stable.</remarks>
public enum Activation
{
    /// <summary>Identity: <c>f(x) = x</c>.</summary>
    Linear = 0,
    /// <summary>Rectified linear unit: <c>max(0, x)</c>.</summary>
    Relu = 1,
    /// <summary>Logistic sigmoid: <c>1 / (1 + e^-x)</c>.</summary>
    Sigmoid = 2,
    /// <summary>Hyperbolic tangent.</summary>
    Tanh = 3,
    /// <summary>Softmax over the layer's units (normally the output layer of a classifier).</summary>
    Softmax = 4,
    /// <summary>Leaky ReLU: <c>x</c> for positive inputs, <c>0.2·x</c> otherwise (Keras's <c>leaky_relu</c> default slope).</summary>
    LeakyRelu = 5,
    /// <summary>Exponential linear unit: <c>x</c> for positive inputs, <c>e^x - 1</c> otherwise (alpha 1).</summary>
    Elu = 6,
}

/// <summary>Loss function minimised by <c>Fit</c>. Keras semantics and names.</summary>
public enum Loss
{
    /// <summary>Cross-entropy against one-hot targets (<c>OutputSize</c> floats per sample).</summary>
    CategoricalCrossEntropy = 0,
    /// <summary>Cross-entropy against class indices (one float per sample holding the class number).</summary>
    SparseCategoricalCrossEntropy = 1,
    /// <summary>Binary cross-entropy against 0/1 targets, one per output unit.</summary>
    BinaryCrossEntropy = 2,
    /// <summary>Mean squared error, averaged over output units and samples.</summary>
    MeanSquaredError = 3,
}

/// <summary>Optimizer that updates the weights after each batch.</summary>
public enum Optimizer
{
    /// <summary>Stochastic gradient descent, with optional (Nesterov) momentum. Keras default learning rate 0.01.</summary>
    Sgd = 0,
    /// <summary>Adam with Keras defaults: learning rate 1e-3, beta1 0.9, beta2 0.999, epsilon 1e-7.</summary>
    Adam = 1,
    /// <summary>Adam with decoupled weight decay (Keras defaults: learning rate 1e-3, weight decay 0.004).</summary>
    AdamW = 2,
    /// <summary>RMSprop (Keras defaults: learning rate 1e-3, rho 0.9, momentum 0, epsilon 1e-7).</summary>
    RmsProp = 3,
}

/// <summary>
/// Declares a sequential network on a <c>partial</c> class. The layers are the layer attributes
/// (<see cref="DenseAttribute"/>, ...) on the same declaration, in source order, first to last.
/// </summary>
/// <example>
/// <code>
/// [Sequential(Input = 784, Loss = Loss.CategoricalCrossEntropy, Optimizer = Optimizer.Adam)]
/// [Dense(256, Activation.Relu)]
/// [Dense(128, Activation.Relu)]
/// [Dense(10, Activation.Softmax)]
/// public partial class MnistMlp;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class SequentialAttribute : Attribute
{
    /// <summary>Number of input features per sample (784 for flattened 28x28 images). This or <see cref="InputShape"/> is required.</summary>
    public int Input { get; set; }

    /// <summary>
    /// The shape of one input sample, channels last as in Keras: <c>new[] { 28, 28, 1 }</c> for 28x28 grey images.
    /// The network still takes each sample as its <c>InputSize</c> floats, row-major (height, width, channels).
    /// This or <see cref="Input"/> is required.
    /// </summary>
    public int[]? InputShape { get; set; }

    /// <summary>Loss to minimise. Default: categorical cross-entropy.</summary>
    public Loss Loss { get; set; } = Loss.CategoricalCrossEntropy;

    /// <summary>Optimizer. Default: Adam.</summary>
    public Optimizer Optimizer { get; set; } = Optimizer.Adam;

    /// <summary>Learning rate. When not set: 0.01 for SGD, 1e-3 for the others (the Keras defaults).</summary>
    public double LearningRate { get; set; }

    /// <summary>SGD or RMSprop momentum (0 = none). Default 0.</summary>
    public double Momentum { get; set; }

    /// <summary>Use Nesterov momentum with SGD. Default false.</summary>
    public bool Nesterov { get; set; }

    /// <summary>Adam's first-moment decay. Default 0.9.</summary>
    public double Beta1 { get; set; } = 0.9;

    /// <summary>Adam's second-moment decay. Default 0.999.</summary>
    public double Beta2 { get; set; } = 0.999;

    /// <summary>Adam's epsilon. Default 1e-7 (Keras).</summary>
    public double Epsilon { get; set; } = 1e-7;

    /// <summary>AdamW's decoupled weight decay. Default 0.004.</summary>
    public double WeightDecay { get; set; } = 0.004;

    /// <summary>RMSprop's decay of the squared-gradient average. Default 0.9.</summary>
    public double Rho { get; set; } = 0.9;

    /// <summary>Clips each gradient to [-ClipValue, ClipValue] before the update (Keras's <c>clipvalue</c>). Default: off.</summary>
    public double ClipValue { get; set; }

    /// <summary>Scales all gradients so that their global L2 norm is at most this (Keras's <c>global_clipnorm</c>). Default: off.</summary>
    public double GlobalClipNorm { get; set; }

    /// <summary>Seed of the weight initialisation when the constructor is given none. Default 0.</summary>
    public int Seed { get; set; }

    /// <summary>Model name shown by <c>Summary()</c>. Default <c>"sequential"</c>.</summary>
    public string? Name { get; set; }

    /// <summary>
    /// Optional: the number of classes a classifier distinguishes. Never needed, but when stated the output layer is
    /// checked against it at compile time (one unit per class, or a single sigmoid unit for 2 classes with binary cross-entropy).
    /// </summary>
    public int Classes { get; set; }
}

/// <summary>A fully connected layer: <c>y = activation(x · W + b)</c>, W of shape (inputs, units).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DenseAttribute : Attribute
{
    /// <param name="units">Number of output units.</param>
    /// <param name="activation">Activation applied to the output. Default linear.</param>
    public DenseAttribute(int units, Activation activation = Activation.Linear)
    {
        Units = units;
        Activation = activation;
    }

    /// <summary>Number of output units.</summary>
    public int Units { get; }

    /// <summary>Activation applied to the output.</summary>
    public Activation Activation { get; }

    /// <summary>Layer name (Keras style); default <c>dense</c>, <c>dense_1</c>, ... in order.</summary>
    public string? Name { get; set; }

    /// <summary>
    /// Optional: the number of inputs this layer expects. Never needed (it is inferred), but when stated
    /// it is checked against what the previous layer produces, so a mismatch is a compile error.
    /// </summary>
    public int Inputs { get; set; }

    /// <summary>L1 regularisation factor of the kernel: adds <c>L1·Σ|w|</c> to the loss (Keras's <c>kernel_regularizer=l1</c>). Default 0.</summary>
    public double L1 { get; set; }

    /// <summary>L2 regularisation factor of the kernel: adds <c>L2·Σw²</c> to the loss (Keras's <c>kernel_regularizer=l2</c>). Default 0.</summary>
    public double L2 { get; set; }

    /// <summary>How the kernel is initialised. Default Glorot uniform (Keras's default).</summary>
    public Initializer KernelInitializer { get; set; } = Initializer.GlorotUniform;

    /// <summary>
    /// Whether <c>Fit</c> updates the layer's parameters (Keras's <c>trainable</c>). Default true. A frozen layer's parameters
    /// count as non-trainable in <c>Summary()</c>; a frozen BatchNormalization also runs in inference mode in training (its moving
    /// statistics normalise and stay unchanged), as Keras does since 2.1.3. Switch it at run time with <c>network.SetTrainable(name, ...)</c>.
    /// </summary>
    public bool Trainable { get; set; } = true;
}
