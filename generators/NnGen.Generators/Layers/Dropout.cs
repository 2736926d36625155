using System.Collections.Generic;
using NnGen.Generators.Model;
using static NnGen.Generators.CodeWriter;

namespace NnGen.Generators.Layers;

/// <summary><c>[Dropout(rate, Name)]</c>: in training, zeroes each input with probability rate and scales the rest by 1/(1 - rate); identity in inference.</summary>
internal sealed class DropoutKind : LayerKind
{
    public override string Name => "Dropout";
    public override string DefaultName => "dropout";

    public override LayerSpec Parse(LayerArguments a)
    {
        double rate = a.Double(0, 0);
        if (!(rate >= 0 && rate < 1))
            a.Report(DiagnosticDescriptors.DropoutRateOutOfRange, "rate", 0, a.Label, LayerArguments.Format(rate));
        return new DropoutSpec(a.Name, rate);
    }

    public override IEnumerable<GeneratedMembers.Member> Members(int index)
    {
        yield return new("_dropoutRng", "field", null);
        yield return new($"_mask{index}", "field", null);
    }
}

internal sealed record DropoutSpec(string Name, double Rate) : LayerSpec(Name)
{
    public override LayerKind Kind => LayerKind.Dropout;

    public override LayerSize Infer(Shape input) => new(input, 0);

    public override string ParameterBreakdown(Shape input, long parameters) => "no parameters";

    public override string Architecture => $"Dropout({Float(Rate).TrimEnd('f')})";

    public override string Legend(LayerShape s) => $"{s.Input.Compact}; rate {Float(Rate).TrimEnd('f')}";

    private static string Mask(LayerShape s) => $"_mask{s.Index}";

    public override IEnumerable<Buffer> Buffers(LayerShape s) =>
        [new Buffer(Mask(s), s.Outputs, PerRow: true, $"{Comment(Name)} mask: 0 or 1/(1 - rate)")];

    // One stream for all Dropout layers, drawn in layer order, seeded with the weights.
    public override IEnumerable<SharedField> SharedFields =>
        [new SharedField("private global::NnGen.Rng _dropoutRng; // dropout masks, seeded with the weights", "_dropoutRng = new global::NnGen.Rng(~(long)seed);")];

    public override void EmitForward(CodeWriter w, LayerContext c)
    {
        int n = c.Shape.Outputs;
        string x = LayerContext.Rows(c.X, n), y = LayerContext.Rows(c.Y, n);
        w.Line($"if (training) {Kernels}.LayerKernels.DropoutTraining({y}, {LayerContext.Rows(Mask(c.Shape), n)}, {x}, {Float(Rate)}, ref _dropoutRng);");
        w.Line($"else {x}.CopyTo({y});");
    }

    public override void EmitBackward(CodeWriter w, LayerContext c)
    {
        int n = c.Shape.Outputs;
        if (c.DX is not null)
            w.Line($"{Kernels}.LayerKernels.Multiply({LayerContext.Rows(c.DX, n)}, {LayerContext.Rows(c.DY, n)}, {LayerContext.Rows(Mask(c.Shape), n)});");
    }
}
