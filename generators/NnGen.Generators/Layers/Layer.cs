using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NnGen.Generators.Model;

namespace NnGen.Generators.Layers;

/// <summary>
/// One layer kind, everything about it in one file (Layers/Dense.cs, ...): the attribute it is declared with, how its
/// arguments are read and checked (<see cref="Parse"/>), the members it adds to a network class, and its
/// <see cref="LayerSpec"/> record, which infers its shape and writes its code. The parser, the shape inference and the
/// emitter only sequence the layers; adding a kind is a new file here plus one entry in <see cref="All"/>
/// (docs/ARCHITECTURE.md#adding-a-layer-kind).
/// </summary>
internal abstract class LayerKind
{
    public static readonly LayerKind Dense = new DenseKind();
    public static readonly LayerKind BatchNormalization = new BatchNormalizationKind();
    public static readonly LayerKind Dropout = new DropoutKind();
    public static readonly LayerKind Activation = new ActivationLayerKind();
    public static readonly LayerKind Flatten = new FlattenKind();
    public static readonly LayerKind Reshape = new ReshapeKind();
    public static readonly LayerKind Conv2D = new Conv2DKind();
    public static readonly LayerKind MaxPooling2D = new Pooling2DKind(max: true);
    public static readonly LayerKind AveragePooling2D = new Pooling2DKind(max: false);
    public static readonly LayerKind GlobalAveragePooling2D = new GlobalPooling2DKind(max: false);
    public static readonly LayerKind GlobalMaxPooling2D = new GlobalPooling2DKind(max: true);
    public static readonly LayerKind SimpleRNN = new RecurrentKind(Cell.SimpleRnn);
    public static readonly LayerKind LSTM = new RecurrentKind(Cell.Lstm);
    public static readonly LayerKind GRU = new RecurrentKind(Cell.Gru);
    public static readonly LayerKind Embedding = new EmbeddingKind();

    /// <summary>Every layer kind, by the metadata name of its attribute.</summary>
    public static readonly IReadOnlyDictionary<string, LayerKind> All = new[]
    {
        Dense, BatchNormalization, Dropout, Activation, Flatten, Reshape, Conv2D, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D,
        SimpleRNN, LSTM, GRU, Embedding,
    }.ToDictionary(k => k.AttributeName);

    /// <summary>Keras's class name, used in messages, Summary() and the generated names: <c>Dense</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Keras's default layer name, numbered from the second layer of the kind on: <c>dense</c>, <c>dense_1</c>.</summary>
    public abstract string DefaultName { get; }

    /// <summary>The attribute's metadata name, <c>NnGen.DenseAttribute</c>.</summary>
    public string AttributeName => $"NnGen.{Name}Attribute";

    /// <summary>Constructor arguments the attribute always has; fewer is the compiler's error, not NnGen's.</summary>
    public virtual int Arity => 1;

    /// <summary>Position of the activation among the constructor arguments, or -1 when the kind has none to state.</summary>
    public virtual int ActivationPosition => -1;

    /// <summary>Position of the unit count among the constructor arguments, or -1 when the kind's width is its input's.</summary>
    public virtual int UnitsPosition => -1;

    /// <summary>Reads and checks the attribute's arguments; reports through <paramref name="a"/>.</summary>
    public abstract LayerSpec Parse(LayerArguments a);

    /// <summary>The members the emitter writes for a layer of this kind at 1-based position <paramref name="index"/>, besides its output buffers.</summary>
    public virtual IEnumerable<GeneratedMembers.Member> Members(int index) => Array.Empty<GeneratedMembers.Member>();

    public override string ToString() => Name;
}

/// <summary>
/// One layer as declared (an immutable record: equal specs mean equal generated source), and what depends on its kind:
/// its output shape and parameters from its input shape, its checks in the user's vocabulary, and its code.
/// </summary>
internal abstract record LayerSpec(string Name)
{
    public abstract LayerKind Kind { get; }

    /// <summary>The attribute's <c>Trainable</c> (Keras's <c>trainable</c>): whether Fit updates the layer's parameters, until switched at run time.</summary>
    public bool Trainable { get; init; } = true;

