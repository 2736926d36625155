using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace NnGen.Onnx;

/// <summary>
/// Loads the weights of a declared network from an ONNX model of the same layers, as PyTorch's <c>torch.onnx.export</c>
/// (or <see cref="OnnxExport.SaveOnnx"/>) writes it. The architecture is the declaration's; the file gives the numbers.
/// The nodes that carry parameters (Gemm, MatMul with its Add, Conv, BatchNormalization) are matched with the network's
/// Dense, Conv2D and BatchNormalization layers in order, and each tensor's shape is checked against the layer's:
/// PyTorch's (out, in) Linear weights and (F, C, KH, KW) convolution kernels are transposed to NnGen's layouts, and the
/// rows of a Dense kernel after a Flatten of an NCHW image are reordered from (C, H, W) to NnGen's (H, W, C).
/// Anything that does not match throws, naming the layer, the node and both shapes, and leaves the weights unchanged.
/// </summary>
public static class OnnxImport
{
    /// <summary>Operators without parameters that the importer passes over: activations, pooling, reshaping, and the shape arithmetic exporters write around them.</summary>
    private static readonly HashSet<string> PassedOver = new(StringComparer.Ordinal)
    {
        "Relu", "Sigmoid", "Tanh", "Softmax", "LeakyRelu", "Elu", "Identity", "Dropout", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool",
        "ReduceMean", "ReduceMax", "Flatten", "Reshape", "Transpose", "Pad", "Constant", "Shape", "Gather", "Unsqueeze", "Squeeze", "Concat", "Slice",
        "Cast", "ConstantOfShape", "Mul", "Sub", "Add", "Div",
    };

