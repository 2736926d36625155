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

/// <summary>
/// Transfer learning, step 1 (<c>--model transfer</c>): a base (Dense 256, BatchNormalization, ReLU, Dense 128 ReLU) with a
/// 5-class head, pretrained on Fashion-MNIST classes 0-4. The base's layers are named so that another network can load them.
/// </summary>
[Sequential(Input = 784, Loss = Loss.CategoricalCrossEntropy, Optimizer = Optimizer.Adam)]
[Dense(256, Name = "base_dense")]
[BatchNormalization(Name = "base_norm")]
[Activation(Relu, Name = "base_relu")]
[Dense(128, Relu, Name = "base_dense_2")]
[Dense(5, Softmax, Name = "pretrain_head")]
public partial class PretrainMlp;

/// <summary>
/// Transfer learning, step 2: the same base, frozen (its BatchNormalization in inference mode), under a new head for classes
/// 5-9. Loaded by name from <see cref="PretrainMlp"/>'s weights; with all layers unfrozen and not loaded, the from-scratch baseline.
/// </summary>
[Sequential(Input = 784, Loss = Loss.CategoricalCrossEntropy, Optimizer = Optimizer.Adam)]
[Dense(256, Name = "base_dense", Trainable = false)]
[BatchNormalization(Name = "base_norm", Trainable = false)]
[Activation(Relu, Name = "base_relu")]
[Dense(128, Relu, Name = "base_dense_2", Trainable = false)]
[Dense(5, Softmax, Name = "head")]
public partial class TransferMlp;

/// <summary>
/// Fashion-MNIST as sequences: each image is 28 timesteps (its rows) of 28 pixels, read by an LSTM of 128 units whose
/// last state a softmax classifies (the Keras "recurrent MNIST" model). 4·(128·(28 + 128) + 128) = 80,384 LSTM parameters.
/// </summary>
[Sequential(InputShape = new[] { 28, 28 }, Loss = Loss.CategoricalCrossEntropy, Optimizer = Optimizer.Adam)]
[LSTM(128)]
[Dense(10, Softmax)]
public partial class SequenceLstm;

/// <summary>The same with a GRU of 128 units (Keras's reset_after): 3·128·(28 + 128) + 6·128 = 60,672 GRU parameters.</summary>
[Sequential(InputShape = new[] { 28, 28 }, Loss = Loss.CategoricalCrossEntropy, Optimizer = Optimizer.Adam)]
[GRU(128)]
[Dense(10, Softmax)]
public partial class SequenceGru;
