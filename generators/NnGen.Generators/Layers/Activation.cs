using NnGen.Generators.Model;
using static NnGen.Generators.CodeWriter;

namespace NnGen.Generators.Layers;

/// <summary><c>[Activation(activation, Name)]</c>: applies an activation to its input, shape unchanged.</summary>
internal sealed class ActivationLayerKind : LayerKind
{
    public override string Name => "Activation";
    public override string DefaultName => "activation";
    public override int ActivationPosition => 0;

    public override LayerSpec Parse(LayerArguments a) => new ActivationSpec(a.Name, a.Activation(0));
}

internal sealed record ActivationSpec(string Name, ActivationKind Activation) : LayerSpec(Name)
{
    public override LayerKind Kind => LayerKind.Activation;
    public override ActivationKind? OutputActivation => Activation;

    public override LayerSize Infer(Shape input) => new(input, 0);

    public override string ParameterBreakdown(Shape input, long parameters) => "no parameters";

    public override string Architecture => $"Activation({Activation})";

    public override string Legend(LayerShape s) => $"{s.Input.Compact}; {Activation.ToString().ToLowerInvariant()}";

    public override void EmitForward(CodeWriter w, LayerContext c)
    {
        int n = c.Shape.Outputs;
        w.Line($"{LayerContext.Rows(c.X, n)}.CopyTo({LayerContext.Rows(c.Y, n)});");
        w.Line(c.ActivationForward(Activation));
    }

    public override void EmitBackward(CodeWriter w, LayerContext c)
    {
        if (c.DX is null) return;
        int n = c.Shape.Outputs;
        w.Line($"{LayerContext.Rows(c.DY, n)}.CopyTo({LayerContext.Rows(c.DX, n)});");
        if (c.ActivationBackward(Activation, c.DX) is { } activationBackward) w.Line(activationBackward);
    }
}