    /// <summary>Reads <paramref name="path"/> and loads its weights into <paramref name="network"/> (see <see cref="OnnxImport"/>).</summary>
    /// <exception cref="InvalidDataException">The file is not an ONNX model, or its tensors are malformed.</exception>
    /// <exception cref="ArgumentException">The model's layers or shapes do not match the network's.</exception>
    /// <exception cref="NotSupportedException">The model has an operator the importer cannot map.</exception>
    public static void LoadOnnx(this INetwork network, string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new IOException($"{path}: cannot read the ONNX model: {e.Message}", e); }
        network.LoadOnnx(bytes, path);
    }

    /// <summary>Loads the weights of the ONNX model in <paramref name="model"/>; <paramref name="source"/> names it in messages.</summary>
    public static void LoadOnnx(this INetwork network, ReadOnlySpan<byte> model, string source = "the ONNX model")
    {
        ArgumentNullException.ThrowIfNull(network);
        ModelProto proto = Parse(model, source);
        network.SetAllWeights(new Reader(network, proto, source).Read());
    }

    private static ModelProto Parse(ReadOnlySpan<byte> bytes, string source)
    {
        ModelProto model;
        try { model = ModelProto.Parser.ParseFrom(bytes); }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{source}: not an ONNX model ({bytes.Length:N0} bytes that do not parse as one: truncated or corrupt?): {e.Message}", e);
        }
        if (model.Graph is null || model.Graph.Node.Count == 0)
            throw new InvalidDataException($"{source}: not an ONNX model: {(model.Graph is null ? "it has no graph" : "its graph has no nodes")} ({bytes.Length:N0} bytes).");
        return model;
    }

    private sealed class Reader(INetwork network, ModelProto model, string source)
    {
        private readonly float[] _weights = network.AllWeights(); // what is not loaded keeps its value
        private readonly Dictionary<string, TensorProto> _tensors = Tensors(model.Graph);

        public float[] Read()
        {
            LayerInfo[] layers = network.Layers.Where(l => l.Type is "Dense" or "Conv2D" or "BatchNormalization").ToArray();
            var nodes = new List<(NodeProto Node, NodeProto? Add)>();
            bool nchw = ImagesInAreNchw(), flattenedNchw = false;
            var flattenedAt = new Dictionary<NodeProto, bool>();
            IList<NodeProto> graph = model.Graph.Node;
            for (int i = 0; i < graph.Count; i++)
            {
                NodeProto node = graph[i];
                switch (node.OpType)
                {
                    case "Gemm" or "Conv" or "BatchNormalization":
                        nodes.Add((node, null));
                        flattenedAt[node] = flattenedNchw;
                        if (node.OpType == "Gemm") flattenedNchw = false; // a BatchNormalization keeps the flattened order for the Dense after it
                        break;
                    case "MatMul":
                        // MatMul then Add of a bias initialiser: a Linear layer as some exporters write it.
                        NodeProto? add = i + 1 < graph.Count && graph[i + 1].OpType == "Add" && node.Output.Count > 0 && graph[i + 1].Input.Contains(node.Output[0])
                            && graph[i + 1].Input.Any(_tensors.ContainsKey) ? graph[i + 1] : null;
                        nodes.Add((node, add));
                        flattenedAt[node] = flattenedNchw;
                        flattenedNchw = false;
                        if (add is not null) i++;
                        break;
                    case "Transpose":
                        long[] perm = node.Attribute.FirstOrDefault(a => a.Name == "perm")?.Ints.ToArray() ?? [];
                        if (perm.SequenceEqual([0L, 2, 3, 1])) nchw = false;
                        else if (perm.SequenceEqual([0L, 3, 1, 2])) nchw = true;
                        break;
                    case "Flatten" or "Reshape":
                        if (nchw) flattenedNchw = true;
                        nchw = false;
                        break;
                    default:
                        if (!PassedOver.Contains(node.OpType))
                            throw new NotSupportedException($"{source}: node '{node.Name}' is a {node.OpType}, which has no NnGen layer to load into " +
                                "(the importer maps Gemm, MatMul + Add, Conv and BatchNormalization, and passes over activations, pooling and reshaping).");
                        if (node.OpType is "Mul" or "Add" or "Sub" or "Div" && node.Input.FirstOrDefault(n => _tensors.TryGetValue(n, out TensorProto? t) && Count(t) > 1) is string carried)
                            throw new NotSupportedException($"{source}: node '{node.Name}' ({node.OpType}) applies the tensor '{carried}' of {Count(_tensors[carried]):N0} values, " +
                                "parameters that no NnGen layer holds; the importer would drop them.");
                        break;
                }
            }

            if (nodes.Count != layers.Length)
                throw new ArgumentException($"{source}: the network has {layers.Length} layers with parameters ({Names(layers.Select(l => $"{l.Name} ({l.Type})"))}), " +
                    $"but the model has {nodes.Count} nodes with parameters ({Names(nodes.Select(n => $"{n.Node.Name} ({n.Node.OpType})"))}).");

            for (int k = 0; k < layers.Length; k++)
            {
                LayerInfo layer = layers[k];
                (NodeProto node, NodeProto? add) = nodes[k];
                string expected = layer.Type switch { "Dense" => "Gemm or MatMul", "Conv2D" => "Conv", _ => "BatchNormalization" };
                if (!expected.Split(" or ").Contains(node.OpType))
                    throw new ArgumentException($"{source}: layer '{layer.Name}' is a {layer.Type}, so the model's node {k + 1} with parameters should be a {expected}, but '{node.Name}' is a {node.OpType}.");
                switch (layer.Type)
                {
                    case "Dense": Dense(layer, node, add, flattenedAt[node]); break;
                    case "Conv2D": Conv(layer, node); break;
                    default: BatchNormalization(layer, node, flattenedAt[node]); break;
                }
            }
            return _weights;
        }

        private void Dense(LayerInfo l, NodeProto node, NodeProto? add, bool flattenedNchw)
        {
            int inputs = l.InputUnits, units = l.OutputUnits;
            string weightName = node.Input.Count > 1 ? node.Input[1] : "";
            bool transposed = node.OpType == "Gemm" && IntAttribute(node, "transB", 0) == 1;
            if (node.OpType == "Gemm")
            {
                if (IntAttribute(node, "transA", 0) != 0 || FloatAttribute(node, "alpha", 1) != 1 || FloatAttribute(node, "beta", 1) != 1)
                    throw new NotSupportedException($"{source}: node '{node.Name}' (Gemm, for layer '{l.Name}') has transA, alpha or beta other than 0, 1 and 1, which a Dense layer cannot express.");
            }
            long[] want = transposed ? [units, inputs] : [inputs, units];
            float[] w = Values(l, node, weightName, "kernel", want, transposed ? "(units, inputs) as PyTorch's Linear" : "(inputs, units)");
            Span<float> kernel = _weights.AsSpan(l.ParameterOffset, inputs * units);
            // NnGen's kernel row i is the input feature i in NnGen's flat order; PyTorch's flat order after an NCHW Flatten is (C, H, W).
            IReadOnlyList<int>? image = flattenedNchw ? FlattenedImage(l) : null;
            for (int i = 0; i < inputs; i++)
            {
                int source = image is null ? i : ChannelsFirst(i, image);
                for (int j = 0; j < units; j++) kernel[i * units + j] = transposed ? w[j * inputs + source] : w[source * units + j];
            }
            string? biasName = node.OpType == "Gemm" ? (node.Input.Count > 2 && node.Input[2] != "" ? node.Input[2] : null)
                : add?.Input.FirstOrDefault(_tensors.ContainsKey);
            Span<float> bias = _weights.AsSpan(l.ParameterOffset + inputs * units, units);
            if (biasName is null) bias.Clear();
            else Values(l, add ?? node, biasName, "bias", [units], "(units)").CopyTo(bias);
        }

        /// <summary>The image the nearest Flatten (or Reshape) before <paramref name="layer"/> turned into a vector, from the network's own layers.</summary>
        private IReadOnlyList<int>? FlattenedImage(LayerInfo layer)
        {
            IReadOnlyList<LayerInfo> all = network.Layers;
            for (int i = all.ToList().IndexOf(layer) - 1; i >= 0; i--)
                if (all[i].Type is "Flatten" or "Reshape")
                    return all[i].InputShape is { Count: 3 } shape ? shape : null;
            return null;
        }

        /// <summary>Where NnGen's flat (h, w, c) feature <paramref name="i"/> is in a (C, H, W) flattening.</summary>
        private static int ChannelsFirst(int i, IReadOnlyList<int> image)
        {
            int h = image[0], w = image[1], c = image[2];
            int ci = i % c, wi = i / c % w, hi = i / c / w;
            return (ci * h + hi) * w + wi;
        }

        private void Conv(LayerInfo l, NodeProto node)
        {
            LayerWindow window = l.Window ?? throw new ArgumentException($"{source}: layer '{l.Name}' does not state its window; rebuild the network with this version of NnGen.");
            int c = l.InputShape![2], f = l.OutputShape![2], kh = window.KernelHeight, kw = window.KernelWidth, area = kh * kw, length = area * c * f;
            if (IntAttribute(node, "group", 1) != 1)
                throw new NotSupportedException($"{source}: node '{node.Name}' (for layer '{l.Name}') is a grouped convolution (group {IntAttribute(node, "group", 1)}), which Conv2D is not.");
            long[] strides = IntsAttribute(node, "strides") ?? [1, 1], dilations = IntsAttribute(node, "dilations") ?? [1, 1];
            if (!strides.SequenceEqual([(long)window.StrideHeight, window.StrideWidth]))
                throw new ArgumentException($"{source}: layer '{l.Name}' has strides ({window.StrideHeight}, {window.StrideWidth}), but node '{node.Name}' has strides ({string.Join(", ", strides)}).");
            if (dilations.Any(d => d != 1))
                throw new NotSupportedException($"{source}: node '{node.Name}' (for layer '{l.Name}') is dilated ({string.Join(", ", dilations)}), which Conv2D is not.");
            float[] w = Values(l, node, node.Input.Count > 1 ? node.Input[1] : "", "kernel", [f, c, kh, kw], "(filters, channels, height, width)");
            Span<float> kernel = _weights.AsSpan(l.ParameterOffset, length);
            for (int k = 0; k < area; k++)
                for (int ci = 0; ci < c; ci++)
                    for (int fi = 0; fi < f; fi++)
                        kernel[(k * c + ci) * f + fi] = w[(fi * c + ci) * area + k];
            string? biasName = node.Input.Count > 2 && node.Input[2] != "" ? node.Input[2] : null;
            if (l.UseBias)
            {
                Span<float> bias = _weights.AsSpan(l.ParameterOffset + length, f);
                if (biasName is null) bias.Clear();
                else Values(l, node, biasName, "bias", [f], "(filters)").CopyTo(bias);
            }
            else if (biasName is not null && Values(l, node, biasName, "bias", [f], "(filters)").Any(b => b != 0))
                throw new ArgumentException($"{source}: layer '{l.Name}' is declared with UseBias = false, but node '{node.Name}' adds a bias ('{biasName}') that is not zero.");
        }

        private void BatchNormalization(LayerInfo l, NodeProto node, bool flattenedNchw)
        {
            int n = l.Parameters / 2, state = network.Parameters.Length + l.StateOffset;
            if (node.Input.Count < 5)
                throw new InvalidDataException($"{source}: node '{node.Name}' (BatchNormalization, for layer '{l.Name}') has {node.Input.Count} inputs; it needs 5 (x, scale, bias, mean, variance).");
            float epsilon = FloatAttribute(node, "epsilon", 1e-5f);
            if (Math.Abs(epsilon - l.Epsilon) > 1e-6f * l.Epsilon)
                throw new ArgumentException($"{source}: layer '{l.Name}' has epsilon {Format(l.Epsilon)}, but node '{node.Name}' has {Format(epsilon)} " +
                    $"(PyTorch's default is 1e-05, Keras's 0.001): declare [BatchNormalization(Epsilon = {Format(epsilon)})] to reproduce the model.");
            string[] what = ["gamma", "beta", "moving mean", "moving variance"];
            int[] offsets = [l.ParameterOffset, l.ParameterOffset + n, state, state + n];
            // After a Flatten of an NCHW image, feature i of NnGen's (H, W, C) vector is the file's feature (C, H, W).
            IReadOnlyList<int>? image = flattenedNchw && l.InputShape is null ? FlattenedImage(l) : null;
            for (int k = 0; k < 4; k++)
            {
                float[] values = Values(l, node, node.Input[k + 1], what[k], [n], "(features)");
                for (int i = 0; i < n; i++) _weights[offsets[k] + i] = values[image is null ? i : ChannelsFirst(i, image)];
            }
            int negative = _weights.AsSpan(state + n, n).IndexOfAnyInRange(float.NegativeInfinity, -float.Epsilon);
            if (negative >= 0)
                throw new InvalidDataException($"{source}: node '{node.Name}' (for layer '{l.Name}') has a negative moving variance ({Format(_weights[state + n + negative])}).");
        }

        /// <summary>The values of the tensor <paramref name="name"/>, checked: a float tensor of the shape the layer needs, every value finite.</summary>
        private float[] Values(LayerInfo l, NodeProto node, string name, string what, long[] shape, string layout)
        {
            if (!_tensors.TryGetValue(name, out TensorProto? t))
                throw new InvalidDataException($"{source}: node '{node.Name}' (for layer '{l.Name}') takes its {what} from '{name}', which is not an initialiser or a constant of the model.");
            if (!t.Dims.SequenceEqual(shape))
                throw new ArgumentException($"{source}: layer '{l.Name}' ({l.Type}) needs a {what} of ({string.Join(", ", shape)}) {layout}, " +
                    $"but node '{node.Name}' has '{name}' of ({string.Join(", ", t.Dims)}).");
            if (t.DataType != (int)TensorProto.Types.DataType.Float)
                throw new InvalidDataException($"{source}: tensor '{name}' (the {what} of layer '{l.Name}') holds {(TensorProto.Types.DataType)t.DataType} values; NnGen loads float32.");
            if (t.DataLocation == TensorProto.Types.DataLocation.External)
                throw new NotSupportedException($"{source}: tensor '{name}' (the {what} of layer '{l.Name}') is stored in an external file, which the importer does not read; export with the weights inside the model.");
            long count = Count(t);
            float[] values;
            if (!t.RawData.IsEmpty)
            {
                if (t.RawData.Length != count * sizeof(float))
                    throw new InvalidDataException($"{source}: tensor '{name}' of ({string.Join(", ", t.Dims)}) should hold {count * sizeof(float):N0} bytes, but holds {t.RawData.Length:N0}.");
                values = MemoryMarshal.Cast<byte, float>(t.RawData.Span).ToArray();
            }
            else
            {
                if (t.FloatData.Count != count)
                    throw new InvalidDataException($"{source}: tensor '{name}' of ({string.Join(", ", t.Dims)}) should hold {count:N0} values, but holds {t.FloatData.Count:N0}.");
                values = t.FloatData.ToArray();
            }
            int bad = Array.FindIndex(values, v => !float.IsFinite(v));
            if (bad >= 0) throw new InvalidDataException($"{source}: tensor '{name}' (the {what} of layer '{l.Name}') has {Format(values[bad])} at index {bad:N0}.");
            return values;
        }

        private static Dictionary<string, TensorProto> Tensors(GraphProto graph)
        {
            var tensors = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
            foreach (TensorProto t in graph.Initializer) tensors[t.Name] = t;
            foreach (NodeProto n in graph.Node.Where(n => n.OpType == "Constant"))
                if (n.Attribute.FirstOrDefault(a => a.Name == "value")?.T is TensorProto t && n.Output.Count == 1) tensors[n.Output[0]] = t;
            return tensors;
        }

        private static long Count(TensorProto t) => t.Dims.Aggregate(1L, (a, d) => d < 0 || a > int.MaxValue ? long.MaxValue : a * d);

        /// <summary>
        /// Whether the model takes images channels first, as PyTorch's do: not NnGen's own exports (channels last, as the
        /// network), nor a model whose input is (batch, H, W, C) of the network's image and not also (batch, C, H, W).
        /// </summary>
        private bool ImagesInAreNchw()
        {
            if (model.Graph.Input.Count == 0 || model.ProducerName == "NnGen") return false;
            IList<TensorShapeProto.Types.Dimension>? dims = model.Graph.Input[0].Type?.TensorType?.Shape?.Dim;
            if (dims is not { Count: 4 }) return false;
            if (network.Layers.Count == 0 || network.Layers[0].InputShape is not { Count: 3 } image) return true;
            long[] sample = dims.Skip(1).Select(d => d.DimValue).ToArray();
            bool channelsLast = sample.SequenceEqual(image.Select(d => (long)d)), channelsFirst = sample.SequenceEqual([image[2], image[0], (long)image[1]]);
            return channelsFirst || !channelsLast;
        }

        private static long IntAttribute(NodeProto node, string name, long fallback) => node.Attribute.FirstOrDefault(a => a.Name == name)?.I ?? fallback;
        private static float FloatAttribute(NodeProto node, string name, float fallback) => node.Attribute.FirstOrDefault(a => a.Name == name)?.F ?? fallback;
        private static long[]? IntsAttribute(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name)?.Ints.ToArray();

        private static string Names(IEnumerable<string> names) => string.Join(", ", names);
        private static string Format(float value) => value.ToString("R", CultureInfo.InvariantCulture);
    }
}
