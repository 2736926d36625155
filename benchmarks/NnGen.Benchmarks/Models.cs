using NnGen;
using static NnGen.Activation;

namespace NnGen.Benchmarks;

/// <summary>The seed model, exactly as in samples/FashionMnist.</summary>
[Sequential(Input = 784, Loss = Loss.CategoricalCrossEntropy, Optimizer = Optimizer.Adam)]
[Dense(256, Relu)]
[Dense(128, Relu)]
[Dense(10, Softmax)]
public partial class MnistMlp;

/// <summary>The tutorial's optimized model, as in samples/FashionMnist.</summary>
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
