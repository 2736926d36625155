using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NnGen.Tests.Analyzers;

namespace NnGen.Tests.Generator;

/// <summary>
/// Unusual but legal declarations: either NnGen reports an NNG error, or the generated code compiles cleanly.
/// Generated code that does not compile is always a generator bug. Skipped tests are known generator bugs:
/// remove the Skip once fixed.
/// </summary>
public class EdgeCaseTests
{
    private const string Usings = "using NnGen;\nusing static NnGen.Activation;\n\n";

    private static GeneratorRun AssertDiagnosedOrCompiles(string source) => AssertDiagnosedOrCompilesWith(source).Generator;

    private static AnalysisRun AssertDiagnosedOrCompilesWith(string source)
    {
        AnalysisRun run = AnalyzerRunner.Run(Usings + source);
        if (run.Nng.Any(d => d.Severity == DiagnosticSeverity.Error))
            Assert.Empty(run.Generator.GeneratedSources);
        else
            run.Generator.AssertCompilesCleanly();
        return run;
    }

    [Fact]
    public void NamespaceWithAnEscapedKeyword()
    {
        // Regression: the hint name used to keep the '@', which AddSource rejects (generator crash, CS8785).
        GeneratorRun run = AssertDiagnosedOrCompiles("namespace Samples.@class;\n[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic partial class K;");
        Assert.Equal("Samples.class.K.g.cs", Assert.Single(run.GeneratedSources).HintName);
        using LoadedAssembly loaded = GeneratorHarness.Load(run.OutputCompilation);
        Assert.Equal(2, loaded.CreateNetwork("Samples.class.K").OutputSize);
    }

    [Fact]
    public void RecordNetworkWorks()
    {
        GeneratorRun run = AssertDiagnosedOrCompiles("namespace Samples;\n[Sequential(Input = 4)]\n[Dense(3, Softmax)]\npublic sealed partial record RecordNet;");
        Assert.Contains("partial record RecordNet", run.SingleSource);
        using LoadedAssembly loaded = GeneratorHarness.Load(run.OutputCompilation);
        INetwork network = loaded.CreateNetwork("Samples.RecordNet");
        float[] outputs = new float[3];
        network.Predict([1f, 2f, 3f, 4f], outputs);
        Assert.Equal(1.0, outputs.Sum(p => (double)p), 4);
    }

    [Theory]
    [InlineData("public partial struct S { [Sequential(Input = 4)][Dense(2, Softmax)] public partial class N; }")]
    [InlineData("public partial record R { [Sequential(Input = 4)][Dense(2, Softmax)] public partial class N; }")]
    [InlineData("public partial record struct RS { [Sequential(Input = 4)][Dense(2, Softmax)] public partial class N; }")]
    [InlineData("public partial interface I { [Sequential(Input = 4)][Dense(2, Softmax)] public partial class N; }")]
    [InlineData("static partial class A { partial class B { [Sequential(Input = 4)][Dense(2, Softmax)] internal partial class N; } }")]
    [InlineData("[Sequential(Input = 4)][Dense(2, Softmax)] public abstract partial class N;")]
    [InlineData("[Sequential(Input = 4)][Dense(2, Softmax)] internal sealed partial class N : System.IDisposable { public void Dispose() { } }")]
    [InlineData("[Sequential(Input = 4)][Dense(2, Softmax)] file partial class N;")]
    [InlineData("[Sequential(Input = 4)][Dense(2, Softmax)] public partial class Optimizer;")] // shadows NnGen.Optimizer in its own attributes
    [InlineData("[Sequential(Input = 4, Name = \"a \\\"quoted\\\" \\\\ name\\n\")][Dense(2, Softmax, Name = \"out \\\"x\\\" \\\\\")] public partial class N;")]
    [InlineData("[Sequential(Input = 4)][Dense(units: 2, activation: Softmax)] public partial class N;")]
    [InlineData("[Sequential(Input = 1)][Dense(1, Linear)] public partial class N;")] // categorical cross-entropy (the default) with one unit: NNG0102
    [InlineData("[Sequential(Input = 1, Loss = Loss.MeanSquaredError)][Dense(1)] public partial class N;")]
    [InlineData("[Sequential(Input = 257, Loss = Loss.MeanSquaredError)][Dense(33, Relu)][Dense(17, Relu)][Dense(9, Tanh)][Dense(8, Sigmoid)][Dense(65)] public partial class N;")]
    // No layer with a parallel section (the robustness test's find: an empty switch and unused locals warned in the generated file).
    [InlineData("[Sequential(InputShape = new[] { 4, 4, 2 })][GlobalAveragePooling2D][Activation(Softmax)] public partial class N;")]
    [InlineData("[Sequential(Input = 6, Loss = Loss.MeanSquaredError)][BatchNormalization][Dropout(0.1)][Activation(Tanh)] public partial class N;")]
    [InlineData("[Sequential(InputShape = new[] { 5, 5, 1 })][MaxPooling2D(3, Strides = 1, Padding = Padding.Same)][AveragePooling2D][Flatten][Reshape(2, 2)][Flatten][Activation(Softmax)] public partial class N;")]
    public void UnusualDeclarationsAreDiagnosedOrCompile(string declaration) =>
        AssertDiagnosedOrCompiles("namespace Samples;\n" + declaration);

