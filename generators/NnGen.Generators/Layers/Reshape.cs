using System.Linq;
using NnGen.Generators.Model;

namespace NnGen.Generators.Layers;

/// <summary><c>[Flatten(Name)]</c>: each sample as one vector, row-major (channels fastest), as Keras.</summary>
internal sealed class FlattenKind : LayerKind
{
    public override string Name => "Flatten";
    public override string DefaultName => "flatten";
    public override int Arity => 0;

    public override LayerSpec Parse(LayerArguments a) => new ReshapeSpec(a.Name, null);
}

/// <summary><c>[Reshape(targetShape..., Name)]</c>: the same values of each sample in another shape.</summary>
internal sealed class ReshapeKind : LayerKind
{
    public override string Name => "Reshape";
    public override string DefaultName => "reshape";

    public override LayerSpec Parse(LayerArguments a)
    {
        int[] dims = a.IntArray(0) ?? [];
        if (dims.Length == 0) a.Report(DiagnosticDescriptors.NonPositiveSize, "targetShape", 0, "TargetShape", a.Label, "empty");
        for (int d = 0; d < dims.Length; d++)
            if (dims[d] <= 0) a.Report(DiagnosticDescriptors.NonPositiveSize, "targetShape", d, $"TargetShape[{d}]", a.Label, dims[d]);
        return new ReshapeSpec(a.Name, Shape.Of(dims));
    }
}

/// <summary>
/// Flatten (<paramref name="Target"/> null) and Reshape share everything: a sample's values are contiguous and
/// row-major in every shape, so both copy the values through unchanged and only the shape differs.
/// </summary>
internal sealed record ReshapeSpec(string Name, Shape? Target) : LayerSpec(Name)
{
    public override LayerKind Kind => Target is null ? LayerKind.Flatten : LayerKind.Reshape;
    public override bool SizesDeclared => Target is null || (Target.Rank > 0 && Target.Dims.All(d => d > 0));

    public override bool Accepts(Shape input, LayerArguments a)
    {
        if (Target is null)
        {
            if (input.Rank == 1) a.ReportAt(DiagnosticDescriptors.FlattenOnFlatInput, a.Syntax?.GetLocation(), null, a.Label, a.Producer, input);
            return true;
        }
        if (Target.SizeChecked == input.SizeChecked) return true;
        a.ReportAt(DiagnosticDescriptors.ReshapeSizeMismatch, a.Syntax?.GetLocation(), null, a.Label, input, CodeWriter.Count(input.SizeChecked), Target, CodeWriter.Count(Target.SizeChecked));
        return false;
    }

    public override LayerSize Infer(Shape input) => new(Target ?? Shape.Of(input.Size), 0);

    public override string ParameterBreakdown(Shape input, long parameters) => "no parameters";

    public override string Architecture => Target is null ? "Flatten" : $"Reshape{Target}";

    public override string Legend(LayerShape s) => $"{s.Input} -> {s.Output}";

    public override void EmitForward(CodeWriter w, LayerContext c) =>
        w.Line($"{LayerContext.Rows(c.X, c.Shape.Inputs)}.CopyTo({LayerContext.Rows(c.Y, c.Shape.Outputs)});");

    public override void EmitBackward(CodeWriter w, LayerContext c)
    {
        if (c.DX is not null) w.Line($"{LayerContext.Rows(c.DY, c.Shape.Outputs)}.CopyTo({LayerContext.Rows(c.DX, c.Shape.Inputs)});");
    }
}
