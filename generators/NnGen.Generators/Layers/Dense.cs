using System.Collections.Generic;
using NnGen.Generators.Model;
using static NnGen.Generators.CodeWriter;

namespace NnGen.Generators.Layers;

/// <summary>
/// <c>[Dense(units, activation, Inputs, L1, L2, KernelInitializer, Name)]</c>: y = act(x · kernel + bias). Runtime kernels:
/// NnGen.Kernels.DenseKernels (register-blocked, compiled optimised in the runtime assembly whatever the user's build).
/// </summary>
internal sealed class DenseKind : LayerKind
{
    public override string Name => "Dense";
    public override string DefaultName => "dense";
    public override int ActivationPosition => 1;
    public override int UnitsPosition => 0;

    public override LayerSpec Parse(LayerArguments a)
    {
        int units = a.Size("Units", 0);
        ActivationKind activation = a.Activation(1);
        int declared = a.Has("Inputs") ? a.Size("Inputs", -1) : 0;
        var (l1, l2) = a.Regularizers();
        return new DenseSpec(a.Name, units, activation, declared, l1, l2, a.KernelInitializer());
    }

    public override IEnumerable<GeneratedMembers.Member> Members(int index)
    {
        yield return new($"Dense{index}Kernel", "constant", null);
        yield return new($"Dense{index}Bias", "constant", null);
        yield return new($"TaskDense{index}Forward", "constant", null);
        yield return new($"TaskDense{index}WeightGradient", "constant", null);
        if (index > 1) yield return new($"TaskDense{index}InputGradient", "constant", null);
    }
}

