using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using NnGen.Generators;
using NnGen.Generators.Model;

namespace NnGen.Tests.Generator;

/// <summary>Malformed declarations produce precise NNG diagnostics, never a generator crash.</summary>
public class DiagnosticTests
{
    private const string Usings = "using NnGen;\nusing static NnGen.Activation;\n\nnamespace Samples;\n\n";

    /// <summary>Runs the generator; asserts no crash; returns the run.</summary>
    private static GeneratorRun Generate(string declaration) =>
        GeneratorHarness.Run(Usings + declaration).AssertNoGeneratorFailure();

    /// <summary>Asserts that <paramref name="declaration"/> reports <paramref name="id"/> (an error) whose message contains every fragment.</summary>
    private static Diagnostic Expect(string declaration, string id, params string[] fragments)
    {
        GeneratorRun run = Generate(declaration);
        var matching = run.GeneratorDiagnostics.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count == 1, $"Expected one {id}, got:\n{GeneratorHarness.Format(run.GeneratorDiagnostics)}");
        Diagnostic diagnostic = matching[0];
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        string message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
        foreach (string fragment in fragments) Assert.Contains(fragment, message);
        Assert.NotEqual(Location.None, diagnostic.Location);
        Assert.Empty(run.GeneratedSources); // an erroneous declaration generates nothing
        return diagnostic;
    }

    private static string SpanText(string declaration, Diagnostic diagnostic) =>
        GeneratorHarness.SpanText(diagnostic, GeneratorHarness.CreateCompilation(Usings + declaration));

    [Fact]
    public void NegativeUnitsPointAtTheArgument()
    {
        const string source = "[Sequential(Input = 4)]\n[Dense(-5, Relu)]\n[Dense(2, Softmax)]\npublic partial class Net;";
        Diagnostic d = Expect(source, "NNG0005", "Units", "-5", "Dense layer 1");
        Assert.Equal("-5", SpanText(source, d));
    }

    [Fact]
    public void UnknownActivation()
    {
        const string source = "[Sequential(Input = 4)]\n[Dense(8, (Activation)42)]\n[Dense(2, Softmax)]\npublic partial class Net;";
        Diagnostic d = Expect(source, "NNG0006", "42", "Activation", "Dense layer 1");
        Assert.Equal("(Activation)42", SpanText(source, d));
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
        Assert.Equal("Net", SpanText(source, d));
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
        Assert.Equal("0", SpanText(source, d));
    }

    [Fact]
    public void LayersSplitOverTwoDeclarations() =>
        Expect("[Sequential(Input = 4)]\n[Dense(8, Relu)]\npublic partial class Net;\n\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0004", "'Net'");

    [Fact]
    public void SequentialOnOneDeclarationAndAllLayersOnAnotherIsAccepted()
    {
        // Not split: every layer is on one declaration (the other only carries [Sequential]).
        GeneratorRun run = Generate("[Sequential(Input = 4)]\npublic partial class Net;\n\n[Dense(8, Relu)]\n[Dense(2, Softmax)]\npublic partial class Net;");
        Assert.Empty(run.NngDiagnostics);
        run.AssertCompilesCleanly();
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
        Diagnostic d = Expect(source, "NNG0010", "Layer 2", "'a'", "layer 1");
        Assert.Equal("\"a\"", SpanText(source, d));
    }

    [Fact]
    public void ExplicitNameCollidingWithADefaultName() =>
        Expect("[Sequential(Input = 4)]\n[Dense(8, Relu, Name = \"dense_1\")]\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0010", "'dense_1'");

    [Fact]
    public void NegativeLearningRate()
    {
        const string source = "[Sequential(Input = 4, LearningRate = -1)]\n[Dense(2, Softmax)]\npublic partial class Net;";
        Diagnostic d = Expect(source, "NNG0011", "LearningRate", "-1", "'Net'");
        Assert.Equal("-1", SpanText(source, d));
    }

    [Fact]
    public void OtherHyperparametersOutOfRange()
    {
        Expect("[Sequential(Input = 4, Optimizer = Optimizer.Sgd, Momentum = 1)]\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0011", "Momentum", "1");
        Expect("[Sequential(Input = 4, Beta1 = 1.5)]\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0011", "Beta1", "1.5");
        Expect("[Sequential(Input = 4, Beta2 = -0.1)]\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0011", "Beta2", "-0.1");
        Expect("[Sequential(Input = 4, Epsilon = 0)]\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0011", "Epsilon", "0");
        Expect("[Sequential(Input = 4, LearningRate = double.PositiveInfinity)]\n[Dense(2, Softmax)]\npublic partial class Net;", "NNG0011", "LearningRate");
    }

    [Fact]
    public void InputsMismatch()
    {
        const string source = "[Sequential(Input = 32)]\n[Dense(128, Relu)]\n[Dense(10, Softmax, Inputs = 64)]\npublic partial class Net;";
        Diagnostic d = Expect(source, "NNG0101", "64", "128", "layer 2");
        Assert.Equal("64", SpanText(source, d));
    }

    [Fact]
    public void InputsMismatchOnTheFirstLayerNamesTheNetworkInput() =>
        Expect("[Sequential(Input = 32)]\n[Dense(10, Softmax, Inputs = 31)]\npublic partial class Net;", "NNG0101", "31", "32", "network input");

    [Fact]
    public void MatchingDeclaredInputsAreAccepted()
    {
        GeneratorRun run = Generate("[Sequential(Input = 32)]\n[Dense(128, Relu, Inputs = 32)]\n[Dense(10, Softmax, Inputs = 128)]\npublic partial class Net;");
        Assert.Empty(run.NngDiagnostics);
        run.AssertCompilesCleanly();
    }

    [Fact]
    public void CategoricalCrossEntropyWithOneOutputUnit()
    {
        const string source = "[Sequential(Input = 4, Loss = Loss.CategoricalCrossEntropy)]\n[Dense(8, Relu)]\n[Dense(1, Sigmoid)]\npublic partial class Net;";
        Diagnostic d = Expect(source, "NNG0102", "has 1 sigmoid unit,", "categorical cross-entropy", "at least 2");
        Assert.Equal("1", SpanText(source, d));
        Expect("[Sequential(Input = 4, Loss = Loss.SparseCategoricalCrossEntropy)]\n[Dense(1, Softmax)]\npublic partial class Net;", "NNG0102", "sparse categorical cross-entropy");
    }

    [Fact]
    public void BinaryCrossEntropyWithoutSigmoidOutputs()
    {
        const string source = "[Sequential(Input = 4, Loss = Loss.BinaryCrossEntropy)]\n[Dense(3, Softmax)]\npublic partial class Net;";
        Diagnostic d = Expect(source, "NNG0102", "3 softmax units", "binary cross-entropy", "sigmoid outputs");
        Assert.Equal("Softmax", SpanText(source, d));
        Expect("[Sequential(Input = 4, Loss = Loss.BinaryCrossEntropy)]\n[Dense(1, Tanh)]\npublic partial class Net;", "NNG0102", "1 tanh unit,");
    }

    [Fact]
    public void SeveralProblemsAreAllReported()
    {
        GeneratorRun run = Generate("[Sequential(Input = -3, LearningRate = -1)]\n[Dense(0, Relu)]\n[Dense(2, (Activation)7)]\npublic class Net;");
        Assert.Equal(["NNG0001", "NNG0005", "NNG0005", "NNG0006", "NNG0011"], run.GeneratorDiagnostics.Select(d => d.Id).Order());
        Assert.Empty(run.GeneratedSources);
    }

    [Theory]
    [InlineData(Declarations.MnistMlp)]
    [InlineData(Declarations.OddNet)]
    [InlineData(Declarations.SpamFilter)]
    [InlineData(Declarations.Regressor)]
    public void ValidDeclarationsProduceNoDiagnostics(string declaration)
    {
        GeneratorRun run = GeneratorHarness.Run(declaration).AssertNoGeneratorFailure();
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Single(run.GeneratedSources);
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

    // ---- Robustness: random declarations --------------------------------------------------------------------

    private sealed record RandomDeclaration(string Name, string Source, bool Valid);

    private static RandomDeclaration MakeRandom(Random random, int index)
    {
        string name = $"Net{index}";
        bool valid = true;
        var sequential = new List<string>();

        int input = random.Next(6) switch { 0 => int.MinValue, 1 => 0, 2 => -random.Next(1, 100), _ => random.Next(1, 40) };
        if (input == int.MinValue) valid = false; // missing
        else
        {
            sequential.Add($"Input = {input}");
            valid &= input > 0;
        }

        int loss = random.Next(10) == 0 ? random.Next(-2, 7) : random.Next(4);
        if (random.Next(5) > 0) sequential.Add($"Loss = (Loss)({loss})");
        else loss = 0; // default: categorical cross-entropy
        valid &= loss is >= 0 and <= 3;

        if (random.Next(3) > 0)
        {
            int optimizer = random.Next(10) == 0 ? random.Next(-2, 5) : random.Next(2);
            sequential.Add($"Optimizer = (Optimizer)({optimizer})");
            valid &= optimizer is >= 0 and <= 3;
        }

        int layerCount = random.Next(10) == 0 ? 0 : random.Next(1, 5);
        valid &= layerCount > 0;
        var layers = new StringBuilder();
        int lastUnits = 0, lastActivation = 0;
        for (int l = 0; l < layerCount; l++)
        {
            int units = random.Next(12) == 0 ? -random.Next(0, 5) : random.Next(1, 40);
            int activation = random.Next(12) == 0 ? random.Next(-3, 9) : random.Next(5);
            valid &= units > 0 && activation is >= 0 and <= 6;
            bool named = random.Next(2) == 0;
            layers.Append($"[Dense({units}, (Activation)({activation})");
            if (named) layers.Append($", Name = \"layer{l}\"");
            layers.Append(")]\n");
            (lastUnits, lastActivation) = (units, activation);
        }

        bool partial = random.Next(8) > 0;
        valid &= partial;

        // The loss/output rule (NNG0102), as Parser.CheckShapes states it.
        if (layerCount > 0 && lastUnits > 0 && loss is 0 or 1 && lastUnits < 2) valid = false;
        if (layerCount > 0 && lastUnits > 0 && loss == 2 && lastActivation != 2) valid = false;

        string source = $"[Sequential({string.Join(", ", sequential)})]\n{layers}public {(partial ? "partial " : "")}class {name};\n";
        return new RandomDeclaration(name, source, valid);
    }

    [Fact]
    public void RandomDeclarationsNeverCrashTheGenerator()
    {
        var random = new Random(20240611);
        var declarations = Enumerable.Range(0, 200).Select(i => MakeRandom(random, i)).ToList();
        Assert.InRange(declarations.Count(d => d.Valid), 25, 175); // both kinds are well represented

        // One compilation, one file per declaration: diagnostics are attributed to declarations by file.
        var compilation = GeneratorHarness.CreateCompilation(declarations.Select(d => ($"{d.Name}.cs", Usings + d.Source)).ToArray());
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation).AssertNoGeneratorFailure();

        var failures = new List<string>();
        var generated = run.GeneratedSources.Select(s => s.HintName).ToHashSet();
        foreach (RandomDeclaration d in declarations)
        {
            var errors = run.GeneratorDiagnostics
                .Where(x => x.Severity == DiagnosticSeverity.Error && x.Location.GetLineSpan().Path == $"{d.Name}.cs")
                .ToList();
            bool hasSource = generated.Contains($"Samples.{d.Name}.g.cs");
            if (d.Valid && (errors.Count > 0 || !hasSource))
                failures.Add($"Valid declaration got {(hasSource ? "errors" : "no source")}:\n{d.Source}{GeneratorHarness.Format(errors)}");
            if (!d.Valid && (errors.Count == 0 || hasSource))
                failures.Add($"Invalid declaration got {(hasSource ? "source" : "no error")}:\n{d.Source}");
        }
        // Every error in the output compilation would be in generated code (the declarations themselves are legal C#).
        foreach (Diagnostic error in run.OutputDiagnostics.Where(x => x.Severity == DiagnosticSeverity.Error).Take(20))
            failures.Add($"Compile error: {error}");
        Assert.True(failures.Count == 0, $"{failures.Count} problems:\n\n" + string.Join("\n\n", failures.Take(10)));
    }
}
