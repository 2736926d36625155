using System.Linq;
using Microsoft.CodeAnalysis;
using NnGen.Generators;
using NnGen.Generators.Layers;
using NnGen.Tests.Generator;

namespace NnGen.Tests.Analyzers;

/// <summary>
/// GeneratedMembers (what NNG0009 protects, and how the call-site analyzer recognises entry points) lists exactly the
/// members the emitter writes. When the emitter changes, this fails until the list follows.
/// </summary>
public class GeneratedMembersTests
{
    [Theory]
    [InlineData(Declarations.MnistMlp, Declarations.MnistMlpType, "DDD")]
    [InlineData(Declarations.SpamFilter, "Models+SpamFilter", "DD")]
    [InlineData("using NnGen;\nnamespace Samples;\n[Sequential(Input = 3, Loss = Loss.MeanSquaredError)]\n[Dense(1)]\npublic partial class One;", "Samples.One", "D")]
    [InlineData("using NnGen;\nnamespace Samples;\n[Sequential(Input = 3)]\n[Dense(8)]\n[BatchNormalization]\n[Activation(Activation.Relu)]\n[Dropout(0.5)]\n[Dense(2, Activation.Softmax, L2 = 0.1)]\npublic partial class Mixed;", "Samples.Mixed", "DBAXD")]
    public void TheListMatchesTheGeneratedClass(string declaration, string typeName, string kinds)
    {
        var layers = kinds.Select(k => k switch { 'D' => LayerKind.Dense, 'B' => LayerKind.BatchNormalization, 'A' => LayerKind.Activation, _ => LayerKind.Dropout }).ToList();
        GeneratorRun run = GeneratorHarness.Run(declaration).AssertNoGeneratorFailure().AssertCompilesCleanly();
        INamedTypeSymbol type = run.OutputCompilation.GetTypeByMetadataName(typeName)!;
        SyntaxTree generated = run.OutputCompilation.SyntaxTrees.Last();

        var actual = type.GetMembers()
            .Where(m => !m.IsImplicitlyDeclared && m.Locations.Any(l => l.SourceTree == generated))
            .Where(m => m is not IMethodSymbol { MethodKind: not (MethodKind.Ordinary or MethodKind.Constructor) })
            .Where(m => m is not IPropertySymbol { ExplicitInterfaceImplementations.Length: > 0 })
            .Select(m => Describe(m.Name == ".ctor" ? GeneratedMembers.Constructor : m.Name, GeneratedMembers.Parameters(m)))
            .Order();
        var listed = GeneratedMembers.For(layers).Select(m => Describe(m.Name, m.Parameters)).Order();
        Assert.Equal(listed, actual);

        // Every generated member is recognised as generated, so the analyzers never report one as a collision.
        Assert.All(type.GetMembers().Where(m => m.Locations.Any(l => l.SourceTree == generated)).SelectMany(m => m.DeclaringSyntaxReferences),
            r => Assert.True(r.SyntaxTree != generated || GeneratedMembers.InGeneratedDeclaration(r.GetSyntax()), r.GetSyntax().ToString()));
    }

    private static string Describe(string name, string[]? parameters) => parameters is null ? name : $"{name}({string.Join(", ", parameters)})";

    [Fact]
    public void EntryPointsAreRecognisedBySignature()
    {
        GeneratorRun run = GeneratorHarness.Run(Declarations.MnistMlp).AssertNoGeneratorFailure();
        INamedTypeSymbol type = run.OutputCompilation.GetTypeByMetadataName(Declarations.MnistMlpType)!;
        IMethodSymbol Method(string name) => type.GetMembers(name).OfType<IMethodSymbol>().Single();
        Assert.True(GeneratedMembers.Is(Method("Predict"), GeneratedMembers.Predict));
        Assert.True(GeneratedMembers.Is(Method("ComputeGradients"), GeneratedMembers.ComputeGradients));
        Assert.True(GeneratedMembers.Is(Method("ComputeLoss"), GeneratedMembers.ComputeLoss));
        Assert.False(GeneratedMembers.Is(Method("ComputeLoss"), GeneratedMembers.ComputeGradients));
    }
}