    /// <summary>The activation the layer applies to its output; null for kinds that apply none.</summary>
    public virtual ActivationKind? OutputActivation => null;

    /// <summary>Whether every size the layer declares is usable (positive), so that shapes can be inferred through it.</summary>
    public virtual bool SizesDeclared => true;

    /// <summary>The output shape and parameter counts (in 64 bits: checked against one array's limit before use) for an input shape.</summary>
    public abstract LayerSize Infer(Shape input);

    /// <summary>How the layer's float count (trainable and state) comes about, for NNG0013: "784 inputs x 256 units + 256 biases = 200,960".</summary>
    public abstract string ParameterBreakdown(Shape input, long parameters);

    /// <summary>
    /// Whether the layer can take <paramref name="input"/> (an image layer needs an image, a window must fit); reports
    /// why not through <paramref name="a"/>. Shapes are inferred through a layer only after it accepts its input.
    /// </summary>
    public virtual bool Accepts(Shape input, LayerArguments a) => true;

    /// <summary>Checks that need the inferred shapes (the declared input width of a Dense layer, say).</summary>
    public virtual void Check(LayerShape shape, LayerArguments a) { }

    /// <summary>The layer in the canonical architecture text recorded in weights files: <c>Dense(256, Relu)</c>.</summary>
    public abstract string Architecture { get; }

    /// <summary>What the layer's entry in INetwork.Layers states besides its shapes and counts, as named constructor arguments: <c>Window: ...</c>, <c>Epsilon: ...</c>.</summary>
    public virtual IEnumerable<string> Info(LayerShape s) => Array.Empty<string>();

    /// <summary>The layer's line in the generated file's dimension legend.</summary>
    public abstract string Legend(LayerShape s);

    /// <summary>Buffers besides the output and its gradient: per-row ones grow with the batch, the others are allocated once.</summary>
    public virtual IEnumerable<Buffer> Buffers(LayerShape s) => Array.Empty<Buffer>();

    /// <summary>Fields one network shares between all layers of the kind (Dropout's random stream), with their initialisation.</summary>
    public virtual IEnumerable<SharedField> SharedFields => Array.Empty<SharedField>();

    /// <summary>Constants naming where the layer's parameters and state live.</summary>
    public virtual void EmitConstants(CodeWriter w, LayerShape s) { }

    /// <summary>Statements of InitializeWeights: the layer's parameters and state from <c>rng</c>.</summary>
    public virtual void EmitInitialize(CodeWriter w, LayerShape s) { }

    /// <summary>An expression adding the layer's regularisation penalty to the loss, or null.</summary>
    public virtual string? Penalty(LayerShape s) => null;

    /// <summary>Statements of Forward: <c>c.Y</c> from <c>c.X</c>; <c>training</c> is in scope.</summary>
    public abstract void EmitForward(CodeWriter w, LayerContext c);

    /// <summary>Statements of Backward: the parameter gradients from <c>c.DY</c>, and <c>c.DX</c> unless the layer is the first.</summary>
    public abstract void EmitBackward(CodeWriter w, LayerContext c);

    /// <summary>The layer's parallel sections, run through <see cref="LayerContext.Run"/>.</summary>
    public virtual IEnumerable<ParallelTask> Tasks(LayerContext c) => Array.Empty<ParallelTask>();

    /// <summary>The penalty of a kernel regulariser: l1·Σ|w| + l2·Σw² over the kernel at <paramref name="offset"/>.</summary>
    protected static string RegularizationPenalty(string offset, int length, double l1, double l2) =>
        $"{CodeWriter.Kernels}.LayerKernels.RegularizationPenalty(Block(_parameters, {offset}, {length}), {CodeWriter.Float(l1)}, {CodeWriter.Float(l2)})";

    /// <summary>The statement adding the regulariser's gradient to the kernel's.</summary>
    protected static string RegularizationGradient(string offset, int length, double l1, double l2) =>
        $"{CodeWriter.Kernels}.LayerKernels.AddRegularizationGradient(Block(_gradients, {offset}, {length}), Block(_parameters, {offset}, {length}), {CodeWriter.Float(l1)}, {CodeWriter.Float(l2)});";
}

