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
