using NnGen;
using static NnGen.Activation;

namespace NnGen.Tests.Networks;

// Networks for freezing and partial loading (issue 12): a base of named layers and a head.

/// <summary>
/// A frozen BatchNormalization and a frozen Dense between trainable layers: the trainable parameters are two separate ranges,
/// and the first layer's gradient goes back through the frozen ones.
/// </summary>
[Sequential(Input = 6, Loss = Loss.CategoricalCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01)]
[Dense(8, Relu, Name = "base_dense")]
[BatchNormalization(Name = "base_norm", Trainable = false)]
[Dense(7, Tanh, Name = "base_dense_2", Trainable = false)]
[Dense(3, Softmax, Name = "head")]
public partial class FrozenMiddleNet;

/// <summary>The same base and head, all trainable: what <see cref="FrozenMiddleNet"/> would be without freezing.</summary>
[Sequential(Input = 6, Loss = Loss.CategoricalCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01)]
[Dense(8, Relu, Name = "base_dense")]
[BatchNormalization(Name = "base_norm")]
[Dense(7, Tanh, Name = "base_dense_2")]
[Dense(3, Softmax, Name = "head")]
public partial class PretrainedNet;

/// <summary>The base of <see cref="PretrainedNet"/>, declared frozen, with a new head of another width (so its shapes differ) and an extra layer.</summary>
[Sequential(Input = 6, Loss = Loss.CategoricalCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01)]
[Dense(8, Relu, Name = "base_dense", Trainable = false)]
[BatchNormalization(Name = "base_norm", Trainable = false)]
[Dense(7, Tanh, Name = "base_dense_2", Trainable = false)]
[Dropout(0.1, Name = "new_dropout")]
[Dense(5, Softmax, Name = "head")]
public partial class TransferNet;

/// <summary>A frozen convolution, its BatchNormalization trainable: the frozen layer is first, so nothing flows back into it.</summary>
[Sequential(InputShape = new[] { 5, 5, 2 }, Loss = Loss.CategoricalCrossEntropy, Optimizer = Optimizer.Sgd, LearningRate = 0.05)]
[Conv2D(3, 3, Relu, Name = "conv", Trainable = false)]
[BatchNormalization(Name = "norm")]
[Flatten]
[Dense(2, Softmax, Name = "head")]
public partial class FrozenConvNet;

/// <summary>
/// Part of <see cref="PretrainedNet"/>'s base after a new first layer: its base_dense and base_norm sit at other offsets (and
/// base_norm's statistics at another state offset) than in the file, and its head takes 8 inputs instead of 7.
/// </summary>
[Sequential(Input = 6, Loss = Loss.CategoricalCrossEntropy)]
[Dense(6, Relu, Name = "adapter")]
[Dense(8, Relu, Name = "base_dense")]
[BatchNormalization(Name = "base_norm")]
[Dense(3, Softmax, Name = "head")]
public partial class ShiftedNet;