/// <summary>What <see cref="LayerSpec.Infer"/> gives: the output shape, trainable parameters and non-trainable state.</summary>
internal readonly record struct LayerSize(Shape Output, long Parameters, long State = 0);

/// <summary>A layer with its inferred shapes and where its parameters (in _parameters) and its state (in _state) start.</summary>
internal sealed record LayerShape(int Index, LayerSpec Layer, Shape Input, Shape Output, int Parameters, int ParameterOffset, int State, int StateOffset)
{
    /// <summary>Floats per sample in.</summary>
    public int Inputs => Input.Size;

    /// <summary>Floats per sample out.</summary>
    public int Outputs => Output.Size;

    /// <summary>The prefix of the generated names that belong to this layer: <c>Dense3</c>.</summary>
    public string Prefix => $"{Layer.Kind.Name}{Index}";
}

/// <summary>A buffer field of a layer: <see cref="Length"/> floats, per sample when <see cref="PerRow"/>.</summary>
internal sealed record Buffer(string Field, int Length, bool PerRow, string Comment);

/// <summary>A network-level field shared by the layers of one kind, and its statement in InitializeWeights.</summary>
internal sealed record SharedField(string Declaration, string Initialization);

/// <summary>
/// A parallel section of a layer: <see cref="Call"/> runs the part [from, to) that
/// <c>Workers.Partition(part, parts, Length, Block)</c> hands out (Length an expression: a constant, or one of <c>_rows</c>); <c>p</c> and <c>g</c> (the parameter and gradient
/// blocks) are in scope. <see cref="Work"/> is the multiply-adds per sample, against <c>Workers.MinParallelWork</c>.
/// A task that is not <see cref="Splittable"/> (one block of work) runs on the calling thread: handing half of nothing
/// to another core only costs.
/// </summary>
internal sealed record ParallelTask(string Name, string Length, int Block, int Work, bool Splittable, string Call);

/// <summary>What a layer's code is written against: its shape, its buffers and its place in the network.</summary>
internal sealed class LayerContext(LayerShape shape, string x, string? dx, bool isLast, bool outputGradientFused, Func<ParallelTask, string> run)
{
    public LayerShape Shape { get; } = shape;

    /// <summary>The array of the layer's input: the batch (<c>_x</c>) for the first layer, the previous layer's output otherwise.</summary>
    public string X { get; } = x;

    /// <summary>The array of the gradient w.r.t. the layer's input, or null for the first layer (nothing to pass it to).</summary>
    public string? DX { get; } = dx;

    /// <summary>Whether the layer is trainable now: its element of the network's run-time switch.</summary>
    public string Trainable => $"_trainable[{Shape.Index - 1}]";

    /// <summary>Whether a layer before this one is trainable, so that the gradient w.r.t. this layer's input is needed.</summary>
    public string InputGradientNeeded => $"_lowestTrainable < {Shape.Index}";

    public string Y => Output(Shape.Index);
    public string DY => Delta(Shape.Index);
    public bool IsLast { get; } = isLast;

    /// <summary>The output layer's activation was folded into the loss's gradient (softmax with cross-entropy): its backward skips it.</summary>
    public bool OutputGradientFused { get; } = outputGradientFused;

    /// <summary>
    /// The statement applying <paramref name="activation"/> to the layer's output in place. Softmax normalises along the
    /// last axis, as Keras's: over the units of a vector, over the channels at each position of an image.
    /// </summary>
    public string ActivationForward(ActivationKind activation) =>
        $"{CodeWriter.Kernels}.ActivationKernels.Forward({CodeWriter.ActivationName(activation)}, {Rows(Y, Shape.Outputs)}, {Features});";

    /// <summary>
    /// The statement taking <paramref name="gradient"/> (a per-row buffer of the output's size) back through
    /// <paramref name="activation"/> in place, or null when there is nothing to do: a linear activation, or the output
    /// layer's activation folded into the loss's gradient.
    /// </summary>
    public string? ActivationBackward(ActivationKind activation, string gradient) =>
        activation == ActivationKind.Linear || (IsLast && OutputGradientFused) ? null
            : $"{CodeWriter.Kernels}.ActivationKernels.Backward({CodeWriter.ActivationName(activation)}, {Rows(gradient, Shape.Outputs)}, {Rows(Y, Shape.Outputs)}, {Features});";

