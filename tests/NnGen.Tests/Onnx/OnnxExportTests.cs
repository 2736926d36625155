using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NnGen.Data;
using NnGen.Onnx;
using NnGen.Tests.Data;
using NnGen.Tests.Networks;
using Google.Protobuf;
using Onnx;

namespace NnGen.Tests.Onnx;

/// <summary>
/// Export checked by the reference: every network, with random weights and random moving statistics, exported and run in
/// ONNX Runtime, gives NnGen's Predict within 1e-5 (relative above 1). Between them the networks have every layer kind,
/// every activation, 'valid' and 'same' padding with odd splits, strides, images in and vectors in.
/// </summary>
public sealed class OnnxExportTests
{
    private static readonly Dictionary<string, Func<INetwork>> All = new()
    {
        ["MnistMlp"] = () => new MnistMlp(), // relu, softmax
        ["OddMlp"] = () => new OddMlp(), // tanh, sigmoid, relu, softmax
        ["RegressionNet"] = () => new RegressionNet(), // linear
        ["NormalizedNet"] = () => new NormalizedNet(), // BatchNormalization on vectors (epsilon 0.01 and 1e-3), leaky relu, elu, Activation layers
        ["OptimizedMlp"] = () => new OptimizedMlp(), // BatchNormalization + Dropout, the tutorial's second model
        ["ValidConvNet"] = () => new ValidConvNet(), // valid convolution, max pooling with a leftover column
        ["SameConvNet"] = () => new SameConvNet(), // strided 'same' convolution, BatchNormalization per channel, 'same' average pooling, global average pooling
        ["HiddenConvNet"] = () => new HiddenConvNet(), // Reshape after Dense, a convolution without bias, global max pooling
        ["StridedConvNet"] = () => new StridedConvNet(), // stride 2, max pooling at stride 1, Dropout, Flatten
        ["ChannelSoftmaxNet"] = () => new ChannelSoftmaxNet(), // softmax over the channels of an image
        ["OddPaddingNet"] = () => new OddPaddingNet(), // uneven 'same' padding, BatchNormalization after pooling
        ["FlattenFirstNet"] = () => new FlattenFirstNet(), // an image in, flattened at once
        ["ImageOutNet"] = () => new ImageOutNet(), // pooling first, an image out
        ["GlobalFirstNet"] = () => new GlobalFirstNet(), // global pooling on the input image
        ["ReshapeNormNet"] = () => new ReshapeNormNet(), // softmax, linear Activation and BatchNormalization on a channels-last image
        ["FlattenNormNet"] = () => new FlattenNormNet(), // BatchNormalization between Flatten and Dense
    };

    public static TheoryData<string> Networks => new(All.Keys);

    internal static INetwork Create(string name) => All[name]();

    [Theory]
    [MemberData(nameof(Networks))]
    public void Export_RunInOnnxRuntime_GivesPredictsOutputs(string name)
    {
        INetwork network = Create(name);
        Randomize(network, seed: name.Length);
        byte[] model = network.ToOnnx();
        foreach (int rows in new[] { 1, 7 })
        {
            float[] inputs = RandomInputs(network, rows, seed: rows);
            var expected = new float[rows * network.OutputSize];
            network.Predict(inputs, expected);
            float[] actual = OnnxRuntimeReference.Run(model, inputs, SampleShape(network));
            AssertClose(expected, actual, $"{name}, {rows} rows");
        }
    }

    [FashionMnistFact]
    public void Export_OfTheTrainedTutorialModel_AgreesOnRealImages()
    {
        var (train, test) = FashionMnist.Load();
        var network = new OptimizedMlp();
        network.Fit(train.Take(2000).Features, train.Take(2000).OneHotLabels(), epochs: 1, batchSize: 32, verbose: 0);
        Dataset images = test.Take(500);
        var expected = new float[images.Count * 10];
        network.Predict(images.Features, expected);
        float[] actual = OnnxRuntimeReference.Run(network.ToOnnx(), images.Features.ToArray(), [784], threads: 2);
        AssertClose(expected, actual, "OptimizedMlp on 500 Fashion-MNIST test images");
    }

