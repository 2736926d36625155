using System.Collections.Generic;
using NnGen.Generators.Layers;
using NnGen.Generators.Model;

namespace NnGen.Generators;

/// <summary>Floats per sample at the network's boundary: the generated InputSize, OutputSize and TargetSize.</summary>
internal sealed record NetworkSizes(int Input, int Output, int Target);

/// <summary>
/// Shapes from a spec: each layer's input and output shape (from its kind's <see cref="LayerSpec.Infer"/>), parameter
/// counts and offsets. Pure, and the one place the generator and the analyzers get shapes from, so the build and the
/// IDE never disagree.
/// </summary>
internal static class ShapeInference
{
    /// <summary>The most parameters one float array can hold (Array.MaxLength).</summary>
    public const long MaxParameters = 0x7FFFFFC7;

    /// <summary>
    /// Every layer's shapes and offsets, for a spec the parser has checked (every layer accepts its input, every count
    /// fits one array: Parser's CheckShapes walks the same layers first).
    /// </summary>
    public static EquatableArray<LayerShape> Infer(NetworkSpec spec)
    {
        var shapes = new List<LayerShape>();
        Shape input = spec.Input;
        int offset = 0, state = 0;
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            LayerSpec layer = spec.Layers[i];
            LayerSize size = layer.Infer(input);
            shapes.Add(new LayerShape(i + 1, layer, input, size.Output, (int)size.Parameters, offset, (int)size.State, state));
            offset += (int)size.Parameters;
            state += (int)size.State;
            input = size.Output;
        }
        return shapes.ToEquatableArray();
    }

    /// <summary>The boundary sizes; the target is one class index per sample for sparse categorical cross-entropy.</summary>
    public static NetworkSizes Sizes(NetworkSpec spec)
    {
        EquatableArray<LayerShape> shapes = Infer(spec);
        int output = shapes[shapes.Count - 1].Outputs;
        return new NetworkSizes(spec.Input.Size, output, spec.Loss == LossKind.SparseCategoricalCrossEntropy ? 1 : output);
    }

    public static int ParameterCount(EquatableArray<LayerShape> shapes)
    {
        int total = 0;
        foreach (LayerShape s in shapes) total += s.Parameters;
        return total;
    }

    public static int StateCount(EquatableArray<LayerShape> shapes)
    {
        int total = 0;
        foreach (LayerShape s in shapes) total += s.State;
        return total;
    }
}
