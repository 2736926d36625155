using System.Collections.Generic;
using NnGen.Generators.Model;
using static NnGen.Generators.CodeWriter;

namespace NnGen.Generators.Layers;

/// <summary>
/// <c>[Conv2D(filters, kernelSize, activation, Strides, Padding, UseBias, KernelInitializer, L1, L2, Name)]</c>:
/// y (OH, OW, F) = act(x (H, W, C) ⊛ kernel (K, K, C, F) + bias (F)), channels last. Runtime kernels: NnGen.Kernels.Conv2DKernels.
/// </summary>
internal sealed class Conv2DKind : LayerKind
{
    public override string Name => "Conv2D";
    public override string DefaultName => "conv2d";
    public override int Arity => 2;
    public override int ActivationPosition => 2;

    public override LayerSpec Parse(LayerArguments a)
    {
        int filters = a.Size("Filters", 0), kernel = a.Size("KernelSize", 1);
        ActivationKind activation = a.Activation(2);
        int strides = a.Size("Strides", -1, fallback: 1);
        bool same = a.SamePadding();
        var (l1, l2) = a.Regularizers();
        return new Conv2DSpec(a.Name, filters, kernel, strides, same, activation, a.Bool("UseBias", true), a.KernelInitializer(), l1, l2);
    }

    public override IEnumerable<GeneratedMembers.Member> Members(int index)
    {
        foreach (string constant in new[] { "Kernel", "Bias" }) yield return new($"Conv2D{index}{constant}", "constant", null);
        yield return new($"Conv2D{index}Geometry", "field", null);
        yield return new($"_noBias{index}", "field", null);
        yield return new($"_noBiasGradient{index}", "field", null);
        foreach (string task in new[] { "Forward", "WeightGradient", "InputGradient" }) yield return new($"TaskConv2D{index}{task}", "constant", null);
    }
}

