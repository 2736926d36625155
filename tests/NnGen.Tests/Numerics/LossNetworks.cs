using static NnGen.Activation;

namespace NnGen.Tests.Numerics;

// Categorical cross-entropy on an output that is not a softmax's (what NNG0202 warns about, on purpose here): the loss
// takes the unfused path, LossKernels.OutputGradient, and normalises each output row as Keras does.
#pragma warning disable NNG0202
[Sequential(Input = 6, Loss = Loss.CategoricalCrossEntropy, Optimizer = Optimizer.Sgd)]
[Dense(7, Tanh)]
[Dense(4, Sigmoid)]
public partial class SigmoidCceNet;

[Sequential(Input = 5, Loss = Loss.SparseCategoricalCrossEntropy, Optimizer = Optimizer.Sgd)]
[Dense(6, Relu)]
[Dense(3, Sigmoid)]
public partial class SigmoidSparseNet;
#pragma warning restore NNG0202