    /// <summary>The length of the output's last axis: the rows an activation works on.</summary>
    private int Features => Shape.Output.Dims[Shape.Output.Rank - 1];

    /// <summary>The statement that runs a task: on the worker pool when it pays, on the calling thread otherwise.</summary>
    public string Run(ParallelTask task) => run(task);

    /// <summary><c>Block(array, 0, rows * perRow)</c>: the batch's part of a per-row buffer.</summary>
    public static string Rows(string array, int perRow) => $"Block({array}, 0, rows * {perRow})";

    public static string Output(int index) => $"_y{index}";
    public static string Delta(int index) => $"_dy{index}";
}

/// <summary>
/// A layer attribute's arguments, read for its kind's <see cref="LayerKind.Parse"/> and checks: values by position or
/// name, and diagnostics reported at the exact argument. A value the compiler could not bind marks the declaration as not
/// generatable (the compiler reports it; NnGen does not repeat it).
/// </summary>
internal sealed class LayerArguments(
    AttributeData data, AttributeSyntax? syntax, int index, string name, string label, LayerSpec? previous,
    IReadOnlyDictionary<string, TypedConstant> named, Action<DiagnosticDescriptor, Location?, ImmutableDictionary<string, string?>?, object[]> report,
    Action cannotGenerate)
{
    /// <summary>1-based position of the layer in the network.</summary>
    public int Index { get; } = index;

    /// <summary>The layer's name, stated or Keras's default.</summary>
    public string Name { get; } = name;

    /// <summary>How messages name the layer: <c>Dense layer 3 ('dense_2')</c>.</summary>
    public string Label { get; } = label;

    /// <summary>The layer declared before this one, or null for the first (or when that one is malformed).</summary>
    public LayerSpec? Previous { get; } = previous;

    /// <summary>How messages name what feeds this layer: <c>layer 2 ('conv2d')</c>, or <c>the network input</c>.</summary>
    public string Producer => Previous is null ? "the network input" : $"layer {Index - 1} ('{Previous.Name}')";

    public AttributeSyntax? Syntax { get; } = syntax;

    public bool Has(string name) => named.ContainsKey(name);

    /// <summary>An int (or enum) constructor argument, or null after a compiler error.</summary>
    public int? Int(int position) => position < data.ConstructorArguments.Length ? IntValue(data.ConstructorArguments[position]) : null;

    /// <summary>A named int (or enum) argument, or null when absent or after a compiler error.</summary>
    public int? NamedInt(string name) => named.TryGetValue(name, out TypedConstant c) ? IntValue(c) : null;

    /// <summary>A double constructor argument, or <paramref name="fallback"/>.</summary>
    public double Double(int position, double fallback) =>
        position < data.ConstructorArguments.Length && data.ConstructorArguments[position].Value is double d ? d : fallback;

    /// <summary>A named number, or <paramref name="fallback"/> when absent.</summary>
    public double Number(string name, double fallback) =>
        named.TryGetValue(name, out TypedConstant c) && c.Kind != TypedConstantKind.Error && c.Value is double or float or int
            ? Convert.ToDouble(c.Value, CultureInfo.InvariantCulture) : fallback;

    /// <summary>The activation at constructor position <paramref name="position"/> (Linear when absent); NNG0006 when it is no Activation value.</summary>
    public ActivationKind Activation(int position)
    {
        int value = position < data.ConstructorArguments.Length ? Int(position) ?? 0 : 0;
        if (!Enum.IsDefined(typeof(ActivationKind), value))
            Report(DiagnosticDescriptors.UnknownEnumValue, "activation", position, "Activation", Label, value, "Activation");
        return (ActivationKind)value;
    }

    /// <summary>A named bool, or <paramref name="fallback"/>.</summary>
    public bool Bool(string name, bool fallback) => named.TryGetValue(name, out TypedConstant c) && c.Value is bool b ? b : fallback;

    /// <summary>The ints of an array constructor argument (a params array), or null after a compiler error.</summary>
    public int[]? IntArray(int position)
    {
        if (position >= data.ConstructorArguments.Length) return null;
        TypedConstant array = data.ConstructorArguments[position];
        if (array.Kind != TypedConstantKind.Array || array.IsNull) { cannotGenerate(); return null; }
        var values = new int[array.Values.Length];
        for (int i = 0; i < values.Length; i++) values[i] = IntValue(array.Values[i]) ?? 0;
        return values;
    }

    /// <summary>A positive size at constructor <paramref name="position"/> (or named, when <paramref name="position"/> is -1); NNG0005 otherwise.</summary>
    public int Size(string name, int position, int fallback = 0)
    {
        int? stated = position >= 0 ? Int(position) : Has(name) ? NamedInt(name) : fallback;
        if (stated is not int value) return 0; // the compiler could not bind it: its error, not NnGen's
        if (value <= 0) Report(DiagnosticDescriptors.NonPositiveSize, position >= 0 ? char.ToLowerInvariant(name[0]) + name.Substring(1) : name, position, name, Label, value);
        return value;
    }

    /// <summary>Padding = Padding.Same (true) or Valid (false, the default); NNG0006 for another value.</summary>
    public bool SamePadding()
    {
        int value = NamedInt("Padding") ?? 0;
        if (value is not (0 or 1)) Report(DiagnosticDescriptors.UnknownEnumValue, "Padding", -1, "Padding", Label, value, "Padding");
        return value == 1;
    }

    /// <summary>The kernel's L1 and L2 regularisation factors (0 when not stated): finite (NNG0011) and, when stated, positive (NNG0207).</summary>
    public (double L1, double L2) Regularizers()
    {
        double l1 = Number("L1", 0), l2 = Number("L2", 0);
        foreach (var (factor, value) in new[] { ("L1", l1), ("L2", l2) })
        {
            if (double.IsNaN(value) || double.IsInfinity(value) || float.IsInfinity((float)value))
                Report(DiagnosticDescriptors.InvalidHyperparameter, factor, -1, factor, Label, Format(value), "a finite number");
            else if (Has(factor) && value <= 0)
                Report(DiagnosticDescriptors.RegularizerNotPositive, factor, -1, factor, Label, Format(value));
        }
        return (l1, l2);
    }

    /// <summary>
    /// A named initialiser (the runtime's NnGen.Initializer value; KernelInitializer, Glorot uniform 0, by default), or
    /// <paramref name="fallback"/> when absent; NNG0006 for an undefined one.
    /// </summary>
    public int KernelInitializer(string name = "KernelInitializer", int fallback = 0)
    {
        int initializer = NamedInt(name) ?? fallback;
        if (initializer is < 0 or > 8)
            Report(DiagnosticDescriptors.UnknownEnumValue, name, -1, name, Label, initializer, "Initializer");
        return initializer;
    }

    /// <summary>A named activation, or <paramref name="fallback"/> when absent; NNG0006 when it is no Activation value.</summary>
    public ActivationKind NamedActivation(string name, ActivationKind fallback)
    {
        int value = NamedInt(name) ?? (int)fallback;
        if (!Enum.IsDefined(typeof(ActivationKind), value))
            Report(DiagnosticDescriptors.UnknownEnumValue, name, -1, name, Label, value, "Activation");
        return (ActivationKind)value;
    }

    /// <summary>Where an argument is: the named one, else the positional one at <paramref name="position"/>, else the whole attribute.</summary>
    public Location? Location(string name, int position) => Parser.ArgumentLocation(Syntax, name, position);

    /// <summary>Reports at an argument (see <see cref="Location"/>).</summary>
    public void Report(DiagnosticDescriptor descriptor, string argument, int position, params object[] arguments) =>
        report(descriptor, Location(argument, position), null, arguments);

    /// <summary>Reports at a location, with properties for a code fix.</summary>
    public void ReportAt(DiagnosticDescriptor descriptor, Location? location, ImmutableDictionary<string, string?>? properties, params object[] arguments) =>
        report(descriptor, location, properties, arguments);

    private int? IntValue(TypedConstant constant)
    {
        if (constant.Kind != TypedConstantKind.Error && constant.Value is int value) return value;
        cannotGenerate();
        return null;
    }

    /// <summary>A number as messages write it (round-trip, invariant culture).</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