/// <param name="Same">Padding 'same' (true) or 'valid'.</param>
/// <param name="Initializer">The runtime's NnGen.Initializer value for the kernel.</param>
internal sealed record Conv2DSpec(string Name, int Filters, int KernelSize, int Strides, bool Same, ActivationKind Activation, bool UseBias,
    int Initializer, double L1, double L2) : LayerSpec(Name)
{
    public override LayerKind Kind => LayerKind.Conv2D;
    public override ActivationKind? OutputActivation => Activation;
    public override bool SizesDeclared => Filters > 0 && KernelSize > 0 && Strides > 0;
    private bool Regularised => L1 != 0 || L2 != 0;

    private Window WindowOver(Shape input) => new(input.Dims[0], input.Dims[1], input.Dims[2], Filters, KernelSize, Strides, Same);
    private long KernelLength(Shape input) => (long)KernelSize * KernelSize * input.Dims[2] * Filters;

    public override bool Accepts(Shape input, LayerArguments a) => Window.Accepts(input, KernelSize, Same, "kernel", "kernelSize", 1, a);

    public override LayerSize Infer(Shape input) => new(WindowOver(input).Output(Filters), KernelLength(input) + (UseBias ? Filters : 0));

    public override string ParameterBreakdown(Shape input, long parameters) =>
        $"{KernelSize}x{KernelSize} kernels x {Count(input.Dims[2])} channels x {Count(Filters)} filters{(UseBias ? $" + {Count(Filters)} biases" : "")} = {Count(parameters)}";

    public override string Architecture =>
        $"Conv2D({Int(Filters)}, {KernelSize}x{KernelSize}, {Activation}, Strides={Strides}, Padding={(Same ? "Same" : "Valid")}{(UseBias ? "" : ", UseBias=False")})";

    public override string Legend(LayerShape s) =>
        $"{s.Input} -> {s.Output}, {Activation.ToString().ToLowerInvariant()}; kernel ({KernelSize}, {KernelSize}, {s.Input.Dims[2]}, {Filters}){(UseBias ? $", bias ({Filters})" : "")}, strides {Strides}, {(Same ? "same" : "valid")}; {Int(s.Parameters)} parameters";

    public override IEnumerable<string> Info(LayerShape s)
    {
        yield return $"Window: {WindowOver(s.Input).Info}";
        if (!UseBias) yield return "UseBias: false";
    }

    private static string KernelOffset(LayerShape s) => $"{s.Prefix}Kernel";
    private static string BiasOffset(LayerShape s) => $"{s.Prefix}Bias";
    private static string Geometry(LayerShape s) => $"{s.Prefix}Geometry";
    private static string NoBias(LayerShape s) => $"_noBias{s.Index}";
    private static string NoBiasGradient(LayerShape s) => $"_noBiasGradient{s.Index}";
    private int Length(LayerShape s) => (int)KernelLength(s.Input);

    public override IEnumerable<Buffer> Buffers(LayerShape s) => UseBias
        ? System.Array.Empty<Buffer>()
        :
        [
            new Buffer(NoBias(s), Filters, PerRow: false, $"{Comment(Name)} zeros in place of the bias (UseBias = false)"),
            new Buffer(NoBiasGradient(s), Filters, PerRow: false, $"{Comment(Name)} the kernels' bias gradient, which nothing reads"),
        ];

    public override void EmitConstants(CodeWriter w, LayerShape s)
    {
        w.Line($"private const int {KernelOffset(s)} = {s.ParameterOffset}; // ({KernelSize}, {KernelSize}, {s.Input.Dims[2]}, {Filters}) {Comment(Name)} kernel");
        w.Line($"private const int {BiasOffset(s)} = {s.ParameterOffset + Length(s)}; // ({(UseBias ? Filters : 0)}) {Comment(Name)} bias");
        w.Line($"private static readonly global::NnGen.Kernels.Conv2DGeometry {Geometry(s)} = {WindowOver(s.Input).Construction}; // {Comment(Name)}: {s.Input} -> {s.Output}");
    }

    public override void EmitInitialize(CodeWriter w, LayerShape s)
    {
        int c = s.Input.Dims[2], area = KernelSize * KernelSize;
        w.Line($"global::NnGen.Initializers.Initialize((global::NnGen.Initializer){Initializer}, Block(_parameters, {KernelOffset(s)}, {Length(s)}), {area * c}, {area * Filters}, ref rng);");
        if (UseBias) w.Line($"Block(_parameters, {BiasOffset(s)}, {Filters}).Clear();");
    }

    public override string? Penalty(LayerShape s) => Regularised ? RegularizationPenalty(KernelOffset(s), Length(s), L1, L2) : null;

    public override IEnumerable<ParallelTask> Tasks(LayerContext c)
    {
        LayerShape s = c.Shape;
        int pixels = s.Output.Dims[0] * s.Output.Dims[1], height = s.Input.Dims[0];
        int work = (int)System.Math.Min((long)pixels * KernelSize * KernelSize * s.Input.Dims[2] * Filters, int.MaxValue);
        string x = $"Block({c.X}, 0, _rows * {s.Inputs})", y = $"Block({c.Y}, 0, _rows * {s.Outputs})", dy = $"Block({c.DY}, 0, _rows * {s.Outputs})";
        string kernel = $"Block(_parameters, {KernelOffset(s)}, {Length(s)})";
        string bias = UseBias ? $"Block(_parameters, {BiasOffset(s)}, {Filters})" : NoBias(s);
        string biasGradient = UseBias ? $"Block(_gradients, {BiasOffset(s)}, {Filters})" : NoBiasGradient(s);
        string relu = Activation == ActivationKind.Relu ? "true" : "false";
        yield return new ParallelTask($"{s.Prefix}Forward", $"_rows * {pixels}", 4, work, pixels >= 8,
            $"{Kernels}.Conv2DKernels.Forward({y}, {x}, {kernel}, {bias}, in {Geometry(s)}, _rows, {relu}, from, to);");
        yield return new ParallelTask($"{s.Prefix}WeightGradient", Int(Filters), 8, work, Filters >= 16,
            $"{Kernels}.Conv2DKernels.WeightGradient(Block(_gradients, {KernelOffset(s)}, {Length(s)}), {biasGradient}, {dy}, {x}, in {Geometry(s)}, _rows, from, to);");
        if (c.DX is not null)
            yield return new ParallelTask($"{s.Prefix}InputGradient", $"_rows * {height}", 1, work, height >= 2,
                $"{Kernels}.Conv2DKernels.InputGradient(Block({c.DX}, 0, _rows * {s.Inputs}), {dy}, {kernel}, in {Geometry(s)}, _rows, from, to);");
    }

    public override void EmitForward(CodeWriter w, LayerContext c)
    {
        var tasks = new List<ParallelTask>(Tasks(c));
        w.Line(c.Run(tasks[0]));
        if (Activation is not (ActivationKind.Linear or ActivationKind.Relu)) // ReLU is fused into the kernel's store
            w.Line(c.ActivationForward(Activation));
    }

    public override void EmitBackward(CodeWriter w, LayerContext c)
    {
        LayerShape s = c.Shape;
        var tasks = new List<ParallelTask>(Tasks(c));
        if (c.ActivationBackward(Activation, c.DY) is { } activationBackward) w.Line(activationBackward);
        w.Open($"if ({c.Trainable}) // a frozen layer's gradient stays zero");
        w.Line(c.Run(tasks[1]));
        if (Regularised) w.Line(RegularizationGradient(KernelOffset(s), Length(s), L1, L2));
        w.Close();
        if (c.DX is not null) w.Line($"if ({c.InputGradientNeeded}) {c.Run(tasks[2])}");
    }
}
