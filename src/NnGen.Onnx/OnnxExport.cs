using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Google.Protobuf;
using NnGen.Kernels;
using Onnx;

namespace NnGen.Onnx;

/// <summary>
/// Writes a network as an ONNX model (IR version 8, opset 17, as far as Debian's onnx 1.12 checks): one graph input
/// <c>input</c> and one output <c>output</c>, both with a symbolic batch dimension <c>batch</c> and the network's own
/// channels-last sample shape, so that the model takes and gives exactly the floats <c>Predict</c> does. Each layer is a
/// node named after the layer (its activation, when it has one, a node named <c>layer/activation</c>); parameters are
/// initialisers named <c>layer/kernel</c>, <c>layer/bias</c>, <c>layer/gamma</c>, ... Convolutions and pooling run in
/// ONNX's NCHW layout: the exporter inserts a Transpose where the layout changes, as tf2onnx does for Keras models.
/// </summary>
public static class OnnxExport
{
    /// <summary>The ONNX IR version written.</summary>
    public const long IrVersion = 8;

    /// <summary>The operator set written (the default domain).</summary>
    public const long Opset = 17;

    /// <summary>Writes <paramref name="network"/>, in inference form (BatchNormalization with its moving statistics, Dropout as identity), to <paramref name="path"/>.</summary>
    /// <exception cref="NotSupportedException">The network has a layer kind this exporter does not know.</exception>
    public static void SaveOnnx(this INetwork network, string path)
    {
        byte[] bytes = network.ToOnnx();
        File.WriteAllBytes(path, bytes); // a null path is its ArgumentNullException
    }

    /// <summary>The ONNX model of <paramref name="network"/> as bytes (see <see cref="SaveOnnx"/>).</summary>
    public static byte[] ToOnnx(this INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        float[] weights = network.AllWeights(); // a copy, taken under the network's concurrent-use guard
        return new Builder(network, weights).Build().ToByteArray();
    }

    private enum Layout { Flat, Nhwc, Nchw }

    private sealed class Builder(INetwork network, float[] weights)
    {
        private readonly GraphProto _graph = new() { Name = network.Name };
        private readonly HashSet<string> _names = new(StringComparer.Ordinal);
        private string _current = "input";
        private Layout _layout;

        public ModelProto Build()
        {
            IReadOnlyList<LayerInfo> layers = network.Layers;
            if (layers.Count == 0) throw new NotSupportedException($"ONNX export: network '{network.Name}' has no layers.");
            IReadOnlyList<int> inputShape = layers[0].InputShape ?? [layers[0].InputUnits];
            _graph.Input.Add(Value("input", inputShape));
            _layout = inputShape.Count == 3 ? Layout.Nhwc : Layout.Flat;
            foreach (LayerInfo layer in layers) Add(layer); // every layer writes at least one node
            if (_layout == Layout.Nchw) ToNhwc("output/to_nhwc");
            _graph.Node[^1].Output[0] = "output"; // the last node writes the graph's output
            IReadOnlyList<int> outputShape = layers[^1].OutputShape ?? [layers[^1].OutputUnits];
            _graph.Output.Add(Value("output", outputShape));

            var model = new ModelProto
            {
                IrVersion = IrVersion,
                ProducerName = "NnGen",
                ProducerVersion = typeof(OnnxExport).Assembly.GetName().Version?.ToString(3) ?? "",
                DocString = network.Architecture,
                Graph = _graph,
            };
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
            model.MetadataProps.Add(new StringStringEntryProto { Key = "nngen.architecture", Value = network.Architecture });
            model.MetadataProps.Add(new StringStringEntryProto { Key = "nngen.loss", Value = network.Loss.ToString() });
            return model;
        }

