using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using NnGen.Tests.Analyzers;

namespace NnGen.Tests.Generator;

/// <summary>
/// The generated code compiles in any project the analyzers accept: from C# 8 up, and whatever names the user's
/// class, its enclosing types and namespaces, or the project's global usings declare.
/// </summary>
public class PortabilityTests
{
    /// <summary>Every layer kind, regularisers, an initialiser, AdamW and clipping: the emitter's paths the golden networks miss.</summary>
    private const string EveryLayerKind = """
        using NnGen;
        using static NnGen.Activation;

        namespace Samples.Layers;

        [Sequential(Input = 20, Loss = Loss.MeanSquaredError, Optimizer = Optimizer.AdamW, GlobalClipNorm = 5, Seed = 3)]
        [Dense(64, Relu, L1 = 0.01, L2 = 0.01, KernelInitializer = Initializer.HeNormal)]
        [BatchNormalization]
        [Activation(Elu)]
        [Dropout(0.25)]
        [Dense(12, LeakyRelu)]
        [Dense(3)]
        public partial class EveryLayer;
        """;

    public static TheoryData<string> Networks => new()
    {
        nameof(Declarations.MnistMlp), nameof(Declarations.OddNet), nameof(Declarations.SpamFilter), nameof(Declarations.Regressor), nameof(EveryLayerKind),
    };

    private static string Declaration(string name) => name switch
    {
        nameof(Declarations.MnistMlp) => Declarations.MnistMlp,
        nameof(Declarations.OddNet) => Declarations.OddNet,
        nameof(Declarations.SpamFilter) => Declarations.SpamFilter,
        nameof(Declarations.Regressor) => Declarations.Regressor,
        _ => EveryLayerKind,
    };

    public static TheoryData<string, LanguageVersion> NetworksAndLanguageVersions()
    {
        var data = new TheoryData<string, LanguageVersion>();
        foreach (string network in Networks)
            foreach (LanguageVersion version in new[] { LanguageVersion.CSharp8, LanguageVersion.CSharp9, LanguageVersion.CSharp10, LanguageVersion.CSharp11, LanguageVersion.CSharp12, LanguageVersion.Latest })
                data.Add(network, version);
        return data;
    }

    [Theory]
    [MemberData(nameof(NetworksAndLanguageVersions))]
    public void CompilesCleanlyOnEveryLanguageVersionFromCSharp8(string network, LanguageVersion version)
    {
        var options = GeneratorHarness.ParseOptions.WithLanguageVersion(version);
        AssertGeneratesAndCompilesCleanly(options, CSharp8(Declaration(network)));
    }

    /// <summary>Where a user's declaration of a name can capture the generated code's use of it.</summary>
    public enum Scope { Field, Property, Method, NestedType, EnclosingScopeType, Namespace, GlobalUsingAlias }

    public static TheoryData<string, Scope> NetworksAndScopes()
    {
        var data = new TheoryData<string, Scope>();
        foreach (string network in Networks)
            foreach (Scope scope in System.Enum.GetValues<Scope>())
            {
                // SpamFilter's namespace is the global one, where namespaces named System or NnGen merge with the real ones.
                if (scope != Scope.Namespace || network != nameof(Declarations.SpamFilter)) data.Add(network, scope);
            }
        return data;
    }

    /// <summary>
    /// Declares, in one scope, something named like every identifier the generated file uses (types, namespaces,
    /// methods, locals) and the contextual keywords (var, nameof, nuint, nint): the generated code must not bind to any.
    /// Names the generated class declares itself are left out (NNG0009 reports those), and so are the names the
    /// declaration uses in its own attributes (Loss, Relu, ...), which the user's member would capture in the user's code.
    /// </summary>
    [Theory]
    [MemberData(nameof(NetworksAndScopes))]
    public void NamesTheUserDeclaresCannotCaptureTheGeneratedCode(string network, Scope scope)
    {
        string declaration = Declaration(network);
        GeneratorRun plain = AssertGeneratesAndCompilesCleanly(GeneratorHarness.ParseOptions, declaration);
        SyntaxTree generated = plain.OutputCompilation.SyntaxTrees.Last();
        SyntaxTree user = GeneratorHarness.Parse(declaration, "File0.cs");
        ClassDeclarationSyntax networkClass = user.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>()
            .Single(c => c.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString() == "Sequential"));

        var names = Identifiers(generated.GetRoot())
            .Concat(["var", "nameof", "nuint", "nint", "dynamic", "Vector128", "Vector256", "Vector512", "Unsafe", "MemoryMarshal", "Simd", "System", "NnGen", "Math", "MathF", "Span", "ReadOnlySpan", "Array"])
            .Except(DeclaredMembers(generated.GetRoot()))
            .Except(Identifiers(user.GetRoot()))
            .Distinct().OrderBy(n => n, System.StringComparer.Ordinal).ToList();
        Assert.Contains("Unsafe", names);

