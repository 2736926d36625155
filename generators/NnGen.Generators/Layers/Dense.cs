using System.Collections.Generic;
using System.Globalization;
using NnGen.Generators.Model;
using static NnGen.Generators.CodeWriter;

namespace NnGen.Generators.Layers;

/// <summary><c>[Dense(units, activation, Inputs, L1, L2, KernelInitializer, Name)]</c>: y = act(x · kernel + bias).</summary>
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
        yield return new($"Dense{index}Forward", "method", ["ref float", "ref float", "ref float", "ref float", "int", "int", "int"]);
        yield return new($"Dense{index}WeightGradient", "method", ["ref float", "ref float", "ref float", "int", "int", "int"]);
        if (index > 1)
        {
            yield return new($"TaskDense{index}InputGradient", "constant", null);
            yield return new($"Dense{index}InputGradient", "method", ["ref float", "ref float", "ref float", "int", "int", "int"]);
        }
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
        $"{Long(input.SizeChecked)} inputs x {Long(Units)} units + {Long(Units)} biases = {Long(parameters)}";

    public override bool Accepts(Shape input, LayerArguments a)
    {
        if (input.Rank == 1) return true;
        a.ReportAt(DiagnosticDescriptors.NeedsFlatInput, a.Syntax?.GetLocation(), null, a.Label, a.Producer, input, Long(input.SizeChecked));
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
        string p = $"ref {Unsafe}.Add(ref p, {KernelOffset(s)})";
        yield return new ParallelTask($"{s.Prefix}Forward", Int(n), 32, k * n, n > 32,
            $"{s.Prefix}Forward(ref {At(c.Y)}, ref {At(c.X)}, {p}, ref {Unsafe}.Add(ref p, {BiasOffset(s)}), _rows, from, to);");
        yield return new ParallelTask($"{s.Prefix}WeightGradient", Int(n), 32, k * n, n > 32,
            $"{s.Prefix}WeightGradient(ref {Unsafe}.Add(ref g, {KernelOffset(s)}), ref {At(c.DY)}, ref {At(c.X)}, _rows, from, to);");
        if (c.DX is not null)
            yield return new ParallelTask($"{s.Prefix}InputGradient", Int(k), 4, k * n, k >= 8,
                $"{s.Prefix}InputGradient(ref {At(c.DX)}, ref {At(c.DY)}, {p}, _rows, from, to);");
    }

    public override void EmitForward(CodeWriter w, LayerContext c)
    {
        var tasks = new List<ParallelTask>(Tasks(c));
        w.Line(c.Run(tasks[0]));
        if (Activation is not (ActivationKind.Linear or ActivationKind.Relu)) // ReLU is fused into the product's store
            w.Line($"{Kernels}.ActivationKernels.Forward({ActivationName(Activation)}, {LayerContext.Rows(c.Y, c.Shape.Outputs)}, {c.Shape.Outputs});");
    }

    public override void EmitBackward(CodeWriter w, LayerContext c)
    {
        LayerShape s = c.Shape;
        int n = s.Outputs;
        var tasks = new List<ParallelTask>(Tasks(c));
        string dy = LayerContext.Rows(c.DY, n);
        if (!(c.IsLast && c.OutputGradientFused) && Activation != ActivationKind.Linear)
            w.Line($"{Kernels}.ActivationKernels.Backward({ActivationName(Activation)}, {dy}, {LayerContext.Rows(c.Y, n)}, {n});");
        w.Line(c.Run(tasks[1]));
        if (Regularised)
            w.Line(RegularizationGradient(KernelOffset(s), s.Inputs * n, L1, L2));
        w.Line($"{Kernels}.ActivationKernels.ColumnSums(Block(_gradients, {BiasOffset(s)}, {n}), {dy}, {n});");
        if (c.DX is not null) w.Line(c.Run(tasks[2]));
    }

    // Kernels are compiled fully optimised on first use ([AggressiveOptimization]) instead of starting in tier 0:
    // the first epoch then runs as fast as the rest.
    public override void EmitMethods(CodeWriter w, LayerShape s)
    {
        int k = s.Inputs, n = s.Outputs;
        bool relu = Activation == ActivationKind.Relu;
        w.Line($"/// <summary>{Xml(Name)}: y (rows, {n}) = {(relu ? "relu(" : "")}x (rows, {k}) · w ({k}, {n}) + b ({n}){(relu ? ")" : "")}, columns [j0, j1).</summary>");
        w.Line(AggressiveOptimization);
        w.Open($"private static void {s.Prefix}Forward(ref float y, ref float x, ref float w, ref float b, int rows, int j0, int j1)");
        DenseKernelWriter.EmitGemm(w, new DenseKernelWriter.Gemm("y", "x", "w", "b", M: "rows", Reduction: Int(k), N: n, AStrideM: k, AStrideReduction: "1", Relu: relu));
        w.Close();
        w.Line();

        w.Line($"/// <summary>{Xml(Name)}: dw ({k}, {n}) = x (rows, {k})ᵀ · dz (rows, {n}), columns [j0, j1).</summary>");
        w.Line(AggressiveOptimization);
        w.Open($"private static void {s.Prefix}WeightGradient(ref float dw, ref float dz, ref float x, int rows, int j0, int j1)");
        DenseKernelWriter.EmitGemm(w, new DenseKernelWriter.Gemm("dw", "x", "dz", Bias: null, M: Int(k), Reduction: "rows", N: n, AStrideM: 1, AStrideReduction: Int(k), Relu: false));
        w.Close();
        w.Line();

        if (s.Index > 1)
        {
            w.Line($"/// <summary>{Xml(Name)}: dx (rows, {k}) = dz (rows, {n}) · w ({k}, {n})ᵀ, inputs [k0, k1).</summary>");
            w.Line(AggressiveOptimization);
            w.Open($"private static void {s.Prefix}InputGradient(ref float dx, ref float dz, ref float w, int rows, int k0, int k1)");
            DenseKernelWriter.EmitInputGradient(w, k, n);
            w.Close();
            w.Line();
        }
    }

    private static string Long(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
