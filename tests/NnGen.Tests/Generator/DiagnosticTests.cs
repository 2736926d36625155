using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
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

    [Theory]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("-1e-9")]
    public void ALearningRateOfZeroOrLessIsAnError(string rate)
    {
        string source = $"[Sequential(Input = 4, Optimizer = Optimizer.Sgd, LearningRate = {rate})]\n[Dense(2, Softmax)]\npublic partial class Net;";
        Diagnostic d = Expect(source, "NNG0011", $"LearningRate of network 'Net' is {double.Parse(rate, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture)}, but it must be greater than 0");
        Assert.Equal(rate, SpanText(d));
        Assert.DoesNotContain(Analyze(source).Nng, x => x.Id == "NNG0204");
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
        Expect("[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic partial class Net\n{\n    private const int TaskDense1Forward = 7;\n}", "NNG0009", "TaskDense1Forward");
        Expect("[Sequential(InputShape = new[] { 4, 4, 1 })]\n[Conv2D(2, 3)]\n[Flatten]\n[Dense(2, Softmax)]\npublic partial class Net\n{\n    private static int Conv2D1Geometry;\n}", "NNG0009", "Conv2D1Geometry");
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
        Assert.Equal(["NNG0001", "NNG0005", "NNG0005", "NNG0006", "NNG0011"], run.Nng.Select(d => d.Id).Order());
        Assert.Empty(run.Generator.GeneratedSources);
    }

    // ---- Layers are named by their kind --------------------------------------------------------------------

    [Fact]
    public void AHiddenSoftmaxActivationLayerIsNamedAsAnActivationLayer()
    {
        Diagnostic d = Expect("[Sequential(Input = 4)]\n[Dense(8)]\n[Activation(Softmax)]\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0201",
            "Activation layer 2 ('activation') is a hidden layer with softmax, which squeezes its 8 units");
        Assert.Equal("Softmax", SpanText(d));
    }

    [Fact]
    public void AnOutputActivationLayerIsNamedByItsKindAndHasNoUnitsToFix()
    {
        Diagnostic d = Expect("[Sequential(Input = 4)]\n[Dense(3)]\n[Activation(Relu)]\npublic partial class Net;", "NNG0202",
            "Activation layer 2 ('activation') is the output layer with relu activation");
        Assert.Equal("Relu", SpanText(d));
        Assert.Equal("Softmax", d.Properties[DiagnosticDescriptors.Properties.Activation]);
        // One unit: the width comes from the Dense layer before, so the diagnostic is at the whole attribute, with no units to set.
        d = Expect("[Sequential(Input = 4)]\n[Dense(1)]\n[Activation(Softmax)]\npublic partial class Net;", "NNG0102", "Activation layer 2 ('activation') is the output layer with 1 unit");
        Assert.Equal("Activation(Softmax)", SpanText(d));
        Assert.False(d.Properties.ContainsKey(DiagnosticDescriptors.Properties.Units));
        // A Dropout output layer has no activation argument: no fix that would add one to Dropout.
        d = Expect("[Sequential(Input = 4)]\n[Dense(3)]\n[Dropout(0.5)]\npublic partial class Net;", "NNG0202", "Dropout layer 2 ('dropout') is the output layer");
        Assert.False(d.Properties.ContainsKey(DiagnosticDescriptors.Properties.Activation));
    }

    [Fact]
    public void LayerMessagesOfOtherKinds()
    {
        Expect("[Sequential(Input = 4)]\n[Dense(8, Relu, Name = \"a\")]\n[Dropout(0.1, Name = \"a\")]\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0010",
            "Dropout layer 2 is named 'a', like layer 1");
        Expect("[Sequential(Input = 4)]\n[Dense(8, Relu)]\n[BatchNormalization(Momentum = 1.5)]\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0011",
            "Momentum of BatchNormalization layer 2 ('batch_normalization') is 1.5, but it must be in [0, 1)");
        Expect("[Sequential(Input = 4)]\n[Dense(2, Softmax, L2 = double.NaN)]\npublic partial class Net;", "NNG0011", "L2 of Dense layer 1 ('dense') is NaN");
        Expect("[Sequential(Input = 4)]\n[Dense(2, Softmax, L1 = -1)]\npublic partial class Net;", "NNG0207", "L1 of Dense layer 1 ('dense') is -1");
        Expect("[Sequential(Input = 4)]\n[Dense(8, Relu)]\n[Dropout(1.5)]\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0014", "Dropout layer 2 ('dropout') has rate 1.5");
        Expect("[Sequential(Input = 4)]\n[BatchNormalization]\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0206", "BatchNormalization layer 1 ('batch_normalization') directly follows the input");
    }

    // ---- Names ------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("\"\"", "\"\"")]
    [InlineData("\"   \"", "\"   \"")]
    [InlineData("\" out\"", "\" out\"")]
    [InlineData("\"out\\n\"", "\"out\\u000A\"")]
    [InlineData("\"a\\tb\"", "\"a\\u0009b\"")]
    [InlineData("null", "null")]
    public void AnEmptyOrUnprintableLayerNameIsAnError(string name, string shown)
    {
        string source = $"[Sequential(Input = 4)]\n[Dense(8, Relu)]\n[Dense(2, Softmax, Name = {name})]\npublic partial class Net;";
        Diagnostic d = Expect(source, "NNG0019", $"Name of Dense layer 2 is {shown}, but a name must be non-empty text", "use the default 'dense_1'");
        Assert.Equal(name, SpanText(d));
    }

    [Fact]
    public void ANameWithAnUnpairedSurrogateIsAnError() =>
        Expect("[Sequential(Input = 4)]\n[Dense(2, Softmax, Name = \"\\uD800x\")]\npublic partial class Net;", "NNG0019", "Name of Dense layer 1 is \"" + '\uD800' + "x\"");

    [Fact]
    public void AnEmptyNetworkNameIsAnError()
    {
        Diagnostic d = Expect("[Sequential(Input = 4, Name = \"\")]\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0019", "Name of network 'Net' is \"\"", "the default 'sequential'");
        Assert.Equal("\"\"", SpanText(d));
    }

    [Fact]
    public void NamesWithInnerSpacesAndOtherScriptsAreAccepted()
    {
        AnalysisRun run = Analyze("[Sequential(Input = 4, Name = \"my model\")]\n[Dense(8, Relu, Name = \"couche cachée 😀\")]\n[Dense(2, Softmax, Name = \"出力\")]\npublic partial class Net;");
        Assert.Empty(run.Nng);
        run.Generator.AssertCompilesCleanly();
    }

    // ---- Too large: at the layer that makes it so ---------------------------------------------------------

    [Fact]
    public void TooLargeIsReportedAtTheLayerThatTakesTheCountPastTheLimit()
    {
        Diagnostic d = Expect("[Sequential(Input = 40000)]\n[Dense(40000, Relu)]\n[Dense(20000, Relu)]\n[Dense(2, Softmax)]\npublic partial class Huge;", "NNG0013",
            "Dense layer 2 ('dense_1') takes network 'Huge' past the 2,147,483,591 parameters that fit in one .NET array: it has 40,000 inputs x 20,000 units + 20,000 biases = 800,020,000, which makes 2,400,060,000 so far");
        Assert.Equal("Dense(20000, Relu)", SpanText(d));
        d = Expect("[Sequential(Input = 100000)]\n[Dense(100000, Relu)]\npublic partial class Huge;", "NNG0013", "Dense layer 1 ('dense')", "= 10,000,100,000");
        Assert.Equal("Dense(100000, Relu)", SpanText(d));
    }

    // ---- Base classes ------------------------------------------------------------------------------------------

    [Fact]
    public void AnInheritedMemberTheGeneratedCodeWouldHideIsReportedAtTheBaseClass()
    {
        Diagnostic d = Expect("public class Base\n{\n    public const int InputSize = 3;\n}\n\n[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic partial class Net : Base;", "NNG0009",
            "Constant 'InputSize' of base class 'Base' of network class 'Net' collides with the generated constant 'InputSize': rename it in 'Base' or make it private");
        Assert.Equal("Base", SpanText(d));
        // Further up the chain, a protected virtual method with a generated method's parameters.
        d = Expect("public class Root\n{\n    protected virtual void Forward(System.ReadOnlySpan<float> x, int rows, bool training) { }\n}\n\npublic class Middle : Root;\n\n" +
            "[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic partial class Net : Samples.Middle;", "NNG0009",
            "Method 'Forward(System.ReadOnlySpan<float>, int, bool)' of base class 'Root' of network class 'Net'");
        Assert.Equal("Samples.Middle", SpanText(d));
    }

    [Fact]
    public void PrivateInheritedMembersAndOverloadsDoNotCollide()
    {
        AnalysisRun run = Analyze("public class Base\n{\n    private int _x = 1;\n    public int X => _x;\n    public void Predict(float[] x) { }\n}\n\n" +
            "[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic partial class Net : Base;");
        Assert.Empty(run.Nng);
        run.Generator.AssertCompilesCleanly();
    }

    [Fact]
    public void ANetworkDerivingFromANetwork()
    {
        const string small = "[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic partial class Small;\n\n";
        AnalysisRun derived = Analyze(small + "[Sequential(Input = 4)]\n[Dense(8, Relu)]\n[Dense(2, Softmax)]\npublic partial class Large : Small;");
        Diagnostic d = Assert.Single(derived.Nng);
        Assert.Equal("NNG0015", d.Id);
        Assert.StartsWith("Network class 'Large' derives from 'Small', which is a network too", d.GetMessage(CultureInfo.InvariantCulture));
        Assert.EndsWith("derive both from a common base class without [Sequential], or give 'Large' a field of type 'Small'", d.GetMessage(CultureInfo.InvariantCulture));
        Assert.Equal("Small", SpanText(d));
        Assert.Equal(["Samples.Small.g.cs"], derived.Generator.GeneratedSources.Select(s => s.HintName)); // the base network alone
        // Through a class in between; the inherited members are not listed one by one.
        AnalysisRun run = Analyze(small + "public class Middle : Small;\n\n[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic partial class Large : Middle;");
        Assert.Equal(["NNG0015"], run.Nng.Select(x => x.Id));
        Assert.Contains("derives from 'Small'", run.Nng.Single().GetMessage(CultureInfo.InvariantCulture));
        // A class derived from a network without [Sequential] of its own is just a class.
        Assert.Empty(Analyze(small + "public class Special : Small;").Nng);
    }

    [Fact]
    public void ABaseClassWithoutAConstructorTheGeneratedOnesCanCall()
    {
        Diagnostic d = Expect("public class Base\n{\n    public Base(int x) { }\n}\n\n[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic partial class Net : Base;", "NNG0020",
            "Network class 'Net' derives from 'Base', which has no accessible constructor without arguments, but the generated constructors Net() and Net(int seed) call base()");
        Assert.Equal("Base", SpanText(d));
        Expect("public class Base\n{\n    private Base() { }\n    public Base(int x) { }\n}\n\n[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic partial class Net : Base;", "NNG0020", "'Base'");
        AnalysisRun run = Analyze("public abstract class Base\n{\n    protected Base(int x = 1, params string[] rest) { }\n}\n\n[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic partial class Net : Base;");
        Assert.Empty(run.Nng);
        run.Generator.AssertCompilesCleanly();
    }

    // ---- Primary constructors, layers without [Sequential], language versions ------------------------------------

    [Theory]
    [InlineData("public partial class Net(string label)\n{\n    public string Label => label;\n}", "(string label)", "'Net(string)'")]
    [InlineData("public partial class Net();", "()", "'Net()'")]
    [InlineData("public partial class Net(int seed);", "(int seed)", "'Net(int)'")]
    [InlineData("public partial record Net(int Width, string Label);", "(int Width, string Label)", "'Net(int, string)'")]
    public void APrimaryConstructorIsReportedAtItsParameterList(string declaration, string span, string shown)
    {
        Diagnostic d = Expect("[Sequential(Input = 4)]\n[Dense(2, Softmax)]\n" + declaration, "NNG0016",
            $"Network class 'Net' has the primary constructor {shown}, but NnGen generates the constructors Net() and Net(int seed), which would have to call it");
        Assert.Equal(span, SpanText(d));
        Assert.DoesNotContain(Analyze("[Sequential(Input = 4)]\n[Dense(2, Softmax)]\n" + declaration).Nng, x => x.Id == "NNG0009");
    }

    [Fact]
    public void LayerAttributesWithoutSequentialAreReportedAtTheFirst()
    {
        Diagnostic d = Expect("[Dropout(0.1)]\n[Dense(8, Relu)]\npublic partial class Net;\n\n[BatchNormalization]\npublic partial class Net;", "NNG0017",
            "Class 'Net' has layer attributes but no [Sequential], so NnGen generates nothing for it: add [Sequential(Input = <features per sample>)]");
        Assert.Equal("Dropout(0.1)", SpanText(d));
        Assert.Empty(Analyze("public partial class Net;\n\n[System.Obsolete]\npublic class Other;").Nng);
    }

    [Theory]
    [InlineData(LanguageVersion.CSharp7_3, "7.3")]
    [InlineData(LanguageVersion.CSharp7, "7")]
    public void ALanguageVersionBelow8IsAnError(LanguageVersion version, string shown)
    {
        var options = GeneratorHarness.ParseOptions.WithLanguageVersion(version);
        AnalysisRun run = AnalyzerRunner.Run(options, "using NnGen;\n\n[Sequential(Input = 4)]\n[Dense(2, Activation.Softmax)]\npublic partial class Net { }\n");
        Diagnostic d = Assert.Single(run.Nng);
        Assert.Equal("NNG0018", d.Id);
        Assert.Equal($"Network 'Net' needs C# 8 or later for its generated code, but the project compiles C# {shown}: set <LangVersion>8</LangVersion> or later in the project file",
            d.GetMessage(CultureInfo.InvariantCulture));
        Assert.Equal("Sequential(Input = 4)", SpanText(d));
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

    // ---- Images: input shapes, windows, Flatten and Reshape ------------------------------------------------------

    private static string Message(string declaration, string id) =>
        Expect(declaration, id).GetMessage(CultureInfo.InvariantCulture);

    [Fact]
    public void AKernelLargerThanItsInputNamesTheLayerTheKernelAndTheInput() => Assert.Equal(
        "Conv2D layer 2 ('conv2d_1') has a 5x5 kernel, but its input is 3x3x64 with padding 'valid', so there is no position for it: use a smaller kernel, padding 'same', or a larger input",
        Message("[Sequential(InputShape = new[] { 5, 5, 1 })]\n[Conv2D(64, 3)]\n[Conv2D(8, 5)]\n[Flatten]\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0105"));

    [Fact]
    public void AStackThatShrinksToNothingIsReportedAtThePoolThatFindsNoRoom() => Assert.Equal(
        "MaxPooling2D layer 3 ('max_pooling2d_1') has a 2x2 pool, but its input is 1x1x4 with padding 'valid', so there is no position for it: use a smaller pool, padding 'same', or a larger input",
        Message("[Sequential(InputShape = new[] { 4, 4, 1 })]\n[Conv2D(4, 3)]\n[MaxPooling2D]\n[MaxPooling2D]\n[Flatten]\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0105"));

    [Fact]
    public void SamePaddingNeverShrinksToNothing()
    {
        AnalysisRun run = Analyze("[Sequential(InputShape = new[] { 3, 3, 1 })]\n[Conv2D(4, 5, Padding = Padding.Same, Strides = 2)]\n[MaxPooling2D(3, Padding = Padding.Same)]\n[Flatten]\n[Dense(2, Softmax)]\npublic partial class Net;");
        Assert.Empty(run.Nng);
    }

    [Fact]
    public void AnImageLayerOnAFlatInputSuggestsTheInputShape()
    {
        Assert.Equal("Conv2D layer 1 ('conv2d') takes images (height, width, channels), but the network input produces (784): state 'InputShape = new[] { 28, 28, 1 }' on [Sequential]",
            Message("[Sequential(Input = 784)]\n[Conv2D(8, 3)]\n[Flatten]\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0106"));
        Assert.Equal("MaxPooling2D layer 2 ('max_pooling2d') takes images (height, width, channels), but layer 1 ('dense') produces (10): insert [Reshape(height, width, channels)] before it",
            Message("[Sequential(Input = 4)]\n[Dense(10)]\n[MaxPooling2D]\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0106"));
    }

    [Fact]
    public void ADenseLayerAfterAnImageAsksForFlatten() => Assert.Equal(
        "Dense layer 3 ('dense') takes a vector, but layer 2 ('max_pooling2d') produces (13, 13, 32) (5,408 values): insert [Flatten] before it",
        Message("[Sequential(InputShape = new[] { 28, 28, 1 })]\n[Conv2D(32, 3, Relu)]\n[MaxPooling2D]\n[Dense(10, Softmax)]\npublic partial class Net;", "NNG0107"));

    [Fact]
    public void AReshapeThatChangesTheCountStatesBothCounts() => Assert.Equal(
        "Reshape layer 1 ('reshape') reshapes (784), 784 values, into (28, 28, 2), which holds 1,568",
        Message("[Sequential(Input = 784)]\n[Reshape(28, 28, 2)]\n[Flatten]\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0108"));

    [Fact]
    public void ACategoricalLossOnAnImageOutputAsksForAVector() => Assert.Equal(
        "Conv2D layer 2 ('conv2d_1') produces (6, 6, 10), but categorical cross-entropy takes one vector of class scores per sample: insert [Flatten] and a Dense layer with one unit per class (or [GlobalAveragePooling2D] before it)",
        Message("[Sequential(InputShape = new[] { 10, 10, 1 })]\n[Conv2D(4, 3, Relu)]\n[Conv2D(10, 3, Softmax)]\npublic partial class Net;", "NNG0109"));

    [Theory]
    [InlineData("[Sequential(Input = 28)]\n[LSTM(16)]\n[Dense(2, Softmax)]",
        "LSTM layer 1 ('lstm') reads a sequence (timesteps, features), but the network input produces (28): state the sequence on [Sequential] as InputShape = new[] { timesteps, features }")]
    [InlineData("[Sequential(InputShape = new[] { 7, 4 })]\n[LSTM(16)]\n[GRU(8)]\n[Dense(2, Softmax)]",
        "GRU layer 2 ('gru') reads a sequence (timesteps, features), but layer 1 ('lstm') produces (16): set ReturnSequences = true on layer 1 ('lstm') to pass on every step")]
    [InlineData("[Sequential(InputShape = new[] { 28, 28, 1 })]\n[SimpleRNN(16)]\n[Dense(2, Softmax)]",
        "SimpleRNN layer 1 ('simple_rnn') reads a sequence (timesteps, features), but the network input produces (28, 28, 1): reshape each image into rows first, e.g. [Reshape(height, width * channels)]")]
    [InlineData("[Sequential(Input = 8)]\n[Dense(8)]\n[GRU(4)]\n[Dense(2, Softmax)]",
        "GRU layer 2 ('gru') reads a sequence (timesteps, features), but layer 1 ('dense') produces (8): pass it a sequence: ReturnSequences = true on the recurrent layer below, or [Reshape(timesteps, features)]")]
    public void ARecurrentLayerOnAVectorSaysHowToMakeASequence(string declaration, string message) =>
        Assert.Equal(message, Message(declaration + "\npublic partial class Net;", "NNG0110"));

    [Theory]
    [InlineData("[Sequential(InputShape = new[] { 7, 4 })]\n[GRU(8, ReturnSequences = true)]\n[Dense(2, Softmax)]",
        "Dense layer 2 ('dense') takes a vector, but layer 1 ('gru') produces the sequence (7, 8): remove ReturnSequences = true from it to pass on only the last step's state, or insert [Flatten]")]
    [InlineData("[Sequential(InputShape = new[] { 7, 4 })]\n[Dense(2, Softmax)]",
        "Dense layer 1 ('dense') takes a vector, but the network input produces the sequence (7, 4): read it with a recurrent layer first ([LSTM(units)], [GRU(units)] or [SimpleRNN(units)]), or insert [Flatten]")]
    public void ADenseLayerOnASequenceSaysWhatToDo(string declaration, string message) =>
        Assert.Equal(message, Message(declaration + "\npublic partial class Net;", "NNG0111"));

    [Fact]
    public void AnEmbeddingAfterAnotherLayerNamesWhatFeedsIt() => Assert.Equal(
        "Embedding layer 2 ('embedding') maps token indices to vectors, so it must be the first layer, reading a sequence of indices (InputShape = new[] { timesteps }), but layer 1 ('dense') produces (10)",
        Message("[Sequential(Input = 10)]\n[Dense(10)]\n[Embedding(100, 8)]\n[LSTM(4)]\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0112"));

    [Fact]
    public void SoftmaxInACellNamesTheRole() => Assert.Equal(
        "LSTM layer 1 ('lstm') uses softmax as its recurrent activation, but a cell applies its activations to each unit on its own: use Tanh, Sigmoid, Relu or another element-wise activation",
        Message("[Sequential(InputShape = new[] { 7, 4 })]\n[LSTM(8, RecurrentActivation = Softmax)]\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0113"));

    [Fact]
    public void ATooLargeRecurrentLayerStatesItsCount()
    {
        string message = Message("[Sequential(InputShape = new[] { 4, 30000 })]\n[LSTM(20000)]\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0013");
        Assert.Contains("4 gates x (30,000 features + 20,000 units + 1 bias) x 20,000 units = 4,000,080,000", message);
    }

    [Fact]
    public void FlattenOfAVectorIsAWarning() => Assert.Equal(
        "Flatten layer 2 ('flatten') has nothing to flatten: layer 1 ('dense') already produces a vector (8)",
        Message("[Sequential(Input = 4)]\n[Dense(8, Relu)]\n[Flatten]\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0208"));

    [Theory]
    [InlineData("Input = 784, InputShape = new[] { 28, 28, 1 }", "NNG0021", "Network 'Net' states both Input = 784 and InputShape = (28, 28, 1): keep one")]
    [InlineData("InputShape = new[] { 2, 2, 2, 2 }", "NNG0022", "Network 'Net' has InputShape (2, 2, 2, 2) with 4 dimensions")]
    [InlineData("InputShape = new int[0]", "NNG0022", "Network 'Net' has InputShape () with 0 dimensions")]
    [InlineData("InputShape = new[] { 28, 0, 1 }", "NNG0005", "InputShape[1] of network 'Net' must be a positive number, but it is 0")]
    [InlineData("InputShape = null", "NNG0002", "Network 'Net' does not state its input size")]
    public void InputShapesThatCannotBeUsedSayWhy(string input, string id, string message) =>
        Assert.StartsWith(message, Message($"[Sequential({input})]\n[Flatten]\n[Dense(2, Softmax)]\npublic partial class Net;", id));

    [Theory]
    [InlineData("[Conv2D(0, 3)]", "Filters of Conv2D layer 1 ('conv2d') must be a positive number, but it is 0")]
    [InlineData("[Conv2D(4, -1)]", "KernelSize of Conv2D layer 1 ('conv2d') must be a positive number, but it is -1")]
    [InlineData("[Conv2D(4, 3, Strides = 0)]", "Strides of Conv2D layer 1 ('conv2d') must be a positive number, but it is 0")]
    [InlineData("[MaxPooling2D(0)]", "PoolSize of MaxPooling2D layer 1 ('max_pooling2d') must be a positive number, but it is 0")]
    [InlineData("[AveragePooling2D(2, Strides = -2)]", "Strides of AveragePooling2D layer 1 ('average_pooling2d') must be a positive number, but it is -2")]
    [InlineData("[Conv2D(4, 3, Padding = (Padding)2)]", "Padding of Conv2D layer 1 ('conv2d') is 2, which is not a defined Padding value")]
    public void WindowSizesMustBePositive(string layer, string message) =>
        Assert.Equal(message, Message($"[Sequential(InputShape = new[] {{ 8, 8, 1 }})]\n{layer}\n[Flatten]\n[Dense(2, Softmax)]\npublic partial class Net;",
            message.Contains("Padding value") ? "NNG0006" : "NNG0005"));
}

