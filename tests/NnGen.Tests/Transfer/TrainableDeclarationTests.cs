using System.Linq;
using Microsoft.CodeAnalysis;
using NnGen.Tests.Generator;

namespace NnGen.Tests.Transfer;

/// <summary>How the generator reads <c>Trainable</c>: generated code that compiles, states it, and the compiler's error where it does not apply.</summary>
public class TrainableDeclarationTests
{
    private const string Usings = "using NnGen;\nusing static NnGen.Activation;\nnamespace Samples;\n";

    [Fact]
    public void Trainable_false_on_each_kind_with_parameters_is_generated_into_the_switch_and_the_layer_table()
    {
        GeneratorRun run = GeneratorHarness.Run(Usings +
            "[Sequential(InputShape = new[] { 6, 6, 1 })]\n[Conv2D(2, 3, Relu, Trainable = false)]\n[BatchNormalization(Trainable = false)]\n[Flatten]\n" +
            "[Dense(4, Relu, Trainable = true)]\n[Dense(2, Softmax, Trainable = false)]\npublic partial class Frozen;")
            .AssertNoGeneratorFailure().AssertCompilesCleanly();
        string source = run.SingleSource;
        Assert.Contains("private readonly bool[] _trainable = new bool[] { false, false, true, true, false };", source);
        Assert.Contains("private int _lowestTrainable = 4;", source); // the Flatten has no parameters; the first trainable one is dense
        Assert.Equal(3, source.Split(", Trainable: false)").Length - 1); // in the LayerInfo rows of conv2d, batch_normalization, dense_1
    }

    [Fact]
    public void Trainable_on_a_layer_without_parameters_is_the_compilers_error_and_the_generator_does_not_fail()
    {
        // Keras accepts trainable on any layer, where it has no effect; NnGen's attributes offer it only where it does something.
        GeneratorRun run = GeneratorHarness.Run(Usings + "[Sequential(Input = 4)]\n[Dropout(0.5, Trainable = false)]\n[Dense(2, Softmax)]\npublic partial class N;")
            .AssertNoGeneratorFailure();
        Assert.Contains(run.OutputDiagnostics, d => d.Id == "CS0246" && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("Trainable"));
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error && d.Id.StartsWith("NNG", System.StringComparison.Ordinal));
    }

    [Fact]
    public void A_non_constant_Trainable_is_the_compilers_error_too()
    {
        GeneratorRun run = GeneratorHarness.Run(Usings + "[Sequential(Input = 4)]\n[Dense(2, Softmax, Trainable = \"no\")]\npublic partial class N;")
            .AssertNoGeneratorFailure();
        Assert.Contains(run.OutputDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
    }
}