        private void Add(LayerInfo l)
        {
            int p = l.ParameterOffset, state = network.Parameters.Length + l.StateOffset;
            switch (l.Type)
            {
                case "Dense":
                {
                    int inputs = l.InputUnits, units = l.OutputUnits;
                    Require(_layout == Layout.Flat, l, "a vector input");
                    string kernel = Initializer($"{l.Name}/kernel", [inputs, units], weights.AsSpan(p, inputs * units));
                    string bias = Initializer($"{l.Name}/bias", [units], weights.AsSpan(p + inputs * units, units));
                    Node("Gemm", l.Name, [_current, kernel, bias]);
                    Activation(l, l.Activation, $"{l.Name}/activation");
                    break;
                }
                case "Conv2D":
                {
                    LayerWindow w = WindowOf(l);
                    IReadOnlyList<int> input = ImageShape(l);
                    int c = input[2], f = l.OutputShape![2], area = w.KernelHeight * w.KernelWidth, length = area * c * f;
                    ToNchw($"{l.Name}/to_nchw");
                    // NnGen's kernel is (KH, KW, C, F), as Keras's; ONNX's is (F, C, KH, KW).
                    var kernel = new float[length];
                    ReadOnlySpan<float> source = weights.AsSpan(p, length);
                    for (int k = 0; k < area; k++)
                        for (int ci = 0; ci < c; ci++)
                            for (int fi = 0; fi < f; fi++)
                                kernel[(fi * c + ci) * area + k] = source[(k * c + ci) * f + fi];
                    var inputs = new List<string> { _current, Initializer($"{l.Name}/kernel", [f, c, w.KernelHeight, w.KernelWidth], kernel) };
                    if (l.UseBias) inputs.Add(Initializer($"{l.Name}/bias", [f], weights.AsSpan(p + length, f)));
                    NodeProto node = Node("Conv", l.Name, inputs);
                    WindowAttributes(node, w);
                    Activation(l, l.Activation, $"{l.Name}/activation");
                    break;
                }
                case "MaxPooling2D" or "AveragePooling2D":
                {
                    LayerWindow w = WindowOf(l);
                    ImageShape(l);
                    ToNchw($"{l.Name}/to_nchw");
                    // AveragePool's count_include_pad defaults to 0: padding is left out of the mean, as in Keras.
                    WindowAttributes(Node(l.Type == "MaxPooling2D" ? "MaxPool" : "AveragePool", l.Name, [_current]), w);
                    break;
                }
                case "GlobalAveragePooling2D" or "GlobalMaxPooling2D":
                {
                    ImageShape(l);
                    NodeProto node = Node(l.Type == "GlobalMaxPooling2D" ? "ReduceMax" : "ReduceMean", l.Name, [_current]);
                    node.Attribute.Add(Ints("axes", _layout == Layout.Nchw ? [2, 3] : [1, 2]));
                    node.Attribute.Add(Int("keepdims", 0));
                    _layout = Layout.Flat;
                    break;
                }
                case "BatchNormalization":
                {
                    int n = l.Parameters / 2;
                    IReadOnlyList<int> shape = l.InputShape ?? [l.InputUnits];
                    if (shape.Count == 3) ToNchw($"{l.Name}/to_nchw");
                    else Require(shape.Count == 1, l, "a vector or an image");
                    string gamma = Initializer($"{l.Name}/gamma", [n], weights.AsSpan(p, n));
                    string beta = Initializer($"{l.Name}/beta", [n], weights.AsSpan(p + n, n));
                    string mean = Initializer($"{l.Name}/moving_mean", [n], weights.AsSpan(state, n));
                    string variance = Initializer($"{l.Name}/moving_variance", [n], weights.AsSpan(state + n, n));
                    Node("BatchNormalization", l.Name, [_current, gamma, beta, mean, variance]).Attribute.Add(Float("epsilon", l.Epsilon));
                    break;
                }
                case "Dropout":
                    Node("Identity", l.Name, [_current]); // inference: Dropout passes its input through, as Keras's
                    break;
                case "Activation":
                    Activation(l, l.Activation, l.Name, always: true);
                    break;
                case "Flatten" or "Reshape":
                {
                    // NnGen's flat order is channels last: go back to NHWC before the sample is reread.
                    ToNhwc($"{l.Name}/to_nhwc");
                    IReadOnlyList<int> output = l.OutputShape ?? [l.OutputUnits];
                    if (l.Type == "Flatten") Node("Flatten", l.Name, [_current]).Attribute.Add(Int("axis", 1));
                    else
                    {
                        long[] target = [0, .. output.Select(d => (long)d)]; // 0: the batch dimension, copied from the input
                        Node("Reshape", l.Name, [_current, Initializer($"{l.Name}/shape", target)]);
                    }
                    _layout = output.Count == 3 ? Layout.Nhwc : Layout.Flat;
                    break;
                }
                default:
                    throw new NotSupportedException($"ONNX export: layer '{l.Name}' is a {l.Type}, which the exporter does not know (it writes Dense, Conv2D, " +
                        "MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D, BatchNormalization, Dropout, Activation, Flatten and Reshape).");
            }
        }