    [Fact]
    public void NamedArgumentsInAnyOrderAreLocatedPrecisely()
    {
        const string source = "namespace Samples;\n[Sequential(Input = 4)]\n[Dense(activation: Softmax, units: -2)]\npublic partial class N;";
        AnalysisRun run = AssertDiagnosedOrCompilesWith(source);
        Diagnostic d = Assert.Single(run.Nng);
        Assert.Equal("NNG0005", d.Id);
        Assert.Equal("-2", GeneratorHarness.SpanText(d, run.Generator.InputCompilation));
    }

    [Theory]
    [InlineData("[Sequential(Input = 4)][Dense] public partial class N;")]
    [InlineData("[Sequential(Input = 4)][Dense(\"two\")] public partial class N;")]
    [InlineData("[Sequential(Input = \"4\")][Dense(2, Softmax)] public partial class N;")]
    [InlineData("[Sequential(InputShape = new[] { \"4\", \"4\" })][Flatten][Dense(2, Softmax)] public partial class N;")]
    [InlineData("[Sequential(InputShape = 4)][Flatten][Dense(2, Softmax)] public partial class N;")]
    [InlineData("[Sequential(InputShape = new[] { 8, 8, 1 })][Conv2D(4, \"3\")][Flatten][Dense(2, Softmax)] public partial class N;")]
    [InlineData("[Sequential(Input = 16)][Reshape(4, \"4\")][Flatten][Dense(2, Softmax)] public partial class N;")]
    [InlineData("[Sequential(InputShape = new[] { 8, 8, 1 })][MaxPooling2D(Strides = \"2\")][Flatten][Dense(2, Softmax)] public partial class N;")]
    [InlineData("[Sequential(Input = 4, Loss = 3)][Dense(2, Softmax)] public partial class N;")]
    [InlineData("[Sequential(Input = 4)][Dense(2, Softmax)] public partial class N")]
    [InlineData("[Sequential(Input = 4)][Dense(2, Softmax)] public partial class N : N;")]
    public void CompileErrorsInTheDeclarationDoNotCrashTheGenerator(string declaration)
    {
        AnalysisRun run = AnalyzerRunner.Run(Usings + "namespace Samples;\n" + declaration);
        Assert.Contains(run.Generator.OutputDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.DoesNotContain(run.Nng, d => d.Id == "NNG0005"); // a wrong type is the compiler's to report, not a zero size
    }

    [Fact]
    public void DocumentedNetworkHasNoDocumentationWarnings()
    {
        // As with GenerateDocumentationFile: the generated public members carry their own doc comments.
        var parse = GeneratorHarness.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);
        const string source = "using NnGen;\nnamespace Samples;\n/// <summary>Documented.</summary>\n[Sequential(Input = 4)]\n[Dense(8, Activation.Relu)]\n[Dense(2, Activation.Softmax)]\npublic partial class Documented;";
        GeneratorHarness.RunWith(parse, source).AssertNoGeneratorFailure().AssertCompilesCleanly();
    }

    // ---- Known generator bugs (see the report); each test states the expected behaviour ------------------

    [Fact]
    public void TypeNamedWithAnEscapedKeyword() =>
        AssertDiagnosedOrCompiles("namespace Samples;\n[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic partial class @event;");

    [Theory]
    [InlineData("a\\nb")]
    [InlineData("a\\rb")]
    [InlineData("a\\u2028b")]
    [InlineData("a\\u0085b")]
    public void LayerNameWithALineBreak(string escapedName) =>
        AssertDiagnosedOrCompiles($"namespace Samples;\n[Sequential(Input = 4)]\n[Dense(8, Relu, Name = \"{escapedName}\")]\n[Dense(2, Softmax)]\npublic partial class N;");

    [Fact]
    public void ModelNameWithAUnicodeLineSeparator() =>
        AssertDiagnosedOrCompiles("namespace Samples;\n[Sequential(Input = 4, Name = \"a\\u2028b\")]\n[Dense(2, Softmax)]\npublic partial class N;");

    [Fact]
    public void LayerNameWithXmlCharactersUnderDocumentationMode()
    {
        var parse = GeneratorHarness.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);
        const string source = "using NnGen;\nnamespace Samples;\n/// <summary>Documented.</summary>\n[Sequential(Input = 4)]\n[Dense(8, Activation.Relu, Name = \"<b>&\")]\n[Dense(2, Activation.Softmax)]\npublic partial class Documented;";
        GeneratorHarness.RunWith(parse, source).AssertNoGeneratorFailure().AssertCompilesCleanly();
    }

    [Fact]
    public void StaticNetworkClass() =>
        AssertDiagnosedOrCompiles("namespace Samples;\n[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic static partial class N;");

    [Fact]
    public void ParameterCountOverflowIsDiagnosed()
    {
        AnalysisRun run = AnalyzerRunner.Run(Usings + "namespace Samples;\n[Sequential(Input = 100000)]\n[Dense(100000, Relu)]\n[Dense(2, Softmax)]\npublic partial class Huge;");
        Assert.Contains(run.Nng, d => d.Id == "NNG0013");
        Assert.Empty(run.Generator.GeneratedSources);
    }

    [Fact]
    public void SequentialOnTwoPartialDeclarations()
    {
        GeneratorRun run = GeneratorHarness.Run(Usings + "namespace Samples;\n[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic partial class Dup;\n[Sequential(Input = 5)]\npublic partial class Dup;");
        run.AssertNoGeneratorFailure();
    }
}
