using NnGen.Generators.Model;
using static NnGen.Generators.CodeWriter;

namespace NnGen.Generators.Layers;

/// <summary>
/// <c>[GlobalAveragePooling2D(Name)]</c> and <c>[GlobalMaxPooling2D(Name)]</c>: the mean or the largest value of each
/// channel over all positions, (H, W, C) to (C). Runtime kernels: NnGen.Kernels.PoolingKernels.
/// </summary>
internal sealed class GlobalPooling2DKind(bool max) : LayerKind
{
    public bool Max { get; } = max;
    public override string Name => Max ? "GlobalMaxPooling2D" : "GlobalAveragePooling2D";
    public override string DefaultName => Max ? "global_max_pooling2d" : "global_average_pooling2d";
    public override int Arity => 0;

    public override LayerSpec Parse(LayerArguments a) => new GlobalPooling2DSpec(a.Name, Max);
}

internal sealed record GlobalPooling2DSpec(string Name, bool Max) : LayerSpec(Name)
{
    public override LayerKind Kind => Max ? LayerKind.GlobalMaxPooling2D : LayerKind.GlobalAveragePooling2D;

    public override bool Accepts(Shape input, LayerArguments a) => Window.IsImage(input, a);

    public override LayerSize Infer(Shape input) => new(Shape.Of(input.Dims[2]), 0);

    public override string ParameterBreakdown(Shape input, long parameters) => "no parameters";

    public override string Architecture => Kind.Name;

    public override string Legend(LayerShape s) => $"{s.Input} -> {s.Output}; {(Max ? "max" : "mean")} over {s.Input.Dims[0]}x{s.Input.Dims[1]} positions";

    private static string Sizes(LayerShape s) => $"{s.Input.Dims[0] * s.Input.Dims[1]}, {s.Input.Dims[2]}";

    public override void EmitForward(CodeWriter w, LayerContext c) =>
        w.Line($"{Kernels}.PoolingKernels.Global{(Max ? "Max" : "Average")}Forward({LayerContext.Rows(c.Y, c.Shape.Outputs)}, {LayerContext.Rows(c.X, c.Shape.Inputs)}, {Sizes(c.Shape)});");

    public override void EmitBackward(CodeWriter w, LayerContext c)
    {
        if (c.DX is null) return;
        LayerShape s = c.Shape;
        string dx = LayerContext.Rows(c.DX, s.Inputs), dy = LayerContext.Rows(c.DY, s.Outputs);
        w.Line(Max
            ? $"{Kernels}.PoolingKernels.GlobalMaxBackward({dx}, {dy}, {LayerContext.Rows(c.X, s.Inputs)}, {LayerContext.Rows(c.Y, s.Outputs)}, {Sizes(s)});"
            : $"{Kernels}.PoolingKernels.GlobalAverageBackward({dx}, {dy}, {Sizes(s)});");
    }
}
