using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Google.Protobuf;
using NnGen.Onnx;
using NnGen.Tests.Networks;
using Onnx;

namespace NnGen.Tests.Onnx;

/// <summary>
/// Import: files that PyTorch exported (Onnx/Fixtures, made once by make_fixtures.py with the outputs PyTorch gave) load
/// into the matching declared networks and reproduce PyTorch's outputs; NnGen's own exports load back bit for bit; and
/// each kind of bad file is refused with a message naming the node, the layer and the numbers, the weights unchanged.
/// </summary>
public sealed class OnnxImportTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Onnx", "Fixtures", name);

    public static TheoryData<string> PyTorchModels => new(["normalized_net", "valid_conv_net", "same_conv_net"]);

    private static INetwork For(string fixture) => fixture switch
    {
        "normalized_net" => new NormalizedNet(),
        "valid_conv_net" => new ValidConvNet(),
        _ => new SameConvNet(),
    };

    [Theory]
    [MemberData(nameof(PyTorchModels))]
    public void LoadOnnx_OfAPyTorchExport_ReproducesPyTorchsOutputs(string fixture)
    {
        INetwork network = For(fixture);
        Dictionary<string, float[]> values = File.ReadLines(Fixture(fixture + ".txt")).Select(l => l.Split(' '))
            .ToDictionary(p => p[0], p => p.Skip(1).Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray());
        Assert.Equal(OnnxExportTests.SampleShape(network).Select(d => (float)d), values["shape"]);

        network.LoadOnnx(Fixture(fixture + ".onnx"));
        float[] inputs = values["input"], expected = values["output"];
        var actual = new float[expected.Length];
        network.Predict(inputs, actual);
        OnnxExportTests.AssertClose(expected, actual, $"{fixture}: NnGen after import against PyTorch");
    }

    [Theory]
    [MemberData(nameof(OnnxExportTests.Networks), MemberType = typeof(OnnxExportTests))]
    public void LoadOnnx_OfNnGensOwnExport_RestoresEveryWeightBitForBit(string name)
    {
        INetwork source = OnnxExportTests.Create(name), target = OnnxExportTests.Create(name);
        OnnxExportTests.Randomize(source, seed: 11);
        target.LoadOnnx(source.ToOnnx());
        Assert.Equal(source.Parameters.ToArray(), target.Parameters.ToArray());
        Assert.Equal(source.NonTrainableParameters.ToArray(), target.NonTrainableParameters.ToArray());
    }

    private static ModelProto Model(string fixture) => ModelProto.Parser.ParseFrom(File.ReadAllBytes(Fixture(fixture + ".onnx")));

    /// <summary>Loads <paramref name="model"/> into a fresh network of the fixture, expecting <typeparamref name="T"/>; checks the weights did not change.</summary>
    private static string Refused<T>(string fixture, ModelProto model, INetwork? network = null) where T : Exception
    {
        network ??= For(fixture);
        float[] before = network.AllWeights();
        var e = Assert.Throws<T>(() => network.LoadOnnx(model.ToByteArray(), "m.onnx"));
        Assert.Equal(before, network.AllWeights());
        Assert.StartsWith("m.onnx: ", e.Message);
        return e.Message;
    }

    [Fact]
    public void LoadOnnx_OfATruncatedOrEmptyOrForeignFile_SaysItIsNotAnOnnxModel()
    {
        byte[] bytes = File.ReadAllBytes(Fixture("valid_conv_net.onnx"));
        var network = new ValidConvNet();
        float[] before = network.AllWeights();
        foreach (int length in new[] { bytes.Length / 2, bytes.Length - 3, 10 })
        {
            var e = Assert.Throws<InvalidDataException>(() => network.LoadOnnx(bytes.AsSpan(0, length), "m.onnx"));
            Assert.Contains($"m.onnx: not an ONNX model ({length:N0} bytes", e.Message);
        }
        Assert.Contains("no graph", Assert.Throws<InvalidDataException>(() => network.LoadOnnx([], "m.onnx")).Message);
        Assert.Contains("not an ONNX model", Assert.Throws<InvalidDataException>(() => network.LoadOnnx("PK\x03\x04 not a model"u8, "m.onnx")).Message);
        Assert.Equal(before, network.AllWeights());

        string missing = Path.Combine(Path.GetTempPath(), $"nngen-missing-{Guid.NewGuid():N}.onnx");
        Assert.Contains(missing, Assert.Throws<IOException>(() => network.LoadOnnx(missing)).Message);
    }

    [Fact]
    public void LoadOnnx_OfAnUnsupportedOperator_NamesTheNodeAndTheOperator()
    {
        ModelProto model = Model("normalized_net");
        model.Graph.Node.Single(n => n.OpType == "Tanh").OpType = "LSTM";
        string message = Refused<NotSupportedException>("normalized_net", model);
        Assert.Contains("node '/7/Tanh' is a LSTM, which has no NnGen layer to load into", message);

        model = Model("normalized_net");
        var scale = new TensorProto { Name = "scale", DataType = 1, RawData = ByteString.CopyFrom(new byte[12]) };
        scale.Dims.Add(3);
        model.Graph.Initializer.Add(scale);
        model.Graph.Node.Single(n => n.OpType == "Tanh").OpType = "Mul";
        model.Graph.Node.Single(n => n.OpType == "Mul").Input.Add("scale");
        Assert.Contains("node '/7/Tanh' (Mul) applies the tensor 'scale' of 3 values", Refused<NotSupportedException>("normalized_net", model));
    }

    [Fact]
    public void LoadOnnx_OfAWrongShape_NamesTheLayerTheNodeAndBothShapes()
    {
        // The same model into a network whose first Dense is wider: (11, 6) in the file, (12, 6) wanted... by changing the file instead.
        ModelProto model = Model("normalized_net");
        TensorProto weight = model.Graph.Initializer.Single(t => t.Name == "1.weight");
        weight.Dims[0] = 12;
        weight.RawData = ByteString.CopyFrom(new byte[12 * 6 * 4]);
        Assert.Contains("layer 'dense' (Dense) needs a kernel of (11, 6) (units, inputs) as PyTorch's Linear, but node '/1/Gemm' has '1.weight' of (12, 6)",
            Refused<ArgumentException>("normalized_net", model));

        model = Model("valid_conv_net");
        model.Graph.Initializer.Single(t => t.Name == "0.weight").Dims[2] = 2;
        Assert.Contains("layer 'conv2d' (Conv2D) needs a kernel of (3, 2, 3, 3) (filters, channels, height, width), but node '/0/Conv' has '0.weight' of (3, 2, 2, 3)",
            Refused<ArgumentException>("valid_conv_net", model));
    }

    [Fact]
    public void LoadOnnx_IntoADifferentNetwork_CountsTheLayersOnBothSides()
    {
        string message = Refused<ArgumentException>("normalized_net", Model("valid_conv_net"), new NormalizedNet());
        Assert.Contains("the network has 5 layers with parameters (batch_normalization (BatchNormalization), dense (Dense),", message);
        Assert.Contains("but the model has 2 nodes with parameters (/0/Conv (Conv), /4/Gemm (Gemm))", message);

        ModelProto model = Model("normalized_net");
        model.Graph.Node[0].OpType = "Conv";
        Assert.Contains("layer 'batch_normalization' is a BatchNormalization, so the model's node 1 with parameters should be a BatchNormalization, but '/0/BatchNormalization' is a Conv",
            Refused<ArgumentException>("normalized_net", model));
    }

    [Fact]
    public void LoadOnnx_WithAnotherEpsilonOrStride_SaysWhatToDeclare()
    {
        ModelProto model = Model("normalized_net");
        model.Graph.Node[0].Attribute.Single(a => a.Name == "epsilon").F = 1e-5f;
        Assert.Contains("layer 'batch_normalization' has epsilon 0.01, but node '/0/BatchNormalization' has 1E-05 (PyTorch's default is 1e-05, Keras's 0.001): declare [BatchNormalization(Epsilon = 1E-05)]",
            Refused<ArgumentException>("normalized_net", model));

        model = Model("same_conv_net");
        model.Graph.Node[0].Attribute.Single(a => a.Name == "strides").Ints[1] = 1;
        Assert.Contains("layer 'conv2d' has strides (2, 2), but node '/0/Conv' has strides (2, 1)", Refused<ArgumentException>("same_conv_net", model));
    }

    [Fact]
    public void LoadOnnx_OfMalformedTensors_NamesTheTensorAndTheNumbers()
    {
        ModelProto model = Model("valid_conv_net");
        TensorProto bias = model.Graph.Initializer.Single(t => t.Name == "4.bias");
        bias.RawData = ByteString.CopyFrom(bias.RawData.Span[..12]);
        Assert.Contains("tensor '4.bias' of (4) should hold 16 bytes, but holds 12", Refused<InvalidDataException>("valid_conv_net", model));

        model = Model("valid_conv_net");
        bias = model.Graph.Initializer.Single(t => t.Name == "4.bias");
        byte[] raw = bias.RawData.ToByteArray();
        BitConverter.GetBytes(float.NaN).CopyTo(raw, 0);
        BitConverter.GetBytes(float.PositiveInfinity).CopyTo(raw, 8);
        bias.RawData = ByteString.CopyFrom(raw);
        Assert.Contains("tensor '4.bias' (the bias of layer 'dense') has NaN at index 0", Refused<InvalidDataException>("valid_conv_net", model));
        BitConverter.GetBytes(1f).CopyTo(raw, 0);
        bias.RawData = ByteString.CopyFrom(raw);
        Assert.Contains("tensor '4.bias' (the bias of layer 'dense') has Infinity at index 2", Refused<InvalidDataException>("valid_conv_net", model));

        model = Model("valid_conv_net");
        model.Graph.Initializer.Single(t => t.Name == "4.bias").DataType = (int)TensorProto.Types.DataType.Double;
        Assert.Contains("tensor '4.bias' (the bias of layer 'dense') holds Double values; NnGen loads float32", Refused<InvalidDataException>("valid_conv_net", model));

        model = Model("valid_conv_net");
        model.Graph.Initializer.Remove(model.Graph.Initializer.Single(t => t.Name == "4.bias"));
        Assert.Contains("node '/4/Gemm' (for layer 'dense') takes its bias from '4.bias', which is not an initialiser or a constant", Refused<InvalidDataException>("valid_conv_net", model));

        model = Model("normalized_net");
        TensorProto variance = model.Graph.Initializer.Single(t => t.Name == "3.running_var");
        raw = variance.RawData.ToByteArray();
        BitConverter.GetBytes(-0.5f).CopyTo(raw, 4);
        variance.RawData = ByteString.CopyFrom(raw);
        Assert.Contains("node '/3/BatchNormalization' (for layer 'batch_normalization_1') has a negative moving variance (-0.5)", Refused<InvalidDataException>("normalized_net", model));
    }

    [Fact]
    public void LoadOnnx_OfAChannelsFirstImageFlattenedAtOnce_ReordersTheRows()
    {
        // NnGen's own export of an image flattened at once, relabelled as another producer's with a (batch, C, H, W) input:
        // the same file now means channels first, so the Dense rows are read in (C, H, W) order.
        var source = new FlattenFirstNet();
        OnnxExportTests.Randomize(source, seed: 5);
        ModelProto model = ModelProto.Parser.ParseFrom(source.ToOnnx());
        model.ProducerName = "pytorch";
        var dims = model.Graph.Input[0].Type.TensorType.Shape.Dim;
        (dims[1].DimValue, dims[2].DimValue, dims[3].DimValue) = (2, 3, 2);
        var target = new FlattenFirstNet();
        target.LoadOnnx(model.ToByteArray());
        // NnGen's feature (h, w, c) of the (3, 2, 2) image is the file's row (c, h, w).
        for (int h = 0; h < 3; h++)
            for (int w = 0; w < 2; w++)
                for (int c = 0; c < 2; c++)
                    for (int j = 0; j < 3; j++)
                        Assert.Equal(((INetwork)source).Parameters[((c * 3 + h) * 2 + w) * 3 + j], ((INetwork)target).Parameters[((h * 2 + w) * 2 + c) * 3 + j]);
    }

    [Fact]
    public void LoadOnnx_OfAnotherProducersChannelsLastImageFlattenedAtOnce_TakesTheRowsAsTheyAre()
    {
        // The input declared (batch, H, W, C) as the network's, by a producer that is not NnGen: channels last, no reordering.
        (INetwork source, ModelProto model) = Exported("FlattenFirstNet");
        model.ProducerName = "tf2onnx";
        AssertLoadsAs(source, model, "FlattenFirstNet");
    }

    [Fact]
    public void LoadOnnx_OfAConvolutionWithoutStridesOrBias_TakesOnesAndZeros()
    {
        ModelProto model = Model("valid_conv_net");
        NodeProto conv = model.Graph.Node.Single(n => n.OpType == "Conv");
        conv.Attribute.Remove(conv.Attribute.Single(a => a.Name == "strides")); // ONNX's default: 1 along each axis
        conv.Input.RemoveAt(2);
        var network = new ValidConvNet();
        OnnxExportTests.Randomize(network, seed: 6);
        network.LoadOnnx(model.ToByteArray());
        Assert.All(((INetwork)network).Parameters.Slice(3 * 3 * 2 * 3, 3).ToArray(), b => Assert.Equal(0f, b));
    }

    [Fact]
    public void LoadOnnx_ReordersTheDenseRowsAfterAnNchwFlatten()
    {
        // The check that the reordering matters: without it the ValidConvNet fixture's outputs would differ. Load the
        // fixture, then run the same model with its Flatten preceded by NHWC's transpose (as NnGen exports): the rows are then taken as they are.
        var reordered = new ValidConvNet();
        reordered.LoadOnnx(Fixture("valid_conv_net.onnx"));
        ModelProto model = Model("valid_conv_net");
        int flatten = model.Graph.Node.IndexOf(model.Graph.Node.Single(n => n.OpType == "Flatten"));
        var transpose = new NodeProto { OpType = "Transpose", Name = "to_nhwc" };
        transpose.Attribute.Add(new AttributeProto { Name = "perm", Type = AttributeProto.Types.AttributeType.Ints, Ints = { 0, 2, 3, 1 } });
        model.Graph.Node.Insert(flatten, transpose);
        var asIs = new ValidConvNet();
        asIs.LoadOnnx(model.ToByteArray());
        int kernel = ((INetwork)asIs).Layers.Single(l => l.Type == "Dense").ParameterOffset;
        Assert.NotEqual(((INetwork)reordered).Parameters[kernel..].ToArray(), ((INetwork)asIs).Parameters[kernel..].ToArray());
        Assert.Equal(((INetwork)reordered).Parameters[..kernel].ToArray(), ((INetwork)asIs).Parameters[..kernel].ToArray());
    }

    /// <summary>A network's own export with the tensors of its weights re-encoded: the values of any loader must not change.</summary>
    private static (INetwork Source, ModelProto Model) Exported(string name, int seed = 3)
    {
        INetwork source = OnnxExportTests.Create(name);
        OnnxExportTests.Randomize(source, seed);
        return (source, ModelProto.Parser.ParseFrom(source.ToOnnx()));
    }

    private static void AssertLoadsAs(INetwork source, ModelProto model, string name)
    {
        INetwork target = OnnxExportTests.Create(name);
        target.LoadOnnx(model.ToByteArray());
        Assert.Equal(source.AllWeights(), target.AllWeights());
    }

    [Fact]
    public void LoadOnnx_ReadsMatMulWithAddAndFloatDataAndConstantNodes()
    {
        // Linear layers as MatMul + Add, the weights as float_data instead of raw bytes, one of them a Constant node.
        (INetwork source, ModelProto model) = Exported("OddMlp");
        var nodes = model.Graph.Node;
        for (int i = 0; i < nodes.Count; i++)
        {
            if (nodes[i].OpType != "Gemm") continue;
            NodeProto gemm = nodes[i];
            var matmul = new NodeProto { OpType = "MatMul", Name = gemm.Name + "/matmul", Input = { gemm.Input[0], gemm.Input[1] }, Output = { gemm.Name + "/product" } };
            var add = new NodeProto { OpType = "Add", Name = gemm.Name + "/add", Input = { gemm.Name + "/product", gemm.Input[2] }, Output = { gemm.Output[0] } };
            nodes[i] = matmul;
            nodes.Insert(i + 1, add);
        }
        foreach (TensorProto t in model.Graph.Initializer)
        {
            t.FloatData.Add(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(t.RawData.Span).ToArray());
            t.RawData = ByteString.Empty;
        }
        TensorProto first = model.Graph.Initializer[0];
        model.Graph.Initializer.RemoveAt(0);
        nodes.Insert(0, new NodeProto { OpType = "Constant", Name = "constant", Output = { first.Name },
            Attribute = { new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = first } } });
        AssertLoadsAs(source, model, "OddMlp");

        // A MatMul without outputs (a malformed file) gives a message, not an index error: the Add after it is not its bias, so it applies parameters of its own.
        NodeProto bare = nodes.First(n => n.OpType == "MatMul");
        bare.Output.Clear();
        Assert.Contains("(Add) applies the tensor 'dense/bias' of 19 values", Assert.Throws<NotSupportedException>(() => new OddMlp().LoadOnnx(model.ToByteArray(), "m.onnx")).Message);
        bare.Output.Add(bare.Name.Replace("/matmul", "/product"));

        first.FloatData.RemoveAt(0);
        Assert.Contains($"tensor '{first.Name}' of (33, 19) should hold 627 values, but holds 626", Assert.Throws<InvalidDataException>(() => new OddMlp().LoadOnnx(model.ToByteArray(), "m.onnx")).Message);
    }

    [Fact]
    public void LoadOnnx_WithoutBiases_LoadsZeros_AndAConvolutionDeclaredWithoutBiasRefusesOne()
    {
        // Gemm's C is optional: a Linear(bias=False) in PyTorch.
        (INetwork source, ModelProto model) = Exported("OddMlp");
        NodeProto gemm = model.Graph.Node.First(n => n.OpType == "Gemm");
        gemm.Input.RemoveAt(2);
        INetwork target = OnnxExportTests.Create("OddMlp");
        OnnxExportTests.Randomize(target, seed: 99);
        target.LoadOnnx(model.ToByteArray());
        LayerInfo dense = target.Layers[0];
        Assert.All(target.Parameters.Slice(dense.ParameterOffset + 33 * 19, 19).ToArray(), b => Assert.Equal(0f, b));
        Assert.Equal(source.Parameters[..(33 * 19)].ToArray(), target.Parameters[..(33 * 19)].ToArray());

        // HiddenConvNet's convolution has UseBias = false: a zero bias in the file is fine, another is not.
        (source, model) = Exported("HiddenConvNet");
        NodeProto conv = model.Graph.Node.Single(n => n.OpType == "Conv");
        var bias = new TensorProto { Name = "conv_bias", DataType = 1, Dims = { 6 }, RawData = ByteString.CopyFrom(new byte[24]) };
        model.Graph.Initializer.Add(bias);
        conv.Input.Add("conv_bias");
        AssertLoadsAs(source, model, "HiddenConvNet");
        bias.RawData = ByteString.CopyFrom(BitConverter.GetBytes(0.5f).Concat(new byte[20]).ToArray());
        Assert.Contains("layer 'conv2d' is declared with UseBias = false, but node 'conv2d' adds a bias ('conv_bias') that is not zero",
            Assert.Throws<ArgumentException>(() => new HiddenConvNet().LoadOnnx(model.ToByteArray(), "m.onnx")).Message);
    }

    [Fact]
    public void LoadOnnx_OfWhatALayerCannotExpress_NamesTheNodeAndTheAttribute()
    {
        ModelProto model = Model("valid_conv_net");
        model.Graph.Node[0].Attribute.Single(a => a.Name == "group").I = 2;
        Assert.Contains("node '/0/Conv' (for layer 'conv2d') is a grouped convolution (group 2)", Refused<NotSupportedException>("valid_conv_net", model));

        model = Model("valid_conv_net");
        model.Graph.Node[0].Attribute.Single(a => a.Name == "dilations").Ints[0] = 2;
        Assert.Contains("node '/0/Conv' (for layer 'conv2d') is dilated (2, 1)", Refused<NotSupportedException>("valid_conv_net", model));

        foreach (var (attribute, value) in new[] { ("transA", 1f), ("alpha", 2f), ("beta", 0.5f) })
        {
            model = Model("valid_conv_net");
            NodeProto gemm = model.Graph.Node.Single(n => n.OpType == "Gemm");
            if (gemm.Attribute.SingleOrDefault(a => a.Name == attribute) is { } stated) gemm.Attribute.Remove(stated);
            gemm.Attribute.Add(attribute == "transA"
                ? new AttributeProto { Name = attribute, Type = AttributeProto.Types.AttributeType.Int, I = (long)value }
                : new AttributeProto { Name = attribute, Type = AttributeProto.Types.AttributeType.Float, F = value });
            Assert.Contains("node '/4/Gemm' (Gemm, for layer 'dense') has transA, alpha or beta other than 0, 1 and 1", Refused<NotSupportedException>("valid_conv_net", model));
        }

        model = Model("valid_conv_net");
        model.Graph.Initializer.Single(t => t.Name == "4.weight").DataLocation = TensorProto.Types.DataLocation.External;
        Assert.Contains("tensor '4.weight' (the kernel of layer 'dense') is stored in an external file", Refused<NotSupportedException>("valid_conv_net", model));

        model = Model("normalized_net");
        model.Graph.Node[0].Input.RemoveAt(4);
        Assert.Contains("node '/0/BatchNormalization' (BatchNormalization, for layer 'batch_normalization') has 4 inputs; it needs 5", Refused<InvalidDataException>("normalized_net", model));
    }

    /// <summary>
    /// The strongest check of the layout rules: ONNX Runtime runs <paramref name="model"/> as a channels-first model (its
    /// input the NCHW transpose of NnGen's), and NnGen, after importing it, gives the same outputs from the NHWC images.
    /// </summary>
    private static void AssertImportReproducesOnnxRuntimeOnNchwImages(ModelProto model, INetwork target)
    {
        target.LoadOnnx(model.ToByteArray());
        int[] image = OnnxExportTests.SampleShape(target);
        int h = image[0], w = image[1], c = image[2], rows = 4;
        float[] nhwc = OnnxExportTests.RandomInputs(target, rows, seed: 21), nchw = new float[nhwc.Length];
        for (int r = 0; r < rows; r++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    for (int ch = 0; ch < c; ch++)
                        nchw[((r * c + ch) * h + y) * w + x] = nhwc[((r * h + y) * w + x) * c + ch];
        var expected = OnnxRuntimeReference.Run(model.ToByteArray(), nchw, [c, h, w]);
        var actual = new float[expected.Length];
        target.Predict(nhwc, actual);
        OnnxExportTests.AssertClose(expected, actual, "NnGen after import against ONNX Runtime on the channels-first model");
    }

    /// <summary>NnGen's export of <paramref name="name"/> as another producer's channels-first model: the input declared (batch, C, H, W), the transposes at the input and before the Flatten gone.</summary>
    private static ModelProto AsChannelsFirst(string name)
    {
        (_, ModelProto model) = Exported(name, seed: 8);
        model.ProducerName = "pytorch";
        var dims = model.Graph.Input[0].Type.TensorType.Shape.Dim;
        (dims[1].DimValue, dims[2].DimValue, dims[3].DimValue) = (dims[3].DimValue, dims[1].DimValue, dims[2].DimValue);
        var nodes = model.Graph.Node;
        foreach (NodeProto transpose in nodes.Where(n => n.OpType == "Transpose").ToArray())
        {
            foreach (NodeProto reader in nodes) for (int i = 0; i < reader.Input.Count; i++) if (reader.Input[i] == transpose.Output[0]) reader.Input[i] = transpose.Input[0];
            nodes.Remove(transpose);
        }
        return model;
    }

    [Fact]
    public void LoadOnnx_OfAChannelsFirstConvNet_ReproducesOnnxRuntime() => AssertImportReproducesOnnxRuntimeOnNchwImages(AsChannelsFirst("ValidConvNet"), new ValidConvNet());

    [Fact]
    public void LoadOnnx_OfAChannelsFirstBatchNormalizationAfterFlatten_ReproducesOnnxRuntime() =>
        AssertImportReproducesOnnxRuntimeOnNchwImages(AsChannelsFirst("FlattenNormNet"), new FlattenNormNet());

    [Fact]
    public void LoadOnnx_OfAChannelsLastModelFlatteningNchw_ReproducesOnnxRuntime()
    {
        // Channels-last input (as NnGen's), a Transpose to NCHW for the convolution, and no transpose back before the
        // Flatten: the file's Dense rows are in (C, H, W) order, which the import must follow the Transposes to see.
        (_, ModelProto model) = Exported("ValidConvNet", seed: 8);
        model.ProducerName = "tf2onnx";
        NodeProto back = model.Graph.Node.Single(n => n.Name.EndsWith("/to_nhwc", StringComparison.Ordinal));
        model.Graph.Node.Single(n => n.OpType == "Flatten").Input[0] = back.Input[0];
        model.Graph.Node.Remove(back);
        var target = new ValidConvNet();
        target.LoadOnnx(model.ToByteArray());
        float[] inputs = OnnxExportTests.RandomInputs(target, 4, seed: 2);
        float[] expected = OnnxRuntimeReference.Run(model.ToByteArray(), inputs, OnnxExportTests.SampleShape(target));
        var actual = new float[expected.Length];
        target.Predict(inputs, actual);
        OnnxExportTests.AssertClose(expected, actual, "NnGen after import against ONNX Runtime");
    }

    [Fact]
    public void LoadOnnx_ComparesEpsilonToFloatPrecision_AndTakesAZeroVariance()
    {
        ModelProto model = Model("normalized_net");
        AttributeProto epsilon = model.Graph.Node[0].Attribute.Single(a => a.Name == "epsilon");
        epsilon.F = 0.01f * (1 + 1e-5f);
        Assert.Contains("layer 'batch_normalization' has epsilon 0.01, but node '/0/BatchNormalization' has 0.0100001", Refused<ArgumentException>("normalized_net", model));
        epsilon.F = (float)0.01; // the declared 0.01, as float
        TensorProto variance = model.Graph.Initializer.Single(t => t.Name == "0.running_var");
        variance.RawData = ByteString.CopyFrom(new byte[24]);
        var network = new NormalizedNet();
        network.LoadOnnx(model.ToByteArray());
        Assert.Equal(0f, ((INetwork)network).NonTrainableParameters[6]);
    }

    [Fact]
    public void LoadOnnx_OfAGemmWithoutItsWeightOrWithAnEmptyBiasName_SaysWhatIsMissing()
    {
        ModelProto model = Model("valid_conv_net");
        NodeProto gemm = model.Graph.Node.Single(n => n.OpType == "Gemm");
        gemm.Input[2] = ""; // ONNX's way of leaving out an optional input
        var network = new ValidConvNet();
        OnnxExportTests.Randomize(network, seed: 4);
        network.LoadOnnx(model.ToByteArray());
        LayerInfo dense = ((INetwork)network).Layers.Single(l => l.Type == "Dense");
        Assert.All(((INetwork)network).Parameters.Slice(dense.ParameterOffset + 48, 4).ToArray(), b => Assert.Equal(0f, b));

        gemm.Input.RemoveAt(2);
        gemm.Input.RemoveAt(1);
        Assert.Contains("node '/4/Gemm' (for layer 'dense') takes its kernel from '', which is not an initialiser", Refused<InvalidDataException>("valid_conv_net", model));
        NodeProto conv = model.Graph.Node.Single(n => n.OpType == "Conv");
        conv.Input.RemoveAt(2);
        conv.Input.RemoveAt(1);
        Assert.Contains("node '/0/Conv' (for layer 'conv2d') takes its kernel from ''", Refused<InvalidDataException>("valid_conv_net", model));
    }

    [Fact]
    public void LoadOnnx_PassesOverTheOperatorsWithoutParameters()
    {
        string[] passed = ["Relu", "Sigmoid", "Tanh", "Softmax", "LeakyRelu", "Elu", "Identity", "Dropout", "MaxPool", "AveragePool", "GlobalAveragePool",
            "GlobalMaxPool", "ReduceMean", "ReduceMax", "Pad", "Constant", "Shape", "Gather", "Unsqueeze", "Squeeze", "Concat", "Slice", "Cast",
            "ConstantOfShape", "Mul", "Sub", "Add", "Div", "Flatten", "Reshape", "Transpose"];
        ModelProto model = Model("normalized_net");
        foreach (string op in passed) model.Graph.Node.Add(new NodeProto { OpType = op, Name = "extra_" + op });
        var network = new NormalizedNet();
        network.LoadOnnx(model.ToByteArray());
        var reference = new NormalizedNet();
        reference.LoadOnnx(Fixture("normalized_net.onnx"));
        Assert.Equal(((INetwork)reference).AllWeights(), ((INetwork)network).AllWeights());
    }

    [Fact]
    public async System.Threading.Tasks.Task LoadOnnx_RefusesNulls_AndReleasesTheNetworkForOtherThreads()
    {
        Assert.Throws<ArgumentNullException>(() => new ValidConvNet().LoadOnnx((string)null!));
        Assert.Throws<ArgumentNullException>(() => ((INetwork)null!).LoadOnnx(File.ReadAllBytes(Fixture("valid_conv_net.onnx"))));
        var network = new ValidConvNet();
        network.LoadOnnx(Fixture("valid_conv_net.onnx"));
        var outputs = new float[4];
        await System.Threading.Tasks.Task.Run(() => network.Predict(new float[84], outputs)); // throws if the load still held the network
        Assert.Equal(1, outputs.Sum(), 4);
    }
}
