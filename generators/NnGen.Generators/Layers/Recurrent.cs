using System.Collections.Generic;
using System.Linq;
using NnGen.Generators.Model;
using static NnGen.Generators.CodeWriter;

namespace NnGen.Generators.Layers;

/// <summary>The three recurrent cells, with Keras's gate counts and orders.</summary>
internal enum Cell { SimpleRnn, Lstm, Gru }

/// <summary>
/// <c>[SimpleRNN(units)]</c>, <c>[LSTM(units)]</c>, <c>[GRU(units)]</c> with Activation, RecurrentActivation,
/// ReturnSequences, UnitForgetBias (LSTM), KernelInitializer, RecurrentInitializer, Name, Trainable: a cell stepped
/// through the timesteps of a (timesteps, features) sequence, Keras's equations and weight layout
/// (runtime: NnGen.Kernels.RecurrentKernels for the element-wise step, DenseKernels for the products).
/// </summary>
internal sealed class RecurrentKind(Cell cell) : LayerKind
{
    public Cell Cell { get; } = cell;
    public override string Name => Cell switch { Cell.Lstm => "LSTM", Cell.Gru => "GRU", _ => "SimpleRNN" };
    public override string DefaultName => Cell switch { Cell.Lstm => "lstm", Cell.Gru => "gru", _ => "simple_rnn" };
    public override int UnitsPosition => 0;

    public override LayerSpec Parse(LayerArguments a)
    {
        int units = a.Size("Units", 0);
        ActivationKind activation = CellActivation(a, "Activation", ActivationKind.Tanh, "activation");
        ActivationKind recurrent = Cell == Cell.SimpleRnn ? ActivationKind.Sigmoid : CellActivation(a, "RecurrentActivation", ActivationKind.Sigmoid, "recurrent activation");
        return new RecurrentSpec(a.Name, Cell, units, activation, recurrent, a.Bool("ReturnSequences", false), Cell == Cell.Lstm && a.Bool("UnitForgetBias", true),
            a.KernelInitializer(), a.KernelInitializer("RecurrentInitializer", fallback: 8));
    }

    private static ActivationKind CellActivation(LayerArguments a, string name, ActivationKind fallback, string role)
    {
        ActivationKind value = a.NamedActivation(name, fallback);
        if (value == ActivationKind.Softmax) a.Report(DiagnosticDescriptors.CellActivation, name, -1, a.Label, role);
        return value;
    }

    public override IEnumerable<GeneratedMembers.Member> Members(int index)
    {
        foreach (string constant in new[] { "Kernel", "Recurrent", "Bias" }) yield return new($"{Name}{index}{constant}", "constant", null);
        foreach (string task in new[] { "Input", "Recurrent", "State", "KernelGradient", "RecurrentGradient", "InputGradient" })
            yield return new($"Task{Name}{index}{task}", "constant", null);
        foreach (string buffer in RecurrentSpec.BufferNames(Cell)) yield return new($"_{buffer}{index}", "field", null);
        yield return new("_step", "field", null);
    }
}

