// What a page takes as given (<!-- snippet: preamble Network -->): README's seed network and the Fashion-MNIST data.
using NnGen;
using NnGen.Data;
using static NnGen.Activation;

(Dataset train, Dataset test) = FashionMnist.Load();

[Sequential(Input = 784, Loss = Loss.CategoricalCrossEntropy, Optimizer = Optimizer.Adam)]
[Dense(256, Relu)]
[Dense(128, Relu)]
[Dense(10, Softmax)]
public partial class MnistMlp;
