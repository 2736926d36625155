namespace NnGen.Tests.Generator;

/// <summary>Network declarations compiled in memory by the generator tests.</summary>
internal static class Declarations
{
    /// <summary>The Keras MNIST tutorial model: 784-256-128-10, relu/relu/softmax, categorical cross-entropy, Adam.</summary>
    public const string MnistMlp = """
        using NnGen;

        namespace Samples;

        [Sequential(Input = 784, Loss = Loss.CategoricalCrossEntropy, Optimizer = Optimizer.Adam)]
        [Dense(256, Activation.Relu)]
        [Dense(128, Activation.Relu)]
        [Dense(10, Activation.Softmax)]
        public partial class MnistMlp;
        """;

    public const string MnistMlpType = "Samples.MnistMlp";

    /// <summary>Sizes that are not multiples of the vector width, tanh and sigmoid hidden layers, SGD with Nesterov momentum, sparse labels.</summary>
    public const string OddNet = """
        using NnGen;
        using static NnGen.Activation;

        namespace Samples.Odd
        {
            [Sequential(Input = 33, Loss = Loss.SparseCategoricalCrossEntropy, Optimizer = Optimizer.Sgd,
                        LearningRate = 0.05, Momentum = 0.9, Nesterov = true, Seed = 42)]
            [Dense(19, Tanh)]
            [Dense(10, Sigmoid)]
            [Dense(7, Softmax)]
            internal sealed partial class OddNet
            {
                public int Extra => 1; // user members live alongside the generated ones
            }
        }
        """;

    public const string OddNetType = "Samples.Odd.OddNet";

    /// <summary>A binary classifier nested in a static class in the global namespace, with custom model and layer names.</summary>
    public const string SpamFilter = """
        using NnGen;

        public static partial class Models
        {
            [Sequential(Input = 12, Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01, Name = "spam_filter")]
            [Dense(8, Activation.Relu, Name = "hidden")]
            [Dense(1, Activation.Sigmoid, Name = "spam_probability")]
            public partial class SpamFilter;
        }
        """;

    public const string SpamFilterType = "Models+SpamFilter";

    /// <summary>A regression network: linear output, mean squared error, plain SGD with default learning rate.</summary>
    public const string Regressor = """
        using NnGen;

        namespace Samples;

        [Sequential(Input = 3, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd)]
        [Dense(4, Activation.Sigmoid)]
        [Dense(2)]
        public partial class Regressor;
        """;

    public const string RegressorType = "Samples.Regressor";

    /// <summary>Every layer kind: BatchNormalization first and in the middle, two Dropout layers sharing one stream,
    /// an Activation layer, regularisers, and a tanh output layer after Activation(Softmax) for the fused gradient.</summary>
    public const string EveryKind = """
        using NnGen;

        namespace Samples;

        [Sequential(Input = 12, Loss = Loss.CategoricalCrossEntropy, Optimizer = Optimizer.RmsProp)]
        [BatchNormalization(Momentum = 0.9)]
        [Dense(40, Activation.Relu, L1 = 0.01)]
        [Dropout(0.25)]
        [BatchNormalization]
        [Dense(9, Activation.Tanh, L2 = 0.001)]
        [Dropout(0.5)]
        [Dense(3)]
        [Activation(Activation.Softmax)]
        public partial class EveryKind;
        """;

    public const string EveryKindType = "Samples.EveryKind";

    /// <summary>Keras's simple MNIST convnet: every size of its shapes is a constant in the generated code.</summary>
    public const string SimpleConvNet = """
        using NnGen;

        namespace Samples;

        [Sequential(InputShape = new[] { 28, 28, 1 })]
        [Conv2D(32, 3, Activation.Relu)]
        [MaxPooling2D(2)]
        [Conv2D(64, 3, Activation.Relu, Padding = Padding.Same, UseBias = false, L2 = 0.0001)]
        [AveragePooling2D(2, Strides = 1)]
        [BatchNormalization]
        [Flatten]
        [Dropout(0.5)]
        [Dense(10, Activation.Softmax)]
        public partial class SimpleConvNet;
        """;

    /// <summary>Every recurrent kind: token indices through an Embedding, a stacked LSTM and GRU, a SimpleRNN's last step, a classifier.</summary>
    public const string RecurrentNet = """
        using NnGen;

        namespace Samples;

        [Sequential(InputShape = new[] { 12 }, Loss = Loss.SparseCategoricalCrossEntropy, Optimizer = Optimizer.Adam)]
        [Embedding(100, 8)]
        [LSTM(16, ReturnSequences = true)]
        [Dropout(0.2)]
        [GRU(12, ReturnSequences = true, RecurrentActivation = Activation.Tanh)]
        [SimpleRNN(6, Activation = Activation.Relu)]
        [Dense(4, Activation.Softmax)]
        public partial class RecurrentNet;
        """;
}
