using System.Collections.Generic;
using NnGen.Generators.Model;
using static NnGen.Generators.CodeWriter;

namespace NnGen.Generators.Layers;

/// <summary>
/// <c>[BatchNormalization(Momentum, Epsilon, Name)]</c>: normalises each feature over the batch in training (and
/// updates the moving statistics), with the moving statistics in inference; then scales by gamma and shifts by beta.
/// </summary>
internal sealed class BatchNormalizationKind : LayerKind
{
    public override string Name => "BatchNormalization";
    public override string DefaultName => "batch_normalization";
    public override int Arity => 0;

    public override LayerSpec Parse(LayerArguments a)
    {
        double momentum = a.Number("Momentum", 0.99), epsilon = a.Number("Epsilon", 1e-3);
        if (!(momentum >= 0 && momentum < 1))
            a.Report(DiagnosticDescriptors.InvalidHyperparameter, "Momentum", -1, "Momentum", a.Label, LayerArguments.Format(momentum), "in [0, 1)");
        if (!(epsilon > 0 && !double.IsInfinity(epsilon)))
            a.Report(DiagnosticDescriptors.InvalidHyperparameter, "Epsilon", -1, "Epsilon", a.Label, LayerArguments.Format(epsilon), "a finite number greater than 0");
        string? redundantAfter = a.Index == 1 ? "the input"
            : a.Previous is BatchNormalizationSpec previous ? $"layer {a.Index - 1} ('{previous.Name}'), another BatchNormalization" : null;
        if (redundantAfter is not null)
            a.ReportAt(DiagnosticDescriptors.RedundantBatchNormalization, a.Syntax?.GetLocation(), null, a.Label, redundantAfter);
        return new BatchNormalizationSpec(a.Name, momentum, epsilon);
    }

    public override IEnumerable<GeneratedMembers.Member> Members(int index)
    {
        foreach (string part in new[] { "Gamma", "Beta", "MovingMean", "MovingVariance" })
            yield return new($"BatchNormalization{index}{part}", "constant", null);
        yield return new($"_xhat{index}", "field", null);
        yield return new($"_invStd{index}", "field", null);
        yield return new($"_scale{index}", "field", null);
    }
}

internal sealed record BatchNormalizationSpec(string Name, double Momentum, double Epsilon) : LayerSpec(Name)
{
    public override LayerKind Kind => LayerKind.BatchNormalization;

    // Per feature, the last axis as Keras's axis=-1: a feature map's channels share statistics over height and width.
    private static int Features(Shape input) => input.Dims[input.Rank - 1];

    // gamma and beta trainable; moving mean and variance not.
    public override LayerSize Infer(Shape input) => new(input, 2L * Features(input), 2L * Features(input));

    public override string ParameterBreakdown(Shape input, long parameters) =>
        $"4 x {Count(Features(input))} scales, offsets and moving statistics = {Count(parameters)}";

    public override string Architecture => "BatchNormalization";

    public override string Legend(LayerShape s) => $"{s.Input.Compact}; gamma, beta ({Features(s.Input)}) trainable; moving mean, variance ({Features(s.Input)})";

    public override IEnumerable<string> Info(LayerShape s) => [$"StateOffset: {s.StateOffset}", $"Epsilon: {Float(Epsilon)}"];

    private static string Gamma(LayerShape s) => $"{s.Prefix}Gamma";
    private static string Beta(LayerShape s) => $"{s.Prefix}Beta";
    private static string Mean(LayerShape s) => $"{s.Prefix}MovingMean";
    private static string Variance(LayerShape s) => $"{s.Prefix}MovingVariance";
    private static string XHat(LayerShape s) => $"_xhat{s.Index}";
    private static string InvStd(LayerShape s) => $"_invStd{s.Index}";
    private static string Scale(LayerShape s) => $"_scale{s.Index}";