/// <param name="Units">Output width.</param>
/// <param name="DeclaredInputs">The input width the user stated (<c>Inputs = ...</c>), 0 when not stated.</param>
/// <param name="L1">Kernel regulariser factor, 0 for none.</param>
/// <param name="L2">Kernel regulariser factor, 0 for none.</param>
/// <param name="Initializer">The runtime's NnGen.Initializer value for the kernel (Glorot uniform, 0, by default).</param>
internal sealed record DenseSpec(string Name, int Units, ActivationKind Activation, int DeclaredInputs, double L1, double L2, int Initializer)
    : LayerSpec(Name)
{
    public override LayerKind Kind => LayerKind.Dense;
    public override ActivationKind? OutputActivation => Activation;
    private bool Regularised => L1 != 0 || L2 != 0;
    public override bool SizesDeclared => Units > 0;

    public override LayerSize Infer(Shape input) => new(Shape.Of(Units), input.SizeChecked * Units + Units);

    public override string ParameterBreakdown(Shape input, long parameters) =>
        $"{Count(input.SizeChecked)} inputs x {Count(Units)} units + {Count(Units)} biases = {Count(parameters)}";

    public override bool Accepts(Shape input, LayerArguments a)
    {
        if (input.Rank == 1) return true;
        if (input.Rank == 2)
        {
            string hint = a.Previous is RecurrentSpec { ReturnSequences: true }
                ? "remove ReturnSequences = true from it to pass on only the last step's state, or insert [Flatten]"
                : "read it with a recurrent layer first ([LSTM(units)], [GRU(units)] or [SimpleRNN(units)]), or insert [Flatten]";
            a.ReportAt(DiagnosticDescriptors.DenseOnSequence, a.Syntax?.GetLocation(), null, a.Label, a.Producer, input, hint);
            return false;
        }
        a.ReportAt(DiagnosticDescriptors.NeedsFlatInput, a.Syntax?.GetLocation(), null, a.Label, a.Producer, input, Count(input.SizeChecked));
        return false;
    }

    public override void Check(LayerShape shape, LayerArguments a)
    {
        if (DeclaredInputs > 0 && DeclaredInputs != shape.Inputs)
            a.Report(DiagnosticDescriptors.InputsMismatch, "Inputs", -1, a.Label, DeclaredInputs, a.Producer, shape.Inputs);
    }

    public override string Architecture => $"Dense({Int(Units)}, {Activation})";

    public override string Legend(LayerShape s) =>
        $"{s.Inputs} -> {s.Outputs}, {Activation.ToString().ToLowerInvariant()}; kernel ({s.Inputs}, {s.Outputs}), bias ({s.Outputs}); {Int(s.Parameters)} parameters";

    private static string KernelOffset(LayerShape s) => $"{s.Prefix}Kernel";
    private static string BiasOffset(LayerShape s) => $"{s.Prefix}Bias";

    public override void EmitConstants(CodeWriter w, LayerShape s)
    {
        w.Line($"private const int {KernelOffset(s)} = {s.ParameterOffset}; // ({s.Inputs}, {s.Outputs}) {Comment(Name)} kernel");
        w.Line($"private const int {BiasOffset(s)} = {s.ParameterOffset + s.Inputs * s.Outputs}; // ({s.Outputs}) {Comment(Name)} bias");
    }

    public override void EmitInitialize(CodeWriter w, LayerShape s)
    {
        w.Line($"global::NnGen.Initializers.Initialize((global::NnGen.Initializer){Initializer}, Block(_parameters, {KernelOffset(s)}, {s.Inputs * s.Outputs}), {s.Inputs}, {s.Outputs}, ref rng);");
        w.Line($"Block(_parameters, {BiasOffset(s)}, {s.Outputs}).Clear();");
    }

    public override string? Penalty(LayerShape s) => Regularised ? RegularizationPenalty(KernelOffset(s), s.Inputs * s.Outputs, L1, L2) : null;

    public override IEnumerable<ParallelTask> Tasks(LayerContext c)
    {
        LayerShape s = c.Shape;
        int k = s.Inputs, n = s.Outputs;
        string w = $"ref {Unsafe}.Add(ref p, {KernelOffset(s)})", sizes = $"_rows, {k}, {n}, from, to";
        string relu = Activation == ActivationKind.Relu ? "true" : "false";
        yield return new ParallelTask($"{s.Prefix}Forward", Int(n), 32, k * n, n > 32,
            $"{Kernels}.DenseKernels.Forward(ref {At(c.Y)}, ref {At(c.X)}, {w}, ref {Unsafe}.Add(ref p, {BiasOffset(s)}), {sizes}, {relu});");
        yield return new ParallelTask($"{s.Prefix}WeightGradient", Int(n), 32, k * n, n > 32,
            $"{Kernels}.DenseKernels.WeightGradient(ref {Unsafe}.Add(ref g, {KernelOffset(s)}), ref {At(c.DY)}, ref {At(c.X)}, {sizes});");
        if (c.DX is not null)
            yield return new ParallelTask($"{s.Prefix}InputGradient", Int(k), 4, k * n, k >= 8,
                $"{Kernels}.DenseKernels.InputGradient(ref {At(c.DX)}, ref {At(c.DY)}, {w}, {sizes});");
    }

    public override void EmitForward(CodeWriter w, LayerContext c)
    {
        var tasks = new List<ParallelTask>(Tasks(c));
        w.Line(c.Run(tasks[0]));
        if (Activation is not (ActivationKind.Linear or ActivationKind.Relu)) // ReLU is fused into the product's store
            w.Line(c.ActivationForward(Activation));
    }

    public override void EmitBackward(CodeWriter w, LayerContext c)
    {
        LayerShape s = c.Shape;
        int n = s.Outputs;
        var tasks = new List<ParallelTask>(Tasks(c));
        string dy = LayerContext.Rows(c.DY, n);
        if (c.ActivationBackward(Activation, c.DY) is { } activationBackward) w.Line(activationBackward);
        w.Open($"if ({c.Trainable}) // a frozen layer's gradient stays zero");
        w.Line(c.Run(tasks[1]));
        if (Regularised)
            w.Line(RegularizationGradient(KernelOffset(s), s.Inputs * n, L1, L2));
        w.Line($"{Kernels}.ActivationKernels.ColumnSums(Block(_gradients, {BiasOffset(s)}, {n}), {dy}, {n});");
        w.Close();
        if (c.DX is not null) w.Line($"if ({c.InputGradientNeeded}) {c.Run(tasks[2])}");
    }
}