        /// <summary>The node applying <paramref name="activation"/> to the current tensor, or none for linear unless <paramref name="always"/> (an Activation layer is always a node).</summary>
        private void Activation(LayerInfo l, NnGen.Activation activation, string name, bool always = false)
        {
            switch (activation)
            {
                case NnGen.Activation.Linear: if (always) Node("Identity", name, [_current]); break;
                case NnGen.Activation.Relu: Node("Relu", name, [_current]); break;
                case NnGen.Activation.Sigmoid: Node("Sigmoid", name, [_current]); break;
                case NnGen.Activation.Tanh: Node("Tanh", name, [_current]); break;
                case NnGen.Activation.LeakyRelu: Node("LeakyRelu", name, [_current]).Attribute.Add(Float("alpha", ActivationKernels.LeakySlope)); break;
                case NnGen.Activation.Elu: Node("Elu", name, [_current]).Attribute.Add(Float("alpha", 1f)); break;
                case NnGen.Activation.Softmax:
                    // Over the last axis of NnGen's channels-last sample: the channels, axis 1 in NCHW.
                    Node("Softmax", name, [_current]).Attribute.Add(Int("axis", _layout == Layout.Nchw ? 1 : -1));
                    break;
                default:
                    throw new NotSupportedException($"ONNX export: layer '{l.Name}' has activation {activation}, which the exporter does not know.");
            }
        }

        private static LayerWindow WindowOf(LayerInfo l) =>
            l.Window ?? throw new NotSupportedException($"ONNX export: {l.Type} layer '{l.Name}' does not state its window; rebuild the network with this version of NnGen.");

        private IReadOnlyList<int> ImageShape(LayerInfo l)
        {
            IReadOnlyList<int>? shape = l.InputShape;
            if (shape is not { Count: 3 } || _layout == Layout.Flat)
                throw new NotSupportedException($"ONNX export: {l.Type} layer '{l.Name}' needs an image (height, width, channels) in, but its input is ({string.Join(", ", shape ?? [l.InputUnits])}).");
            return shape;
        }

        private static void Require(bool condition, LayerInfo l, string what)
        {
            if (!condition) throw new NotSupportedException($"ONNX export: {l.Type} layer '{l.Name}' needs {what} in, but its input is ({string.Join(", ", l.InputShape ?? [l.InputUnits])}).");
        }

        private void ToNchw(string name)
        {
            if (_layout != Layout.Nhwc) return;
            Node("Transpose", name, [_current]).Attribute.Add(Ints("perm", [0, 3, 1, 2]));
            _layout = Layout.Nchw;
        }

        private void ToNhwc(string name)
        {
            if (_layout != Layout.Nchw) return;
            Node("Transpose", name, [_current]).Attribute.Add(Ints("perm", [0, 2, 3, 1]));
            _layout = Layout.Nhwc;
        }

        private static void WindowAttributes(NodeProto node, LayerWindow w)
        {
            node.Attribute.Add(Ints("kernel_shape", [w.KernelHeight, w.KernelWidth]));
            node.Attribute.Add(Ints("strides", [w.StrideHeight, w.StrideWidth]));
            node.Attribute.Add(Ints("pads", [w.PadTop, w.PadLeft, w.PadBottom, w.PadRight]));
        }

        /// <summary>Adds a node named <paramref name="name"/> reading <paramref name="inputs"/>; its output (a tensor of the same name) becomes the current tensor.</summary>
        private NodeProto Node(string op, string name, IEnumerable<string> inputs)
        {
            string output = Unique(name);
            var node = new NodeProto { OpType = op, Name = output };
            node.Input.Add(inputs);
            node.Output.Add(output);
            _graph.Node.Add(node);
            _current = output;
            return node;
        }

        private string Initializer(string name, long[] dims, ReadOnlySpan<float> values)
        {
            var tensor = new TensorProto { Name = Unique(name), DataType = (int)TensorProto.Types.DataType.Float };
            tensor.Dims.Add(dims);
            tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values)); // little-endian, as ONNX's raw_data (and every platform .NET runs on here)
            _graph.Initializer.Add(tensor);
            return tensor.Name;
        }

        private string Initializer(string name, long[] values)
        {
            var tensor = new TensorProto { Name = Unique(name), DataType = (int)TensorProto.Types.DataType.Int64 };
            tensor.Dims.Add(values.Length);
            tensor.Int64Data.Add(values);
            _graph.Initializer.Add(tensor);
            return tensor.Name;
        }

        /// <summary>Names are unique in an ONNX graph; a layer name the user chose could collide with a derived one (<c>dense/activation</c>).</summary>
        private string Unique(string name)
        {
            string unique = name;
            for (int i = 1; !_names.Add(unique); i++) unique = $"{name}_{i}";
            return unique;
        }

        private static ValueInfoProto Value(string name, IReadOnlyList<int> sample)
        {
            var shape = new TensorShapeProto();
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
            foreach (int d in sample) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
            return new ValueInfoProto
            {
                Name = name,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
            };
        }

        private static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };
        private static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

        private static AttributeProto Ints(string name, long[] values)
        {
            var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
            a.Ints.Add(values);
            return a;
        }
    }
}