    [Fact]
    public void Export_NamesNodesAfterLayers_StatesOpsetAndASymbolicBatch()
    {
        var network = new SameConvNet();
        ModelProto model = ModelProto.Parser.ParseFrom(network.ToOnnx());

        Assert.Equal(8, model.IrVersion);
        Assert.Equal(17, Assert.Single(model.OpsetImport).Version);
        Assert.Equal("NnGen", model.ProducerName);
        Assert.Equal("0.1.0", model.ProducerVersion);
        Assert.Equal("CategoricalCrossEntropy", model.MetadataProps.Single(p => p.Key == "nngen.loss").Value);
        Assert.Equal(((INetwork)network).Architecture, model.MetadataProps.Single(p => p.Key == "nngen.architecture").Value);
        string[] nodes = model.Graph.Node.Select(n => n.Name).ToArray();
        foreach (LayerInfo layer in ((INetwork)network).Layers) Assert.Contains(layer.Name, nodes);
        Assert.Equal(nodes.Length, nodes.Distinct().Count());
        Assert.Equal(["Transpose", "Conv", "Relu", "BatchNormalization", "Conv", "Sigmoid", "AveragePool", "ReduceMean", "Gemm", "Softmax"],
            model.Graph.Node.Select(n => n.OpType));

        ValueInfoProto input = Assert.Single(model.Graph.Input), output = Assert.Single(model.Graph.Output);
        Assert.Equal("input", input.Name);
        Assert.Equal("output", output.Name);
        Assert.Equal("batch", input.Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal([5, 5, 3], input.Type.TensorType.Shape.Dim.Skip(1).Select(d => d.DimValue));
        Assert.Equal("batch", output.Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal([3], output.Type.TensorType.Shape.Dim.Skip(1).Select(d => d.DimValue));
        Assert.Equal("output", model.Graph.Node[^1].Output.Single());

        // Parameters are initialisers named after their layer, in ONNX's layouts: Conv's (F, C, KH, KW).
        TensorProto kernel = model.Graph.Initializer.Single(t => t.Name == "conv2d/kernel");
        Assert.Equal([4, 3, 3, 3], kernel.Dims);
        Assert.Contains(model.Graph.Initializer, t => t.Name == "batch_normalization/moving_variance");
        Assert.Equal(0.001f, model.Graph.Node.Single(n => n.Name == "batch_normalization").Attribute.Single(a => a.Name == "epsilon").F);
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Export_HasANodeNamedAfterEveryLayer(string name)
    {
        INetwork network = Create(name);
        string[] nodes = ModelProto.Parser.ParseFrom(network.ToOnnx()).Graph.Node.Select(n => n.Name).ToArray();
        foreach (LayerInfo layer in network.Layers) Assert.Contains(layer.Name, nodes); // Dropout and linear Activation layers too
    }

    [Fact]
    public void Export_ImageToImage_ReturnsChannelsLast()
    {
        // The last layers of ChannelSoftmaxNet's image half: its output would be NCHW inside the graph; Flatten turns it back first.
        var network = new ChannelSoftmaxNet();
        ModelProto model = ModelProto.Parser.ParseFrom(network.ToOnnx());
        Assert.Equal(["Transpose", "Conv", "Tanh", "Softmax", "Transpose", "Flatten", "Gemm"], model.Graph.Node.Select(n => n.OpType));
        Assert.Equal(1, model.Graph.Node.Single(n => n.OpType == "Softmax").Attribute.Single().I); // the channels, in NCHW
    }

    [Fact]
    public void SaveOnnx_WritesTheBytesOfToOnnx()
    {
        var network = new OddMlp();
        string path = Path.Combine(Path.GetTempPath(), $"nngen-{Guid.NewGuid():N}.onnx");
        try
        {
            network.SaveOnnx(path);
            Assert.Equal(network.ToOnnx(), File.ReadAllBytes(path));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Export_OfAnUnknownLayerKind_NamesTheLayerAndItsKind()
    {
        var network = new FakeNetwork(new LayerInfo("lstm", "LSTM", 4, 4, Activation.Tanh, 0, 0));
        var e = Assert.Throws<NotSupportedException>(() => network.ToOnnx());
        Assert.Contains("'lstm' is a LSTM", e.Message);
        Assert.Contains("Dense, Conv2D", e.Message);
    }

    [Fact]
    public void Export_OfAConvolutionWithoutItsWindow_SaysSo()
    {
        var network = new FakeNetwork(new LayerInfo("conv2d", "Conv2D", 4, 4, Activation.Relu, 0, 0, OutputShape: [2, 2, 1]) { InputShape = [2, 2, 1] });
        var e = Assert.Throws<NotSupportedException>(() => network.ToOnnx());
        Assert.Contains("Conv2D layer 'conv2d' does not state its window", e.Message);
    }

    [Fact]
    public void Export_OfADenseOnAnImage_NamesTheShape()
    {
        var network = new FakeNetwork(new LayerInfo("dense", "Dense", 4, 1, Activation.Relu, 5, 0) { InputShape = [2, 2, 1] });
        var e = Assert.Throws<NotSupportedException>(() => network.ToOnnx());
        Assert.Contains("Dense layer 'dense' needs a vector input in, but its input is (2, 2, 1)", e.Message);
    }

    [Fact]
    public void Export_RefusesNullsAndNetworksWithoutLayers()
    {
        Assert.Throws<ArgumentNullException>(() => ((INetwork)null!).ToOnnx());
        Assert.Throws<ArgumentNullException>(() => new OddMlp().SaveOnnx(null!));
        Assert.Contains("network 'fake' has no layers", Assert.Throws<NotSupportedException>(() => new FakeNetwork().ToOnnx()).Message);
        var pooling = new FakeNetwork(new LayerInfo("max_pooling2d", "MaxPooling2D", 4, 1, Activation.Linear, 0, 0) { Window = new LayerWindow(2, 2, 2, 2, 0, 0, 0, 0) });
        Assert.Contains("MaxPooling2D layer 'max_pooling2d' needs an image (height, width, channels) in, but its input is (4)", Assert.Throws<NotSupportedException>(() => pooling.ToOnnx()).Message);
        var global = new FakeNetwork(new LayerInfo("global_average_pooling2d", "GlobalAveragePooling2D", 4, 1, Activation.Linear, 0, 0));
        Assert.Contains("GlobalAveragePooling2D layer 'global_average_pooling2d' needs an image", Assert.Throws<NotSupportedException>(() => global.ToOnnx()).Message);
    }

    [Fact]
    public void Export_KeepsNodeNamesUnique_WhenALayerIsNamedAsADerivedNode()
    {
        var network = new FakeNetwork(
            new LayerInfo("dense", "Dense", 2, 2, Activation.Relu, 6, 0),
            new LayerInfo("dense/activation", "Activation", 2, 2, Activation.Tanh, 0, 6));
        ModelProto model = ModelProto.Parser.ParseFrom(network.ToOnnx());
        Assert.Equal(["dense", "dense/activation", "dense/activation_1"], model.Graph.Node.Select(n => n.Name));
        Assert.Equal("output", model.Graph.Node[^1].Output.Single());
        Assert.Equal(model.Graph.Node[1].Output.Single(), model.Graph.Node[2].Input.Single());
    }

    [Fact]
    public void Export_OfABatchNormalizationOnASequence_NamesTheShape()
    {
        var network = new FakeNetwork(new LayerInfo("batch_normalization", "BatchNormalization", 6, 6, Activation.Linear, 6, 0, 6, [2, 3]) { InputShape = [2, 3] });
        var e = Assert.Throws<NotSupportedException>(() => network.ToOnnx());
        Assert.Contains("BatchNormalization layer 'batch_normalization' needs a vector or an image in, but its input is (2, 3)", e.Message);
    }

    [OnnxCheckerFact]
    public void Export_PassesOnnxChecker_WithFullShapeInference()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"nngen-onnx-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var paths = All.Select(n => { string p = Path.Combine(dir, n.Key + ".onnx"); n.Value().SaveOnnx(p); return p; }).ToArray();
            // full_check also infers every shape and compares it with the declared output shape.
            var (code, output) = OnnxCheckerFactAttribute.RunPython(
                "import onnx, sys\nfor p in sys.argv[1:]:\n    onnx.checker.check_model(onnx.load(p), full_check=True)\nprint('ok', len(sys.argv) - 1)", paths);
            Assert.True(code == 0, output);
            Assert.Equal($"ok {paths.Length}", output.Trim());

            // And the checker can fail: a model whose Gemm names a missing initialiser.
            ModelProto broken = ModelProto.Parser.ParseFrom(File.ReadAllBytes(paths[0]));
            broken.Graph.Initializer.RemoveAt(0);
            File.WriteAllBytes(paths[0], broken.ToByteArray());
            (code, output) = OnnxCheckerFactAttribute.RunPython("import onnx, sys\nonnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)", paths[0]);
            Assert.NotEqual(0, code);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    internal static int[] SampleShape(INetwork network) => [.. network.Layers[0].InputShape ?? [network.InputSize]];

    /// <summary>Every parameter uniform in [-1, 1); moving means in [-1, 1), moving variances in [0.25, 2.25), so that BatchNormalization's inference form does something.</summary>
    internal static void Randomize(INetwork network, int seed)
    {
        var rng = new Rng(seed);
        Span<float> p = network.Parameters, state = network.NonTrainableParameters;
        for (int i = 0; i < p.Length; i++) p[i] = rng.NextFloat(-1, 1);
        foreach (LayerInfo l in network.Layers.Where(l => l.NonTrainableParameters > 0))
        {
            int n = l.NonTrainableParameters / 2;
            for (int i = 0; i < n; i++)
            {
                state[l.StateOffset + i] = rng.NextFloat(-1, 1);
                state[l.StateOffset + n + i] = rng.NextFloat(0.25f, 2.25f);
            }
        }
    }

    internal static float[] RandomInputs(INetwork network, int rows, int seed)
    {
        var rng = new Rng(seed);
        var inputs = new float[rows * network.InputSize];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = rng.NextFloat(-2, 2);
        return inputs;
    }

    internal static void AssertClose(float[] expected, float[] actual, string what, float tolerance = 1e-5f)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            if (!(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i]))))
                Assert.Fail($"{what}: output {i} is {actual[i]:R} in ONNX Runtime, {expected[i]:R} in NnGen (tolerance {tolerance}).");
    }
}
