using static NnGen.Activation;

namespace NnGen.Cli;

/// <summary>The Keras tutorial's model: 28x28 images in, 10 classes out (784 -> 256 ReLU -> 128 ReLU -> 10 softmax, Adam).</summary>
[Sequential(Input = 784, Loss = Loss.CategoricalCrossEntropy, Optimizer = Optimizer.Adam)]
[Dense(256, Relu)]
[Dense(128, Relu)]
[Dense(10, Softmax)]
public partial class MnistMlp;