/// <param name="Cell">Which cell.</param>
/// <param name="Activation">The state's (candidate's) activation, tanh by default.</param>
/// <param name="RecurrentActivation">The gates' activation (LSTM and GRU), sigmoid by default.</param>
/// <param name="ReturnSequences">Output every step's state (timesteps, units), not only the last one's.</param>
/// <param name="UnitForgetBias">LSTM: the forget gate's bias starts at 1.</param>
/// <param name="Initializer">The input kernel's NnGen.Initializer value.</param>
/// <param name="RecurrentInitializer">The recurrent kernel's NnGen.Initializer value (orthogonal, 8, by default).</param>
internal sealed record RecurrentSpec(string Name, Cell Cell, int Units, ActivationKind Activation, ActivationKind RecurrentActivation, bool ReturnSequences,
    bool UnitForgetBias, int Initializer, int RecurrentInitializer) : LayerSpec(Name)
{
    public override LayerKind Kind => Cell switch { Cell.Lstm => LayerKind.LSTM, Cell.Gru => LayerKind.GRU, _ => LayerKind.SimpleRNN };
    public override bool SizesDeclared => Units > 0;

    /// <summary>Gates per unit: the width of the products is Gates·Units.</summary>
    private int Gates => Cell switch { Cell.Lstm => 4, Cell.Gru => 3, _ => 1 };

    /// <summary>Biases: one per gate and unit; the GRU has a second row for the recurrent product (reset_after).</summary>
    private int BiasLength => Cell == Cell.Gru ? 2 * Gates * Units : Gates * Units;

    private string GateOrder => Cell switch { Cell.Lstm => ", gates [i, f, c, o]", Cell.Gru => ", gates [z, r, h], reset_after", _ => "" };

    public override bool Accepts(Shape input, LayerArguments a)
    {
        if (input.Rank == 2) return true;
        string hint = input.Rank == 3 ? "reshape each image into rows first, e.g. [Reshape(height, width * channels)]"
            : a.Previous is RecurrentSpec { ReturnSequences: false } previous ? $"set ReturnSequences = true on layer {a.Index - 1} ('{previous.Name}') to pass on every step"
            : a.Previous is null ? "state the sequence on [Sequential] as InputShape = new[] { timesteps, features }"
            : "pass it a sequence: ReturnSequences = true on the recurrent layer below, or [Reshape(timesteps, features)]";
        a.ReportAt(DiagnosticDescriptors.NeedsSequence, a.Syntax?.GetLocation(), null, a.Label, a.Producer, input, hint);
        return false;
    }

    public override LayerSize Infer(Shape input)
    {
        long features = input.Dims[1], width = (long)Gates * Units;
        return new(ReturnSequences ? Shape.Of(input.Dims[0], Units) : Shape.Of(Units), features * width + (long)Units * width + BiasLength);
    }

    public override string ParameterBreakdown(Shape input, long parameters) => Cell switch
    {
        Cell.Gru => $"3 gates x ({Count(input.Dims[1])} features + {Count(Units)} units + 2 biases) x {Count(Units)} units = {Count(parameters)}",
        Cell.Lstm => $"4 gates x ({Count(input.Dims[1])} features + {Count(Units)} units + 1 bias) x {Count(Units)} units = {Count(parameters)}",
        _ => $"({Count(input.Dims[1])} features + {Count(Units)} units + 1 bias) x {Count(Units)} units = {Count(parameters)}",
    };

    public override string Architecture =>
        $"{Kind.Name}({Int(Units)}, {Activation}{(Cell == Cell.SimpleRnn ? "" : $", {RecurrentActivation}")}{(ReturnSequences ? ", ReturnSequences" : "")}{(Cell == Cell.Lstm && !UnitForgetBias ? ", UnitForgetBias=False" : "")})";

    public override string Legend(LayerShape s) =>
        $"{s.Input} -> {s.Output}, {Activation.ToString().ToLowerInvariant()}{GateOrder}; kernel ({Features(s)}, {Width}), recurrent_kernel ({Units}, {Width}), bias ({(Cell == Cell.Gru ? $"2, {Width}" : $"{Width}")}); {Int(s.Parameters)} parameters";

    private int Width => Gates * Units;
    private static int Features(LayerShape s) => s.Input.Dims[1];
    private static int Steps(LayerShape s) => s.Input.Dims[0];

    private static string KernelOffset(LayerShape s) => $"{s.Prefix}Kernel";
    private static string RecurrentOffset(LayerShape s) => $"{s.Prefix}Recurrent";
    private static string BiasOffset(LayerShape s) => $"{s.Prefix}Bias";

    /// <summary>The layer's buffers (their fields are _name + index); which a layer has depends on its cell and place.</summary>
    public static IEnumerable<string> BufferNames(Cell cell) =>
        new[] { "xt", "gates", "h", "rec", "dgates", "dh", "dyt", "dxt" }
            .Concat(cell switch { Cell.Lstm => new[] { "c", "tc", "dc", "zeros" }, Cell.Gru => new[] { "rh", "drec", "direct" }, _ => new[] { "zeros" } });

    private static string Field(string name, LayerShape s) => $"_{name}{s.Index}";

    public override IEnumerable<Buffer> Buffers(LayerShape s)
    {
        int t = Steps(s), f = Features(s), u = Units, width = Width;
        string name = Comment(Name);
        yield return new Buffer(Field("xt", s), t * f, true, $"{name} input, time-major (T, B, {f})");
        yield return new Buffer(Field("gates", s), t * width, true, $"{name} gates of every step, time-major (T, B, {width})");
        yield return new Buffer(Field("h", s), (t + 1) * u, true, $"{name} state before and after every step (T + 1, B, {u})");
        yield return new Buffer(Field("rec", s), width, true, $"{name} recurrent product of the step (B, {width})");
        yield return new Buffer(Field("dgates", s), t * width, true, $"{name} gradient w.r.t. the gates' inputs (T, B, {width})");
        yield return new Buffer(Field("dh", s), u, true, $"{name} gradient w.r.t. the state of the step (B, {u})");
        if (ReturnSequences) yield return new Buffer(Field("dyt", s), t * u, true, $"{name} output gradient, time-major (T, B, {u})");
        if (s.Index > 1) yield return new Buffer(Field("dxt", s), t * f, true, $"{name} input gradient, time-major (T, B, {f})");
        switch (Cell)
        {
            case Cell.Lstm:
                yield return new Buffer(Field("c", s), (t + 1) * u, true, $"{name} cell state before and after every step (T + 1, B, {u})");
                yield return new Buffer(Field("tc", s), t * u, true, $"{name} activated cell state of every step (T, B, {u})");
                yield return new Buffer(Field("dc", s), u, true, $"{name} gradient w.r.t. the cell state of the step (B, {u})");
                break;
            case Cell.Gru:
                yield return new Buffer(Field("rh", s), t * u, true, $"{name} recurrent product's candidate block of every step (T, B, {u})");
                yield return new Buffer(Field("drec", s), t * width, true, $"{name} gradient w.r.t. the recurrent products (T, B, {width})");
                yield return new Buffer(Field("direct", s), u, true, $"{name} gradient w.r.t. the previous state that bypasses the recurrent kernel (B, {u})");
                break;
        }
        if (Cell != Cell.Gru) yield return new Buffer(Field("zeros", s), width, false, $"{name} zeros: the recurrent product has no bias of its own");
    }

    public override IEnumerable<SharedField> SharedFields =>
        [new SharedField("private int _step; // the timestep a recurrent layer's per-step task works on", "_step = 0;")];

    public override void EmitConstants(CodeWriter w, LayerShape s)
    {
        int f = Features(s), width = Width;
        w.Line($"private const int {KernelOffset(s)} = {s.ParameterOffset}; // ({f}, {width}) {Comment(Name)} kernel");
        w.Line($"private const int {RecurrentOffset(s)} = {s.ParameterOffset + f * width}; // ({Units}, {width}) {Comment(Name)} recurrent_kernel");
        w.Line($"private const int {BiasOffset(s)} = {s.ParameterOffset + f * width + Units * width}; // ({(Cell == Cell.Gru ? $"2, {width}" : $"{width}")}) {Comment(Name)} bias");
    }

    public override void EmitInitialize(CodeWriter w, LayerShape s)
    {
        int f = Features(s), width = Width;
        w.Line($"global::NnGen.Initializers.Initialize((global::NnGen.Initializer){Initializer}, Block(_parameters, {KernelOffset(s)}, {f * width}), {f}, {width}, ref rng);");
        w.Line($"global::NnGen.Initializers.Initialize((global::NnGen.Initializer){RecurrentInitializer}, Block(_parameters, {RecurrentOffset(s)}, {Units * width}), {Units}, {width}, ref rng);");
        w.Line($"Block(_parameters, {BiasOffset(s)}, {BiasLength}).Clear();");
        if (UnitForgetBias) w.Line($"Block(_parameters, {BiasOffset(s)} + {Units}, {Units}).Fill(1f); // the forget gate's bias (unit_forget_bias)");
    }

    private static string Param(string root, string offset) => $"ref {Unsafe}.Add(ref {root}, {offset})";
    private static string Step(string array, string perStep) => $"ref {Unsafe}.Add(ref {At(array)}, _step * _rows * {perStep})";

    public override IEnumerable<ParallelTask> Tasks(LayerContext c)
    {
        LayerShape s = c.Shape;
        int t = Steps(s), f = Features(s), u = Units, width = Width;
        string dense = $"{Kernels}.DenseKernels";
        int sequenceWork = (int)System.Math.Min((long)t * (f + u) * width, int.MaxValue), stepWork = (int)System.Math.Min((long)u * width, int.MaxValue);
        string recurrentBias = Cell == Cell.Gru ? Param("p", $"{BiasOffset(s)} + {width}") : $"ref {At(Field("zeros", s))}";
        string recurrentDelta = Field(Cell == Cell.Gru ? "drec" : "dgates", s);
        yield return new ParallelTask($"{s.Prefix}Input", Int(width), 32, sequenceWork, width > 32,
            $"{dense}.Forward(ref {At(Field("gates", s))}, ref {At(Field("xt", s))}, {Param("p", KernelOffset(s))}, {Param("p", BiasOffset(s))}, _rows * {t}, {f}, {width}, from, to, false);");
        yield return new ParallelTask($"{s.Prefix}Recurrent", Int(width), 32, stepWork, width > 32,
            $"{dense}.Forward(ref {At(Field("rec", s))}, {Step(Field("h", s), Int(u))}, {Param("p", RecurrentOffset(s))}, {recurrentBias}, _rows, {u}, {width}, from, to, false);");
        yield return new ParallelTask($"{s.Prefix}State", Int(u), 4, stepWork, u >= 8,
            $"{dense}.InputGradient(ref {At(Field("dh", s))}, {Step(recurrentDelta, Int(width))}, {Param("p", RecurrentOffset(s))}, _rows, {u}, {width}, from, to);");
        yield return new ParallelTask($"{s.Prefix}KernelGradient", Int(width), 32, sequenceWork, width > 32,
            $"{dense}.WeightGradient({Param("g", KernelOffset(s))}, ref {At(Field("dgates", s))}, ref {At(Field("xt", s))}, _rows * {t}, {f}, {width}, from, to);");
        yield return new ParallelTask($"{s.Prefix}RecurrentGradient", Int(width), 32, sequenceWork, width > 32,
            $"{dense}.WeightGradient({Param("g", RecurrentOffset(s))}, ref {At(recurrentDelta)}, ref {At(Field("h", s))}, _rows * {t}, {u}, {width}, from, to);");
        if (c.DX is not null)
            yield return new ParallelTask($"{s.Prefix}InputGradient", Int(f), 4, sequenceWork, f >= 8,
                $"{dense}.InputGradient(ref {At(Field("dxt", s))}, ref {At(Field("dgates", s))}, {Param("p", KernelOffset(s))}, _rows * {t}, {f}, {width}, from, to);");
    }

    private static ParallelTask Task(LayerContext c, string name) => c.Shape.Layer.Tasks(c).First(t => t.Name == c.Shape.Prefix + name);

    /// <summary><c>Block(_name, t * rows * perStep, rows * perStep)</c>: a time-major buffer's block for timestep <paramref name="step"/>.</summary>
    private static string StepBlock(LayerShape s, string name, string step, int perStep) => $"Block({Field(name, s)}, ({step}) * rows * {perStep}, rows * {perStep})";

    private string Activations => $"{ActivationName(Activation)}, {ActivationName(RecurrentActivation)}";

    public override void EmitForward(CodeWriter w, LayerContext c)
    {
        LayerShape s = c.Shape;
        int t = Steps(s), f = Features(s), u = Units, width = Width;
        string recurrent = $"{Kernels}.RecurrentKernels";
        w.Line($"{recurrent}.SwapAxes(Block({Field("xt", s)}, 0, rows * {t * f}), Block({c.X}, 0, rows * {t * f}), rows, {t}, {f}); // (B, T, F) to (T, B, F)");
        w.Line(c.Run(Task(c, "Input")));
        w.Line($"Block({Field("h", s)}, 0, rows * {u}).Clear();");
        if (Cell == Cell.Lstm) w.Line($"Block({Field("c", s)}, 0, rows * {u}).Clear();");
        w.Open($"for (int t = 0; t < {t}; t++)");
        w.Line("_step = t;");
        w.Line(c.Run(Task(c, "Recurrent")));
        string gates = StepBlock(s, "gates", "t", width), rec = $"Block({Field("rec", s)}, 0, rows * {width})";
        w.Line(Cell switch
        {
            Cell.Lstm => $"{recurrent}.LstmForward({gates}, {rec}, {StepBlock(s, "c", "t", u)}, {StepBlock(s, "c", "t + 1", u)}, {StepBlock(s, "tc", "t", u)}, {StepBlock(s, "h", "t + 1", u)}, rows, {u}, {Activations});",
            Cell.Gru => $"{recurrent}.GruForward({gates}, {rec}, {StepBlock(s, "rh", "t", u)}, {StepBlock(s, "h", "t", u)}, {StepBlock(s, "h", "t + 1", u)}, rows, {u}, {Activations});",
            _ => $"{recurrent}.SimpleRnnForward({StepBlock(s, "h", "t + 1", u)}, {gates}, {rec}, {ActivationName(Activation)});",
        });
        w.Close();
        w.Line(ReturnSequences
            ? $"{recurrent}.SwapAxes(Block({c.Y}, 0, rows * {t * u}), Block({Field("h", s)}, rows * {u}, rows * {t * u}), {t}, rows, {u}); // every step's state, back to (B, T, U)"
            : $"{StepBlock(s, "h", Int(t), u)}.CopyTo(Block({c.Y}, 0, rows * {u})); // the last step's state");
    }

    public override void EmitBackward(CodeWriter w, LayerContext c)
    {
        LayerShape s = c.Shape;
        int t = Steps(s), f = Features(s), u = Units, width = Width;
        string recurrent = $"{Kernels}.RecurrentKernels", dh = $"Block({Field("dh", s)}, 0, rows * {u})";
        if (ReturnSequences)
        {
            w.Line($"{recurrent}.SwapAxes(Block({Field("dyt", s)}, 0, rows * {t * u}), Block({c.DY}, 0, rows * {t * u}), rows, {t}, {u});");
            w.Line($"{dh}.Clear();");
        }
        else w.Line($"Block({c.DY}, 0, rows * {u}).CopyTo({dh}); // only the last step's state is an output");
        if (Cell == Cell.Lstm) w.Line($"Block({Field("dc", s)}, 0, rows * {u}).Clear();");
        w.Open($"for (int t = {t - 1}; t >= 0; t--) // back through time");
        w.Line("_step = t;");
        if (ReturnSequences) w.Line($"{recurrent}.Add({dh}, {dh}, {StepBlock(s, "dyt", "t", u)});");
        string gates = StepBlock(s, "gates", "t", width), dgates = StepBlock(s, "dgates", "t", width);
        w.Line(Cell switch
        {
            Cell.Lstm => $"{recurrent}.LstmBackward({dgates}, {dh}, Block({Field("dc", s)}, 0, rows * {u}), {gates}, {StepBlock(s, "c", "t", u)}, {StepBlock(s, "tc", "t", u)}, rows, {u}, {Activations});",
            Cell.Gru => $"{recurrent}.GruBackward({dgates}, {StepBlock(s, "drec", "t", width)}, Block({Field("direct", s)}, 0, rows * {u}), {dh}, {gates}, {StepBlock(s, "rh", "t", u)}, {StepBlock(s, "h", "t", u)}, rows, {u}, {Activations});",
            _ => $"{recurrent}.SimpleRnnBackward({dgates}, {dh}, {StepBlock(s, "h", "t + 1", u)}, {ActivationName(Activation)});",
        });
        w.Open("if (t > 0) // the gradient w.r.t. the previous step's state");
        w.Line(c.Run(Task(c, "State")));
        if (Cell == Cell.Gru) w.Line($"{recurrent}.Add({dh}, {dh}, Block({Field("direct", s)}, 0, rows * {u}));");
        w.Close();
        w.Close();
        w.Open($"if ({c.Trainable}) // a frozen layer's gradient stays zero");
        w.Line(c.Run(Task(c, "KernelGradient")));
        w.Line(c.Run(Task(c, "RecurrentGradient")));
        w.Line($"{Kernels}.ActivationKernels.ColumnSums(Block(_gradients, {BiasOffset(s)}, {width}), Block({Field("dgates", s)}, 0, rows * {t * width}), {width});");
        if (Cell == Cell.Gru)
            w.Line($"{Kernels}.ActivationKernels.ColumnSums(Block(_gradients, {BiasOffset(s)} + {width}, {width}), Block({Field("drec", s)}, 0, rows * {t * width}), {width});");
        w.Close();
        if (c.DX is null) return;
        w.Open($"if ({c.InputGradientNeeded})");
        w.Line(c.Run(Task(c, "InputGradient")));
        w.Line($"{recurrent}.SwapAxes(Block({c.DX}, 0, rows * {t * f}), Block({Field("dxt", s)}, 0, rows * {t * f}), {t}, rows, {f}); // (T, B, F) to (B, T, F)");
        w.Close();
    }
}
