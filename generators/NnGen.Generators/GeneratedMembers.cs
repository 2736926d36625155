using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NnGen.Generators.Layers;

namespace NnGen.Generators;

/// <summary>
/// The members <see cref="Emitter"/> writes into every network class, so that the analyzers can report a user
/// member that would collide with one (NNG0009) and recognise the generated entry points at call sites.
/// A test compares this list with the members of generated networks: change both together.
/// </summary>
internal static class GeneratedMembers
{
    /// <summary>A generated member: its name and, for methods and constructors, its parameter types (null for others).</summary>
    internal sealed record Member(string Name, string Kind, string[]? Parameters);

    public const string Constructor = ".ctor";
    private const string Span = "System.Span<float>";
    private const string ReadOnlySpan = "System.ReadOnlySpan<float>";

    public static readonly Member Predict = new("Predict", "method", [ReadOnlySpan, Span]);
    public static readonly Member ComputeGradients = new("ComputeGradients", "method", [ReadOnlySpan, ReadOnlySpan, "out float"]);
    public static readonly Member ComputeLoss = new("ComputeLoss", "method", [ReadOnlySpan, ReadOnlySpan, "out float"]);

    private static readonly Member[] Fixed =
    [
        new("InputSize", "constant", null),
        new("OutputSize", "constant", null),
        new("TargetSize", "constant", null),
        new("ParameterCount", "constant", null),
        new("NonTrainableCount", "constant", null),
        new("_parameters", "field", null),
        new("_gradients", "field", null),
        new("_state", "field", null),
        new("_trainable", "field", null),
        new("_lowestTrainable", "field", null),
        new("_optimizer", "field", null),
        new("_inUse", "field", null),
        new("_capacity", "field", null),
        new("_rows", "field", null),
        new("_x", "field", null),
        new("LayerInfos", "field", null),
        new("Parameters", "property", null),
        new(Constructor, "constructor", []),
        new(Constructor, "constructor", ["int"]),
        new("InitializeWeights", "method", ["int"]),
        ComputeGradients,
        ComputeLoss,
        Predict,
        new("CheckBatch", "method", [ReadOnlySpan, ReadOnlySpan]),
        new("Block", "method", ["float[]", "int", "int"]),
        new("EnsureCapacity", "method", ["int"]),
        new("Forward", "method", [ReadOnlySpan, "int", "bool"]),
        new("Penalty", "method", []),
        new("Backward", "method", [ReadOnlySpan, "int"]),
        new("Run", "method", ["int", "long"]),
    ];

    /// <summary>Every member generated for a network of <paramref name="denseLayers"/> Dense layers.</summary>
    public static IEnumerable<Member> For(int denseLayers) => For(Enumerable.Repeat(LayerKind.Dense, denseLayers).ToList());

    /// <summary>Every member generated for a network whose layers are of these kinds, explicit interface implementations aside.</summary>
    public static IEnumerable<Member> For(IReadOnlyList<LayerKind> layers)
    {
        var seen = new HashSet<string>();
        foreach (Member m in Fixed) yield return m;
        for (int i = 1; i <= layers.Count; i++)
        {
            yield return new($"_y{i}", "field", null);
            yield return new($"_dy{i}", "field", null);
            foreach (Member m in layers[i - 1].Members(i))
                if (seen.Add(m.Name)) yield return m; // a field shared by the layers of a kind is listed once
        }
    }

    /// <summary>The generated member that <paramref name="symbol"/>, a member of a network class of <paramref name="layers"/> layers, would collide with.</summary>
    public static Member? CollisionWith(ISymbol symbol, IReadOnlyList<LayerKind> layers)
    {
        string[]? parameters = Parameters(symbol);
        string name = symbol is IMethodSymbol { MethodKind: MethodKind.Constructor } ? Constructor : symbol.Name;
        return For(layers).FirstOrDefault(m => m.Name == name && (m.Parameters is null || parameters is null || SameSignature(m.Parameters, parameters)));
    }

    /// <summary>Whether <paramref name="method"/> is the generated <paramref name="member"/> (by name and parameters).</summary>
    public static bool Is(IMethodSymbol method, Member member) =>
        method.Name == member.Name && Parameters(method) is { } p && SameSignature(member.Parameters!, p);

    /// <summary>A method's or constructor's parameter types as C# writes them (<c>out float</c>); null for other members.</summary>
    public static string[]? Parameters(ISymbol symbol) =>
        symbol is IMethodSymbol { MethodKind: MethodKind.Ordinary or MethodKind.Constructor } method
            ? method.Parameters.Select(p => RefPrefix(p.RefKind) + p.Type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)).ToArray()
            : null;

    private static string RefPrefix(RefKind kind) => kind switch
    {
        RefKind.Ref => "ref ",
        RefKind.Out => "out ",
        RefKind.In => "in ",
        RefKind.RefReadOnlyParameter => "ref readonly ",
        _ => "",
    };

    // C# cannot overload on ref versus out versus in, so any by-reference modifier counts as the same.
    private static bool SameSignature(string[] a, string[] b) =>
        a.Length == b.Length && a.Zip(b, (x, y) => Normalize(x) == Normalize(y)).All(same => same);

    private static string Normalize(string parameter)
    {
        foreach (string prefix in new[] { "ref readonly ", "ref ", "out ", "in " })
            if (parameter.StartsWith(prefix, System.StringComparison.Ordinal)) return "&" + parameter.Substring(prefix.Length);
        return parameter;
    }

    /// <summary>
    /// Whether <paramref name="node"/> (a member's declaration) is inside a declaration NnGen generated, which carries
    /// <c>[GeneratedCode("NnGen", ...)]</c>. Analyzers see the generated members next to the user's.
    /// </summary>
    public static bool InGeneratedDeclaration(SyntaxNode node) =>
        node.Parent?.FirstAncestorOrSelf<TypeDeclarationSyntax>() is { } type &&
        type.AttributeLists.SelectMany(l => l.Attributes).Any(a =>
            a.Name.ToString().EndsWith("GeneratedCode", System.StringComparison.Ordinal) &&
            a.ArgumentList?.Arguments.FirstOrDefault()?.Expression is LiteralExpressionSyntax { Token.ValueText: "NnGen" });
}
