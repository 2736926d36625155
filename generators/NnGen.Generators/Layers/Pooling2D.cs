using System.Collections.Generic;
using NnGen.Generators.Model;
using static NnGen.Generators.CodeWriter;

namespace NnGen.Generators.Layers;

/// <summary>
/// <c>[MaxPooling2D(poolSize, Strides, Padding, Name)]</c> and <c>[AveragePooling2D(...)]</c>: the largest value or the
/// mean of each window, per channel; strides default to the pool size. Runtime kernels: NnGen.Kernels.PoolingKernels.
/// </summary>
internal sealed class Pooling2DKind(bool max) : LayerKind
{
    public bool Max { get; } = max;
    public override string Name => Max ? "MaxPooling2D" : "AveragePooling2D";
    public override string DefaultName => Max ? "max_pooling2d" : "average_pooling2d";

    public override LayerSpec Parse(LayerArguments a)
    {
        int pool = a.Size("PoolSize", 0);
        int strides = a.Has("Strides") ? a.Size("Strides", -1) : pool;
        return new Pooling2DSpec(a.Name, Max, pool, strides, a.SamePadding());
    }

    public override IEnumerable<GeneratedMembers.Member> Members(int index)
    {
        yield return new($"{Name}{index}Geometry", "field", null);
    }
}

/// <param name="Max">Max pooling (true) or average pooling.</param>
/// <param name="Strides">The window's step (the pool size unless stated).</param>
internal sealed record Pooling2DSpec(string Name, bool Max, int PoolSize, int Strides, bool Same) : LayerSpec(Name)
{
    public override LayerKind Kind => Max ? LayerKind.MaxPooling2D : LayerKind.AveragePooling2D;
    public override bool SizesDeclared => PoolSize > 0 && Strides > 0;

    private Window WindowOver(Shape input) => new(input.Dims[0], input.Dims[1], input.Dims[2], input.Dims[2], PoolSize, Strides, Same);

    public override bool Accepts(Shape input, LayerArguments a) => Window.Accepts(input, PoolSize, Same, "pool", "poolSize", 0, a);

    public override LayerSize Infer(Shape input) => new(WindowOver(input).Output(input.Dims[2]), 0);

    public override string ParameterBreakdown(Shape input, long parameters) => "no parameters";

    public override string Architecture => $"{Kind.Name}({PoolSize}x{PoolSize}, Strides={Strides}, Padding={(Same ? "Same" : "Valid")})";

    public override string Legend(LayerShape s) => $"{s.Input} -> {s.Output}; {PoolSize}x{PoolSize} {(Max ? "max" : "mean")}, strides {Strides}, {(Same ? "same" : "valid")}";

    public override IEnumerable<string> Info(LayerShape s) => [$"Window: {WindowOver(s.Input).Info}"];

    private static string Geometry(LayerShape s) => $"{s.Prefix}Geometry";

    public override void EmitConstants(CodeWriter w, LayerShape s) =>
        w.Line($"private static readonly global::NnGen.Kernels.Conv2DGeometry {Geometry(s)} = {WindowOver(s.Input).Construction}; // {Comment(Name)}: {s.Input} -> {s.Output}");

    public override void EmitForward(CodeWriter w, LayerContext c) =>
        w.Line($"{Kernels}.PoolingKernels.{(Max ? "Max" : "Average")}Forward({LayerContext.Rows(c.Y, c.Shape.Outputs)}, {LayerContext.Rows(c.X, c.Shape.Inputs)}, in {Geometry(c.Shape)}, rows);");

    public override void EmitBackward(CodeWriter w, LayerContext c)
    {
        if (c.DX is null) return;
        LayerShape s = c.Shape;
        string dx = LayerContext.Rows(c.DX, s.Inputs), dy = LayerContext.Rows(c.DY, s.Outputs);
        w.Line(Max
            ? $"{Kernels}.PoolingKernels.MaxBackward({dx}, {dy}, {LayerContext.Rows(c.X, s.Inputs)}, {LayerContext.Rows(c.Y, s.Outputs)}, in {Geometry(s)}, rows);"
            : $"{Kernels}.PoolingKernels.AverageBackward({dx}, {dy}, in {Geometry(s)}, rows);");
    }
}
