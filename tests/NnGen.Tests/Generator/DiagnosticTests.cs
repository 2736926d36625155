using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using NnGen.Generators;
using NnGen.Generators.Model;
using NnGen.Tests.Analyzers;

namespace NnGen.Tests.Generator;

/// <summary>
/// Malformed declarations produce precise NNG diagnostics (from the analyzers, which run the generator's parser),
/// never a crash, and generate nothing. These tests check the words; Analyzers/CatalogueTests checks every ID's span.
/// </summary>
public class DiagnosticTests
{
    private const string Usings = NnGenTest.Usings;

    private static AnalysisRun Analyze(string declaration) => AnalyzerRunner.Run(Usings + declaration);

    /// <summary>Asserts that <paramref name="declaration"/> reports <paramref name="id"/> once, with every fragment in its message.</summary>
    private static Diagnostic Expect(string declaration, string id, params string[] fragments)
    {
        AnalysisRun run = Analyze(declaration);
        var matching = run.Nng.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count == 1, $"Expected one {id}, got:\n{GeneratorHarness.Format(run.Nng)}");
        Diagnostic diagnostic = matching[0];
        Assert.Equal(DiagnosticDescriptors.ById(id).DefaultSeverity, diagnostic.Severity);
        string message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
        foreach (string fragment in fragments) Assert.Contains(fragment, message);
        Assert.True(diagnostic.Location.IsInSource, $"{id} is not located in source: {diagnostic.Location}");
        if (diagnostic.Severity == DiagnosticSeverity.Error)
            Assert.Empty(run.Generator.GeneratedSources); // an erroneous declaration generates nothing
        Assert.Empty(run.Generator.GeneratorDiagnostics); // the generator leaves user-facing diagnostics to the analyzers
        return diagnostic;
    }

    private static string SpanText(Diagnostic diagnostic) => diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan);

    [Fact]
    public void NegativeUnitsPointAtTheArgument()
    {
        const string source = "[Sequential(Input = 4)]\n[Dense(-5, Relu)]\n[Dense(2, Softmax)]\npublic partial class Net;";
        Diagnostic d = Expect(source, "NNG0005", "Units", "-5", "Dense layer 1");
        Assert.Equal("-5", SpanText(d));
    }

    [Fact]
    public void UnknownActivation()
    {
        const string source = "[Sequential(Input = 4)]\n[Dense(8, (Activation)42)]\n[Dense(2, Softmax)]\npublic partial class Net;";
        Diagnostic d = Expect(source, "NNG0006", "42", "Activation", "Dense layer 1");
        Assert.Equal("(Activation)42", SpanText(d));
    }

    [Fact]
    public void UnknownLossAndOptimizer()
    {
        Expect("[Sequential(Input = 4, Loss = (Loss)9)]\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0006", "Loss", "9");
        Expect("[Sequential(Input = 4, Optimizer = (Optimizer)(-1))]\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0006", "Optimizer", "-1");
    }

    [Fact]
    public void NotPartial()
    {
        const string source = "[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic class Net;";
        Diagnostic d = Expect(source, "NNG0001", "'Net'", "partial");
        Assert.Equal("Net", SpanText(d));
    }

    [Fact]
    public void NoLayers() =>
        Expect("[Sequential(Input = 4)]\npublic partial class Net;", "NNG0003", "'Net'");

    [Fact]
    public void MissingInput() =>
        Expect("[Sequential(Loss = Loss.CategoricalCrossEntropy)]\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0002", "'Net'", "Input");

    [Fact]
    public void ZeroInput()
    {
        const string source = "[Sequential(Input = 0)]\n[Dense(2, Softmax)]\npublic partial class Net;";
        Diagnostic d = Expect(source, "NNG0005", "Input", "'Net'", "is 0");
        Assert.Equal("0", SpanText(d));
    }

    [Fact]
    public void LayersSplitOverTwoDeclarations() =>
        Expect("[Sequential(Input = 4)]\n[Dense(8, Relu)]\npublic partial class Net;\n\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0004", "'Net'");

    [Fact]
    public void SequentialOnOneDeclarationAndAllLayersOnAnotherIsAccepted()
    {
        // Not split: every layer is on one declaration (the other only carries [Sequential]).
        AnalysisRun run = Analyze("[Sequential(Input = 4)]\npublic partial class Net;\n\n[Dense(8, Relu)]\n[Dense(2, Softmax)]\npublic partial class Net;");
        Assert.Empty(run.Nng);
        run.Generator.AssertCompilesCleanly();
    }

    [Fact]
    public void GenericClass() =>
        Expect("[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic partial class Net<T>;", "NNG0007", "'Net'");

    [Fact]
    public void NestedInGenericClass() =>
        Expect("public partial class Outer<T>\n{\n    [Sequential(Input = 4)]\n    [Dense(2, Softmax)]\n    public partial class Net;\n}", "NNG0007", "'Net'");

    [Fact]
    public void NestedInNonPartialType() =>
        Expect("public class Outer\n{\n    [Sequential(Input = 4)]\n    [Dense(2, Softmax)]\n    public partial class Net;\n}", "NNG0008", "'Net'", "'Outer'");

    [Fact]
    public void DuplicateLayerNames()
    {
        const string source = "[Sequential(Input = 4)]\n[Dense(8, Relu, Name = \"a\")]\n[Dense(2, Softmax, Name = \"a\")]\npublic partial class Net;";
        Diagnostic d = Expect(source, "NNG0010", "Dense layer 2 is named 'a', like layer 1");
        Assert.Equal("\"a\"", SpanText(d));
    }

    [Fact]
    public void ExplicitNameCollidingWithADefaultName() =>
        Expect("[Sequential(Input = 4)]\n[Dense(8, Relu, Name = \"dense_1\")]\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0010", "'dense_1'");

    [Fact]
    public void NegativeLearningRateIsAWarning()
    {
        const string source = "[Sequential(Input = 4, LearningRate = -1)]\n[Dense(2, Softmax)]\npublic partial class Net;";
        Diagnostic d = Expect(source, "NNG0204", "LearningRate of network 'Net' is -1, but it should be greater than 0");
        Assert.Equal("-1", SpanText(d));
    }

    [Fact]
    public void OtherHyperparametersOutOfRange()
    {
        Expect("[Sequential(Input = 4, Beta1 = 1.5)]\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0204", "Beta1", "1.5", "in [0, 1)");
        Expect("[Sequential(Input = 4, Beta2 = -0.1)]\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0204", "Beta2", "-0.1");
        Expect("[Sequential(Input = 4, Epsilon = 0)]\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0204", "Epsilon", "is 0");
    }

    [Fact]
    public void UnusableHyperparametersAreErrors()
    {
        // The runtime's Sgd rejects this momentum, and an infinite learning rate has no float literal.
        Expect("[Sequential(Input = 4, Optimizer = Optimizer.Sgd, Momentum = 1)]\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0011", "Momentum of network 'Net' is 1, but it must be in [0, 1)");
        Expect("[Sequential(Input = 4, LearningRate = double.PositiveInfinity)]\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0011", "LearningRate", "Infinity", "a finite number");
        Expect("[Sequential(Input = 4, Epsilon = double.NaN)]\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0011", "Epsilon", "NaN");
    }

    [Fact]
    public void SettingsTheOptimizerIgnores()
    {
        Expect("[Sequential(Input = 4, Momentum = 0.9)]\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0205", "Momentum of network 'Net' has no effect with the Adam optimizer");
        Expect("[Sequential(Input = 4, Optimizer = Optimizer.Sgd, Beta1 = 0.8)]\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0205", "Beta1", "with the Sgd optimizer");
        Expect("[Sequential(Input = 4, Optimizer = Optimizer.Sgd, Nesterov = true)]\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0205", "Nesterov", "when Momentum is 0");
    }

    [Fact]
    public void InputsMismatch()
    {
        const string source = "[Sequential(Input = 32)]\n[Dense(128, Relu)]\n[Dense(10, Softmax, Inputs = 64)]\npublic partial class Net;";
        Diagnostic d = Expect(source, "NNG0101", "Dense layer 2 ('dense_1') is declared with 64 inputs, but layer 1 ('dense') produces 128");
        Assert.Equal("64", SpanText(d));
    }

    [Fact]
    public void InputsMismatchOnTheFirstLayerNamesTheNetworkInput() =>
        Expect("[Sequential(Input = 32)]\n[Dense(10, Softmax, Inputs = 31)]\npublic partial class Net;", "NNG0101", "31", "32", "network input");

    [Fact]
    public void MatchingDeclaredInputsAreAccepted()
    {
        AnalysisRun run = Analyze("[Sequential(Input = 32)]\n[Dense(128, Relu, Inputs = 32)]\n[Dense(10, Softmax, Inputs = 128)]\npublic partial class Net;");
        Assert.Empty(run.Nng);
        run.Generator.AssertCompilesCleanly();
    }

    [Fact]
    public void CategoricalCrossEntropyWithOneOutputUnit()
    {
        const string source = "[Sequential(Input = 4, Loss = Loss.CategoricalCrossEntropy)]\n[Dense(8, Relu)]\n[Dense(1, Sigmoid)]\npublic partial class Net;";
        Diagnostic d = Expect(source, "NNG0102", "Dense layer 2 ('dense_1') is the output layer with 1 unit, but categorical cross-entropy needs one unit per class, at least 2");
        Assert.Equal("1", SpanText(d));
        Expect("[Sequential(Input = 4, Loss = Loss.SparseCategoricalCrossEntropy)]\n[Dense(1, Softmax)]\npublic partial class Net;", "NNG0102", "sparse categorical cross-entropy");
    }

    [Fact]
    public void BinaryCrossEntropyWithoutSigmoidOutputs()
    {
        const string source = "[Sequential(Input = 4, Loss = Loss.BinaryCrossEntropy)]\n[Dense(3, Softmax)]\npublic partial class Net;";
        Diagnostic d = Expect(source, "NNG0103", "Dense layer 1 ('dense') is the output layer with 3 softmax units", "binary cross-entropy", "use sigmoid");
        Assert.Equal("Softmax", SpanText(d));
        // One unit that is not a probability trains badly but is not a shape error: a warning.
        Expect("[Sequential(Input = 4, Loss = Loss.BinaryCrossEntropy)]\n[Dense(1, Tanh)]\npublic partial class Net;", "NNG0202",
            "with tanh activation, but binary cross-entropy expects a probability from a sigmoid: use Sigmoid");
    }

    [Fact]
    public void CategoricalCrossEntropyWithoutSoftmax() =>
        Expect("[Sequential(Input = 4)]\n[Dense(3)]\npublic partial class Net;", "NNG0202",
            "Dense layer 1 ('dense') is the output layer with linear activation, but categorical cross-entropy expects class probabilities from a softmax: use Softmax");

    [Fact]
    public void OutputWidthAgainstTheDeclaredClasses()
    {
        Diagnostic d = Expect("[Sequential(Input = 4, Classes = 10)]\n[Dense(16, Relu)]\n[Dense(8, Softmax)]\npublic partial class Net;", "NNG0104",
            "Dense layer 2 ('dense_1') is the output layer with 8 units, but network 'Net' declares Classes = 10, so it needs 10 units, one per class");
        Assert.Equal("8", SpanText(d));
        Expect("[Sequential(Input = 4, Classes = 2, Loss = Loss.BinaryCrossEntropy)]\n[Dense(3, Sigmoid)]\npublic partial class Net;", "NNG0104", "needs 2 units, or 1 sigmoid unit");
        Expect("[Sequential(Input = 4, Classes = 0)]\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0005", "Classes of network 'Net' must be a positive number, but it is 0");
        Assert.Empty(Analyze("[Sequential(Input = 4, Classes = 2, Loss = Loss.BinaryCrossEntropy)]\n[Dense(1, Sigmoid)]\npublic partial class Net;").Nng);
    }

    [Fact]
    public void SoftmaxInAHiddenLayer()
    {
        Diagnostic d = Expect("[Sequential(Input = 4)]\n[Dense(16, Softmax)]\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0201",
            "Dense layer 1 ('dense') is a hidden layer with softmax, which squeezes its 16 units into one distribution");
        Assert.Equal("Softmax", SpanText(d));
    }

    [Fact]
    public void DeepSigmoidStackWarnsOnEverySaturatingLayer()
    {
        AnalysisRun run = Analyze("[Sequential(Input = 4)]\n[Dense(8, Sigmoid)]\n[Dense(8, Tanh)]\n[Dense(8, Relu)]\n[Dense(8, Sigmoid)]\n[Dense(8, Tanh)]\n[Dense(2, Softmax)]\npublic partial class Net;");
        var warnings = run.Nng.Where(x => x.Id == "NNG0203").ToList();
        Assert.Equal([1, 2, 4, 5], warnings.Select(w => w.Location.GetLineSpan().StartLinePosition.Line - 5).Order());
        Assert.Contains("Dense layer 2 ('dense_1') uses tanh, one of 4 sigmoid/tanh hidden layers", warnings.Select(w => w.GetMessage(CultureInfo.InvariantCulture)).Order().ElementAt(1));
        // Three saturating hidden layers are a classic, trainable MLP.
        Assert.Empty(Analyze("[Sequential(Input = 4)]\n[Dense(8, Sigmoid)]\n[Dense(8, Tanh)]\n[Dense(8, Sigmoid)]\n[Dense(2, Softmax)]\npublic partial class Net;").Nng);
    }

    [Fact]
    public void MemberCollisions()
    {
        Diagnostic d = Expect("[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic partial class Net\n{\n    public const int InputSize = 4;\n}", "NNG0009",
            "Constant 'InputSize' of network class 'Net' collides with the generated constant 'InputSize': rename or remove it");
        Assert.Equal("InputSize", SpanText(d));
        Expect("[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic partial class Net\n{\n    private void Dense1Forward(ref float a, ref float b, ref float c, ref float d, int n, int from, int to) { }\n}", "NNG0009", "Dense1Forward");
        Expect("[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic partial class Net(int seed);", "NNG0009", "Constructor 'Net(int)' of network class 'Net' collides with the generated constructor 'Net(int)'");
        Expect("[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic partial class Net\n{\n    public bool Predict(System.ReadOnlySpan<float> x, System.Span<float> y) => true;\n}", "NNG0009", "Method 'Predict(System.ReadOnlySpan<float>, System.Span<float>)'");
        Expect("[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic partial class Net : INetwork\n{\n    string INetwork.Name => \"x\";\n}", "NNG0009", "'INetwork.Name'");
        Expect("[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic partial class Forward;", "NNG0009", "Name 'Forward' of network class 'Forward' collides with the generated method 'Forward(System.ReadOnlySpan<float>, int, bool)'");
    }

    [Fact]
    public void OverloadsAndOtherNamesDoNotCollide()
    {
        AnalysisRun run = Analyze("[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic partial class Net\n{\n    public float[] Predict(float[] x) => x;\n    public int Dense3Forward => 3;\n    public Net(string name) : this(1) { }\n}");
        Assert.Empty(run.Nng);
        run.Generator.AssertCompilesCleanly();
    }

    [Fact]
    public void SeveralProblemsAreAllReported()
    {
        AnalysisRun run = Analyze("[Sequential(Input = -3, LearningRate = -1)]\n[Dense(0, Relu)]\n[Dense(2, (Activation)7)]\npublic class Net;");
        Assert.Equal(["NNG0001", "NNG0005", "NNG0005", "NNG0006", "NNG0204"], run.Nng.Select(d => d.Id).Order());
        Assert.Empty(run.Generator.GeneratedSources);
    }

    [Theory]
    [InlineData(Declarations.MnistMlp)]
    [InlineData(Declarations.OddNet)]
    [InlineData(Declarations.SpamFilter)]
    [InlineData(Declarations.Regressor)]
    public void ValidDeclarationsProduceNoDiagnostics(string declaration)
    {
        AnalysisRun run = AnalyzerRunner.Run(declaration);
        Assert.Empty(run.Nng);
        Assert.Single(run.Generator.GeneratedSources);
    }

    [Fact]
    public void EveryDescriptorIsWellFormed()
    {
        var descriptors = DiagnosticDescriptors.Descriptors.ToList();
        Assert.Equal(descriptors.Count, descriptors.Select(d => d.Id).Distinct().Count());
        Assert.All(descriptors, d =>
        {
            Assert.Matches("^NNG[0-9]{4}$", d.Id);
            Assert.True(d.IsEnabledByDefault);
            Assert.EndsWith(d.Id + ".md", d.HelpLinkUri);
            Assert.False(string.IsNullOrWhiteSpace(d.Description.ToString()));
        });
    }

    // ---- The generator's enum mirrors agree with the runtime ------------------------------------------------

    [Theory]
    [InlineData(typeof(ActivationKind), typeof(Activation))]
    [InlineData(typeof(LossKind), typeof(Loss))]
    [InlineData(typeof(OptimizerKind), typeof(Optimizer))]
    public void MirrorEnumsMatchTheRuntime(Type mirror, Type runtime)
    {
        static IEnumerable<(string, int)> Members(Type t) =>
            Enum.GetNames(t).Select(n => (n, Convert.ToInt32(Enum.Parse(t, n), CultureInfo.InvariantCulture))).OrderBy(m => m.Item2);
        Assert.Equal(Members(runtime), Members(mirror));
    }
}
