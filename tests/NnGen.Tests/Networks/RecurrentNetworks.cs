using static NnGen.Activation;

namespace NnGen.Tests.Networks;

// Small recurrent networks for the numerical tests: every cell, short and long sequences, ReturnSequences on and off,
// stacked, hidden (their input gradient checked), after an Embedding, frozen, with non-default activations.

/// <summary>An LSTM's last step into a softmax classifier: 5 steps of 4 features.</summary>
[Sequential(InputShape = new[] { 5, 4 }, Loss = Loss.CategoricalCrossEntropy, Optimizer = Optimizer.Sgd)]
[LSTM(3)]
[Dense(2, Softmax)]
public partial class LstmLastNet;

/// <summary>A GRU returning every step, flattened into a classifier.</summary>
[Sequential(InputShape = new[] { 6, 3 }, Loss = Loss.CategoricalCrossEntropy, Optimizer = Optimizer.Sgd)]
[GRU(5, ReturnSequences = true)]
[Flatten]
[Dense(3, Softmax)]
public partial class GruSequenceNet;

/// <summary>A SimpleRNN over 30 steps into a regression output: gradients through a long chain.</summary>
[Sequential(InputShape = new[] { 30, 2 }, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd)]
[SimpleRNN(4)]
[Dense(1)]
public partial class SimpleRnnLongNet;

/// <summary>Stacked: an LSTM returning sequences, dropout between, a GRU reading them (its input gradient feeds the LSTM), a sigmoid output.</summary>
[Sequential(InputShape = new[] { 7, 3 }, Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Sgd)]
[LSTM(5, ReturnSequences = true)]
[Dropout(0.25)]
[GRU(4)]
[Dense(2, Sigmoid)]
public partial class StackedRecurrentNet;

/// <summary>Recurrent layers after a Dense (a hidden cell's input gradient), long sequences, non-default activations, a final sequence output.</summary>
[Sequential(InputShape = new[] { 24, 3 }, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd)]
[Reshape(72)]
[Dense(48, Tanh)]
[Reshape(12, 4)]
[GRU(6, ReturnSequences = true, RecurrentActivation = Tanh)]
[LSTM(5, ReturnSequences = true, Activation = Sigmoid, UnitForgetBias = false)]
[SimpleRNN(3, ReturnSequences = true, Activation = Elu)]
public partial class DeepRecurrentNet;

/// <summary>Token indices through an Embedding into a GRU and a classifier.</summary>
[Sequential(InputShape = new[] { 6 }, Loss = Loss.SparseCategoricalCrossEntropy, Optimizer = Optimizer.Adam)]
[Embedding(11, 4)]
[GRU(5)]
[Dense(3, Softmax)]
public partial class EmbeddingGruNet;

/// <summary>Wide enough (LSTM 64: products of 256 columns) for the recurrent products to be split over the workers.</summary>
[Sequential(InputShape = new[] { 9, 10 }, Loss = Loss.CategoricalCrossEntropy, Optimizer = Optimizer.Adam)]
[LSTM(64, ReturnSequences = true)]
[GRU(48)]
[Dense(4, Softmax)]
public partial class WideRecurrentNet;