    public override IEnumerable<Buffer> Buffers(LayerShape s) =>
    [
        new Buffer(XHat(s), s.Outputs, PerRow: true, $"{Comment(Name)} normalised input"),
        new Buffer(InvStd(s), Features(s.Input), PerRow: false, $"{Comment(Name)} 1/sqrt(var + eps) of the batch"),
        new Buffer(Scale(s), Features(s.Input), PerRow: false, $"{Comment(Name)} scratch; after an inference-mode forward gamma/sqrt(movingVar + eps)"),
    ];

    public override void EmitConstants(CodeWriter w, LayerShape s)
    {
        int n = Features(s.Input);
        w.Line($"private const int {Gamma(s)} = {s.ParameterOffset}; // ({n}) {Comment(Name)} gamma");
        w.Line($"private const int {Beta(s)} = {s.ParameterOffset + n}; // ({n}) {Comment(Name)} beta");
        w.Line($"private const int {Mean(s)} = {s.StateOffset}; // ({n}) {Comment(Name)} moving mean, in _state");
        w.Line($"private const int {Variance(s)} = {s.StateOffset + n}; // ({n}) {Comment(Name)} moving variance, in _state");
    }

    public override void EmitInitialize(CodeWriter w, LayerShape s)
    {
        int n = Features(s.Input);
        w.Line($"Block(_parameters, {Gamma(s)}, {n}).Fill(1f); // gamma");
        w.Line($"Block(_parameters, {Beta(s)}, {n}).Clear(); // beta");
        w.Line($"Block(_state, {Mean(s)}, {n}).Clear();");
        w.Line($"Block(_state, {Variance(s)}, {n}).Fill(1f);");
    }

    public override void EmitForward(CodeWriter w, LayerContext c)
    {
        LayerShape s = c.Shape;
        int n = Features(s.Input), size = s.Outputs; // the kernels take (rows·positions, n) blocks
        string x = LayerContext.Rows(c.X, size), y = LayerContext.Rows(c.Y, size);
        string gamma = $"Block(_parameters, {Gamma(s)}, {n})", beta = $"Block(_parameters, {Beta(s)}, {n})";
        string mean = $"Block(_state, {Mean(s)}, {n})", variance = $"Block(_state, {Variance(s)}, {n})";
        // Frozen (Keras >= 2.1.3): the moving statistics normalise in training too, and are not updated.
        w.Line($"if (training && {c.Trainable}) {Kernels}.LayerKernels.BatchNormTraining({y}, {LayerContext.Rows(XHat(s), size)}, {InvStd(s)}, {x}, {gamma}, {beta}, {mean}, {variance}, {n}, {Float(Momentum)}, {Float(Epsilon)});");
        w.Line($"else {Kernels}.LayerKernels.BatchNormInference({y}, {x}, {gamma}, {beta}, {mean}, {variance}, {n}, {Float(Epsilon)}, {Scale(s)});");
    }

    public override void EmitBackward(CodeWriter w, LayerContext c)
    {
        LayerShape s = c.Shape;
        int n = Features(s.Input), size = s.Outputs;
        string dy = LayerContext.Rows(c.DY, size);
        // The first layer has no input gradient to pass on: its dx is computed in place over its own dy.
        string dx = c.DX is null ? dy : LayerContext.Rows(c.DX, size);
        string backward = $"{Kernels}.LayerKernels.BatchNormBackward({dx}, Block(_gradients, {Gamma(s)}, {n}), Block(_gradients, {Beta(s)}, {n}), {dy}, {LayerContext.Rows(XHat(s), size)}, Block(_parameters, {Gamma(s)}, {n}), {InvStd(s)}, {n}, {Scale(s)});";
        w.Line($"if ({c.Trainable}) {backward}");
        // Frozen: the inference-mode backward, dx = dy·gamma/sqrt(movingVar + eps), with the scale its forward left.
        if (c.DX is not null)
            w.Line($"else if ({c.InputGradientNeeded}) {Kernels}.LayerKernels.BatchNormFrozenBackward({dx}, {dy}, {Scale(s)}, {n});");
    }
}
