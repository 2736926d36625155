using System.Collections.Generic;
using NnGen.Generators.Model;

namespace NnGen.Generators;

/// <summary>
/// A layer with its inferred sizes and where its parameters live: trainable ones in the network's parameter block
/// (Dense: kernel then bias; BatchNormalization: gamma then beta, at KernelOffset and BiasOffset), non-trainable ones
/// (BatchNormalization's moving mean then moving variance) in the state block at StateOffset.
/// </summary>
internal sealed record LayerShape(int Index, LayerSpec Layer, int Inputs, int Outputs, int Parameters, int KernelOffset, int BiasOffset,
    int StateParameters = 0, int StateOffset = 0)
{
    public bool IsDense => Layer.Kind == LayerKind.Dense;
}

/// <summary>Floats per sample at the network's boundary: the generated InputSize, OutputSize and TargetSize.</summary>
internal sealed record NetworkSizes(int Input, int Output, int Target);

/// <summary>
/// Sizes from a spec: each layer's inputs and outputs, parameter counts and offsets. Pure, and the one place
/// the generator and the analyzers get shapes from, so the build and the IDE never disagree.
/// </summary>
internal static class ShapeInference
{
    public static EquatableArray<LayerShape> Infer(NetworkSpec spec)
    {
        var shapes = new List<LayerShape>();
        int inputs = spec.Input, offset = 0, state = 0;
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            LayerSpec layer = spec.Layers[i];
            switch (layer.Kind)
            {
                case LayerKind.Dense:
                    int kernel = inputs * layer.Units;
                    shapes.Add(new LayerShape(i + 1, layer, inputs, layer.Units, kernel + layer.Units, offset, offset + kernel));
                    offset += kernel + layer.Units;
                    inputs = layer.Units;
                    break;
                case LayerKind.BatchNormalization:
                    shapes.Add(new LayerShape(i + 1, layer, inputs, inputs, 2 * inputs, offset, offset + inputs, 2 * inputs, state));
                    offset += 2 * inputs;
                    state += 2 * inputs;
                    break;
                default:
                    shapes.Add(new LayerShape(i + 1, layer, inputs, inputs, 0, offset, offset));
                    break;
            }
        }
        return shapes.ToEquatableArray();
    }

    /// <summary>The boundary sizes; the target is one class index per sample for sparse categorical cross-entropy.</summary>
    public static NetworkSizes Sizes(NetworkSpec spec)
    {
        int output = spec.Layers[spec.Layers.Count - 1].Units;
        return new NetworkSizes(spec.Input, output, spec.Loss == LossKind.SparseCategoricalCrossEntropy ? 1 : output);
    }

    /// <summary>The most parameters one float array can hold (Array.MaxLength).</summary>
    public const long MaxParameters = 0x7FFFFFC7;

    /// <summary>
    /// Each layer's inputs and parameter count (BatchNormalization's moving statistics included) in 64 bits, for the
    /// size check that must precede <see cref="Infer"/>.
    /// </summary>
    public static IEnumerable<(long Inputs, long Parameters)> ParameterCountsChecked(NetworkSpec spec)
    {
        long inputs = spec.Input;
        foreach (LayerSpec layer in spec.Layers)
        {
            switch (layer.Kind)
            {
                case LayerKind.Dense:
                    yield return (inputs, inputs * layer.Units + layer.Units);
                    inputs = layer.Units;
                    break;
                case LayerKind.BatchNormalization:
                    yield return (inputs, 4 * inputs);
                    break;
                default:
                    yield return (inputs, 0);
                    break;
            }
        }
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
        foreach (LayerShape s in shapes) total += s.StateParameters;
        return total;
    }
}