        string ns = EnclosingNamespace(networkClass);
        string[] sources = scope switch
        {
            Scope.Field => [AddToClass(user, networkClass, names.Select(n => $"public static int {n} = 1;"))],
            Scope.Property => [AddToClass(user, networkClass, names.Select(n => $"public int {n} => 1;"))],
            Scope.Method => [AddToClass(user, networkClass, names.Select(n => $"public void {n}() {{ }}"))],
            Scope.NestedType => [AddToClass(user, networkClass, names.Select(n => $"public sealed class {n} {{ }}"))],
            Scope.EnclosingScopeType => [AddBeside(user, networkClass, names.Select(n => $"public sealed class {n} {{ }}"))],
            Scope.Namespace => [declaration, string.Concat(names.Select(n => $"namespace {ns}.{n} {{ internal static class Placeholder {{ }} }}\n"))],
            _ => [declaration, string.Concat(names.Select(n => $"global using {n} = global::System.Object;\n"))],
        };

        AssertGeneratesAndCompilesCleanly(GeneratorHarness.ParseOptions,
            sources.Select(s => "#pragma warning disable CS8981 // lower-case type names, on purpose\n" + s).ToArray());
    }

    /// <summary>No NNG error, one generated file, and no compiler warning or error anywhere in the output.</summary>
    private static GeneratorRun AssertGeneratesAndCompilesCleanly(CSharpParseOptions options, params string[] sources)
    {
        GeneratorRun run = GeneratorHarness.RunWith(options, sources).AssertNoGeneratorFailure();
        var errors = run.OutputCompilation.WithAnalyzers(NnGenTest.Analyzers).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult()
            .Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "The analyzers report errors:\n" + GeneratorHarness.Format(errors));
        Assert.Single(run.GeneratedSources);
        return run.AssertCompilesCleanly();
    }

    /// <summary>Every identifier token in <paramref name="root"/>.</summary>
    private static IEnumerable<string> Identifiers(SyntaxNode root) =>
        root.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText).Distinct();

    /// <summary>The names of the members the generated file declares (a user member of one of those is NNG0009).</summary>
    private static IEnumerable<string> DeclaredMembers(SyntaxNode root) =>
        root.DescendantNodes().OfType<MemberDeclarationSyntax>().SelectMany(m => m switch
        {
            BaseFieldDeclarationSyntax f => f.Declaration.Variables.Select(v => v.Identifier.ValueText),
            MethodDeclarationSyntax method => [method.Identifier.ValueText],
            PropertyDeclarationSyntax property => [property.Identifier.ValueText],
            _ => [],
        });

    private static string EnclosingNamespace(SyntaxNode node) =>
        node.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().FirstOrDefault()?.Name.ToString() ?? "";

    private static string AddToClass(SyntaxTree tree, ClassDeclarationSyntax networkClass, IEnumerable<string> members)
    {
        ClassDeclarationSyntax withMembers = networkClass
            .WithSemicolonToken(default)
            .WithOpenBraceToken(SyntaxFactory.Token(SyntaxKind.OpenBraceToken))
            .WithCloseBraceToken(SyntaxFactory.Token(SyntaxKind.CloseBraceToken))
            .AddMembers(members.Select(m => SyntaxFactory.ParseMemberDeclaration(m)!).ToArray());
        return tree.GetRoot().ReplaceNode(networkClass, withMembers).NormalizeWhitespace().ToFullString();
    }

    /// <summary>Types beside the network: in its containing type, or in its namespace (the global one, for SpamFilter's Models).</summary>
    private static string AddBeside(SyntaxTree tree, ClassDeclarationSyntax networkClass, IEnumerable<string> types)
    {
        MemberDeclarationSyntax[] added = types.Select(t => SyntaxFactory.ParseMemberDeclaration(t)!).ToArray();
        SyntaxNode root = tree.GetRoot();
        root = networkClass.Parent switch
        {
            TypeDeclarationSyntax outer => root.ReplaceNode(outer, outer.AddMembers(added)),
            BaseNamespaceDeclarationSyntax ns => root.ReplaceNode(ns, ns.AddMembers(added)),
            _ => ((CompilationUnitSyntax)root).AddMembers(added),
        };
        return root.NormalizeWhitespace().ToFullString();
    }

    /// <summary>A declaration rewritten in C# 8: a block-bodied namespace and type bodies in braces.</summary>
    internal static string CSharp8(string source)
    {
        Match fileScoped = Regex.Match(source, @"^namespace ([\w.]+);[ \t]*$", RegexOptions.Multiline);
        if (fileScoped.Success)
            source = source.Substring(0, fileScoped.Index) + $"namespace {fileScoped.Groups[1].Value}\n{{" + source.Substring(fileScoped.Index + fileScoped.Length) + "\n}\n";
        return Regex.Replace(source, @"(partial (?:class|struct|record) \w+);", "$1 { }");
    }
}
