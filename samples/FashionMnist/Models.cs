using NnGen;
using static NnGen.Activation;

namespace FashionMnistSample;

/// <summary>The Keras tutorial's model: 784 -> 256 ReLU -> 128 ReLU -> 10 softmax, Adam, categorical cross-entropy.</summary>
[Sequential(Input = 784, Loss = Loss.CategoricalCrossEntropy, Optimizer = Optimizer.Adam)]
[Dense(256, Relu)]
[Dense(128, Relu)]
[Dense(10, Softmax)]
public partial class MnistMlp;

/// <summary>
/// The tutorial's "optimized" model: each hidden Dense is followed by batch normalisation, ReLU and Dropout(0.3).
/// The Dense layers have no activation of their own: BatchNormalization normalises their raw outputs.
/// </summary>
[Sequential(Input = 784, Loss = Loss.CategoricalCrossEntropy, Optimizer = Optimizer.Adam)]
[Dense(256)]
[BatchNormalization]
[Activation(Relu)]
[Dropout(0.3)]
[Dense(128)]
[BatchNormalization]
[Activation(Relu)]
[Dropout(0.3)]
[Dense(10, Softmax)]
public partial class OptimizedMlp;

/// <summary>
/// Keras's "simple MNIST convnet": two 3x3 convolutions with max pooling, then Dropout(0.5) and a softmax classifier;
/// 34,826 parameters. Each 784-float sample is read as a 28x28 grey image (channels last).
/// </summary>
[Sequential(InputShape = new[] { 28, 28, 1 }, Loss = Loss.CategoricalCrossEntropy, Optimizer = Optimizer.Adam)]
[Conv2D(32, 3, Relu)]
[MaxPooling2D(2)]
[Conv2D(64, 3, Relu)]
[MaxPooling2D(2)]
[Flatten]
[Dropout(0.5)]
[Dense(10, Softmax)]
public partial class SimpleConvNet;

/// <summary>
/// A deeper convnet with batch normalisation: 'same' convolutions normalised per channel before their ReLU, max pooling,
/// and a BatchNormalization + Dropout classifier head.
/// </summary>
[Sequential(InputShape = new[] { 28, 28, 1 }, Loss = Loss.CategoricalCrossEntropy, Optimizer = Optimizer.Adam)]
[Conv2D(32, 3, Padding = Padding.Same, UseBias = false)]
[BatchNormalization]
[Activation(Relu)]
[MaxPooling2D(2)]
[Conv2D(64, 3, Padding = Padding.Same, UseBias = false)]
[BatchNormalization]
[Activation(Relu)]
[MaxPooling2D(2)]
[Flatten]
[Dropout(0.3)]
[Dense(128)]
[BatchNormalization]
[Activation(Relu)]
[Dropout(0.3)]
[Dense(10, Softmax)]
public partial class NormalizedConvNet;
