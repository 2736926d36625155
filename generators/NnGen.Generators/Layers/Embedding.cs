using System.Collections.Generic;
using NnGen.Generators.Model;
using static NnGen.Generators.CodeWriter;

namespace NnGen.Generators.Layers;

/// <summary>
/// <c>[Embedding(inputDim, outputDim, Name, Trainable)]</c>: the first layer of a network over token indices, (T) -> (T, outputDim),
/// each index replaced by its row of the table (inputDim, outputDim). Runtime: NnGen.Kernels.EmbeddingKernels, which
/// rejects an index that is not a whole number in [0, inputDim).
/// </summary>
internal sealed class EmbeddingKind : LayerKind
{
    public override string Name => "Embedding";
    public override string DefaultName => "embedding";
    public override int Arity => 2;

    public override LayerSpec Parse(LayerArguments a) => new EmbeddingSpec(a.Name, a.Size("InputDim", 0), a.Size("OutputDim", 1));

    public override IEnumerable<GeneratedMembers.Member> Members(int index)
    {
        yield return new($"Embedding{index}Embeddings", "constant", null);
    }
}

internal sealed record EmbeddingSpec(string Name, int InputDim, int OutputDim) : LayerSpec(Name)
{
    public override LayerKind Kind => LayerKind.Embedding;
    public override bool SizesDeclared => InputDim > 0 && OutputDim > 0;

    public override bool Accepts(Shape input, LayerArguments a)
    {
        if (a.Index == 1 && input.Rank == 1) return true;
        a.ReportAt(DiagnosticDescriptors.EmbeddingNotOnIndices, a.Syntax?.GetLocation(), null, a.Label, a.Producer, input);
        return false;
    }

    public override LayerSize Infer(Shape input) => new(Shape.Of(input.Dims[0], OutputDim), (long)InputDim * OutputDim);

    public override string ParameterBreakdown(Shape input, long parameters) => $"{Count(InputDim)} tokens x {Count(OutputDim)} = {Count(parameters)}";

    public override string Architecture => $"Embedding({Int(InputDim)}, {Int(OutputDim)})";

    public override string Legend(LayerShape s) => $"{s.Input} indices -> {s.Output}; embeddings ({InputDim}, {OutputDim}); {Int(s.Parameters)} parameters";

    private static string Offset(LayerShape s) => $"{s.Prefix}Embeddings";
    private int Length => InputDim * OutputDim;

    public override void EmitConstants(CodeWriter w, LayerShape s) =>
        w.Line($"private const int {Offset(s)} = {s.ParameterOffset}; // ({InputDim}, {OutputDim}) {Comment(Name)} embeddings");

    public override void EmitInitialize(CodeWriter w, LayerShape s) =>
        w.Line($"global::NnGen.Initializers.Uniform(Block(_parameters, {Offset(s)}, {Length}), 0.05f, ref rng); // Keras's RandomUniform(-0.05, 0.05)");

    private string Sizes(LayerShape s) => $"{s.Input.Dims[0]}, {InputDim}, {OutputDim}, {Literal(Name)}";

    public override void EmitForward(CodeWriter w, LayerContext c) =>
        w.Line($"{Kernels}.EmbeddingKernels.Forward({LayerContext.Rows(c.Y, c.Shape.Outputs)}, {LayerContext.Rows(c.X, c.Shape.Inputs)}, Block(_parameters, {Offset(c.Shape)}, {Length}), {Sizes(c.Shape)});");

    public override void EmitBackward(CodeWriter w, LayerContext c) =>
        w.Line($"if ({c.Trainable}) {Kernels}.EmbeddingKernels.Backward(Block(_gradients, {Offset(c.Shape)}, {Length}), {LayerContext.Rows(c.DY, c.Shape.Outputs)}, {LayerContext.Rows(c.X, c.Shape.Inputs)}, {Sizes(c.Shape)});");
}
