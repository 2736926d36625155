using static NnGen.Activation;

namespace NnGen.Tests.Networks;

// Small convolutional networks for the numerical tests: odd sizes, several channels, strides 1 and 2, 'valid' and 'same',
// every window layer, convolutions first and hidden (after Dense + Reshape), with and without bias, regularised.

/// <summary>Valid 3x3 convolution on a 7x6x2 image, max pooling (a leftover column), Flatten, softmax.</summary>
[Sequential(InputShape = new[] { 7, 6, 2 }, Loss = Loss.CategoricalCrossEntropy, Optimizer = Optimizer.Sgd)]
[Conv2D(3, 3, Tanh)]
[MaxPooling2D(2)]
[Flatten]
[Dense(4, Softmax)]
public partial class ValidConvNet;

/// <summary>Strided 'same' convolution, BatchNormalization per channel, a second 'same' convolution, 'same' average pooling, global average.</summary>
[Sequential(InputShape = new[] { 5, 5, 3 }, Loss = Loss.CategoricalCrossEntropy, Optimizer = Optimizer.Sgd)]
[Conv2D(4, 3, Relu, Strides = 2, Padding = Padding.Same)]
[BatchNormalization]
[Conv2D(5, 2, Sigmoid, Padding = Padding.Same)]
[AveragePooling2D(2, Padding = Padding.Same)]
[GlobalAveragePooling2D]
[Dense(3, Softmax)]
public partial class SameConvNet;

/// <summary>A convolution in the middle: Dense, Reshape to an image, a bias-free L2-regularised convolution, global max pooling.</summary>
[Sequential(Input = 7, Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Sgd)]
[Dense(16, Tanh)]
[Reshape(4, 4, 1)]
[Conv2D(6, 3, Elu, UseBias = false, L2 = 0.01)]
[GlobalMaxPooling2D]
[Dense(2, Sigmoid)]
public partial class HiddenConvNet;

/// <summary>Stride-2 valid convolution on an odd 9x8 image, a 2x2 convolution with 32 filters (the 512-bit path), overlapping max pooling, dropout, regression.
/// Smooth activations: a ReLU kink crossed by the finite-difference step would fail the check without a bug (ReLU is in SameConvNet).</summary>
[Sequential(InputShape = new[] { 9, 8, 1 }, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd)]
[Conv2D(6, 3, Tanh, Strides = 2, L1 = 0.001)]
[Conv2D(32, 2, Sigmoid)]
[MaxPooling2D(2, Strides = 1)]
[Dropout(0.25)]
[Flatten]
[Dense(2)]
public partial class StridedConvNet;

/// <summary>Softmax over the channels at each position (Keras's last axis) in a hidden Activation layer, after a 1x1 convolution.</summary>
#pragma warning disable NNG0201 // softmax in a hidden layer: the point of this network
[Sequential(InputShape = new[] { 3, 2, 4 }, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd)]
[Conv2D(3, 1, Tanh)]
[Activation(Softmax)]
[Flatten]
[Dense(2)]
public partial class ChannelSoftmaxNet;
#pragma warning restore NNG0201

/// <summary>
/// Odd 'same' paddings for the ONNX export: the 4x4 kernel at stride 3 pads 7 rows 1 above and 2 below, the 3x3 pool at
/// stride 1 pads 1 on each side, the 2x2 pool 0 before and 1 after; a per-channel BatchNormalization after pooling.
/// </summary>
[Sequential(InputShape = new[] { 7, 5, 2 }, Loss = Loss.CategoricalCrossEntropy, Optimizer = Optimizer.Sgd)]
[Conv2D(3, 4, LeakyRelu, Strides = 3, Padding = Padding.Same)]
[MaxPooling2D(3, Strides = 1, Padding = Padding.Same)]
[AveragePooling2D(2, Strides = 1, Padding = Padding.Same)]
[BatchNormalization(Epsilon = 0.05)]
[Activation(Elu)]
[Flatten]
[Dense(3, Softmax)]
public partial class OddPaddingNet;

/// <summary>An image flattened straight away: NnGen's channels-last order is the one its ONNX export reads back.</summary>
[Sequential(InputShape = new[] { 3, 2, 2 }, Loss = Loss.CategoricalCrossEntropy, Optimizer = Optimizer.Sgd)]
[Flatten]
[Dense(3, Softmax)]
public partial class FlattenFirstNet;

/// <summary>An image out (pooling first, then a 'same' convolution): the ONNX export hands it back channels last.</summary>
[Sequential(InputShape = new[] { 5, 4, 2 }, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd)]
[MaxPooling2D(2, Strides = 1)]
[BatchNormalization]
[Conv2D(3, 2, Tanh, Padding = Padding.Same)]
public partial class ImageOutNet;

/// <summary>Global pooling straight on the input image, whose ONNX form reduces a channels-last tensor.</summary>
[Sequential(InputShape = new[] { 3, 3, 4 }, Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Sgd)]
[GlobalMaxPooling2D]
[Dense(2, Sigmoid)]
public partial class GlobalFirstNet;

/// <summary>
/// Layers on a channels-last image that no convolution has transposed yet (after a Reshape): a softmax over its
/// channels, a linear Activation layer, a per-channel BatchNormalization.
/// </summary>
#pragma warning disable NNG0201 // softmax in a hidden layer: the point of this network
[Sequential(Input = 6, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd)]
[Dense(18, Tanh)]
[Reshape(3, 3, 2)]
[Activation(Softmax)]
[Activation(Linear)]
[BatchNormalization]
[Conv2D(2, 2, Relu)]
[Flatten]
[Dense(2)]
public partial class ReshapeNormNet;
#pragma warning restore NNG0201

/// <summary>A BatchNormalization between a Flatten and a Dense: its features are in the flattened image's order.</summary>
[Sequential(InputShape = new[] { 2, 3, 2 }, Loss = Loss.CategoricalCrossEntropy, Optimizer = Optimizer.Sgd)]
[Flatten]
[BatchNormalization]
[Dense(3, Softmax)]
public partial class FlattenNormNet;
