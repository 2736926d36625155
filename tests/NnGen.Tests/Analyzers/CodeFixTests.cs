using System.Threading.Tasks;
using NnGen.CodeFixes;

namespace NnGen.Tests.Analyzers;

/// <summary>Each code fix turns the marked diagnostic's code into code with no NNG diagnostic left.</summary>
public class CodeFixTests
{
    private const string Usings = NnGenTest.Usings;

    private static Task Verify<TFix>(string wrong, string fixedCode) where TFix : Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider, new() =>
        new NnGenTest.CodeFix<TFix>(Usings + wrong, Usings + fixedCode).RunAsync();

    [Theory]
    [InlineData("[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic sealed class {|NNG0001:Net|};", "[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic sealed partial class Net;")]
    [InlineData("[Sequential(Input = 4)]\n[Dense(2, Softmax)]\nclass {|NNG0001:Net|};", "[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npartial class Net;")]
    [InlineData("[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic record {|NNG0001:Net|};", "[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic partial record Net;")]
    [InlineData("public static class Outer\n{\n    [Sequential(Input = 4)]\n    [Dense(2, Softmax)]\n    public partial class {|NNG0008:Net|};\n}",
                "public static partial class Outer\n{\n    [Sequential(Input = 4)]\n    [Dense(2, Softmax)]\n    public partial class Net;\n}")]
    public Task MakePartial(string wrong, string fixedCode) => Verify<MakePartialCodeFix>(wrong, fixedCode);

    [Theory]
    [InlineData("[Sequential(InputShape = new[] { 8, 8, 1 })]\n[Conv2D(4, 3, Relu)]\n[{|NNG0107:Dense(2, Softmax)|}]\npublic partial class Net;",
                "[Sequential(InputShape = new[] { 8, 8, 1 })]\n[Conv2D(4, 3, Relu)]\n[Flatten]\n[Dense(2, Softmax)]\npublic partial class Net;")]
    [InlineData("public static partial class Outer\n{\n    [Sequential(InputShape = new[] { 8, 8, 1 })]\n    [MaxPooling2D]\n    [{|NNG0107:Dense(8, Relu)|}]\n    [Dense(2, Softmax)]\n    public partial class Net;\n}",
                "public static partial class Outer\n{\n    [Sequential(InputShape = new[] { 8, 8, 1 })]\n    [MaxPooling2D]\n    [Flatten]\n    [Dense(8, Relu)]\n    [Dense(2, Softmax)]\n    public partial class Net;\n}")]
    [InlineData("[Sequential(InputShape = new[] { 8, 8, 1 })]\n[Conv2D(4, 3, Relu), {|NNG0107:Dense(2, Softmax)|}]\npublic partial class Net;",
                "[Sequential(InputShape = new[] { 8, 8, 1 })]\n[Conv2D(4, 3, Relu), Flatten, Dense(2, Softmax)]\npublic partial class Net;")]
    public Task InsertFlattenBeforeADenseLayerAfterAnImage(string wrong, string fixedCode) => Verify<InsertFlattenCodeFix>(wrong, fixedCode);

    [Theory]
    [InlineData("[Sequential(Input = 4)]\n[Dense(8, Relu)]\n[Dense({|NNG0102:1|}, Softmax)]\npublic partial class Net;",
                "[Sequential(Input = 4)]\n[Dense(8, Relu)]\n[Dense(2, Softmax)]\npublic partial class Net;")]
    [InlineData("[Sequential(Input = 4, Loss = Loss.SparseCategoricalCrossEntropy, Classes = 5)]\n[Dense(units: {|NNG0104:4|}, activation: Softmax)]\npublic partial class Net;",
                "[Sequential(Input = 4, Loss = Loss.SparseCategoricalCrossEntropy, Classes = 5)]\n[Dense(units: 5, activation: Softmax)]\npublic partial class Net;")]
    public Task SetUnitsToWhatTheLossNeeds(string wrong, string fixedCode) => Verify<SetUnitsCodeFix>(wrong, fixedCode);

    [Theory]
    [InlineData("[Sequential(Input = 4)]\n[Dense(8, {|NNG0201:Softmax|})]\n[Dense(2, Softmax)]\npublic partial class Net;",
                "[Sequential(Input = 4)]\n[Dense(8, Relu)]\n[Dense(2, Softmax)]\npublic partial class Net;")]
    [InlineData("[Sequential(Input = 4)]\n[Dense(8, {|NNG0201:Activation.Softmax|})]\n[Dense(2, Activation.Softmax)]\npublic partial class Net;",
                "[Sequential(Input = 4)]\n[Dense(8, Activation.Relu)]\n[Dense(2, Activation.Softmax)]\npublic partial class Net;")]
    [InlineData("[Sequential(Input = 4, Loss = Loss.BinaryCrossEntropy)]\n[Dense(3, {|NNG0103:(Activation)4|})]\npublic partial class Net;",
                "[Sequential(Input = 4, Loss = Loss.BinaryCrossEntropy)]\n[Dense(3, Sigmoid)]\npublic partial class Net;")]
    [InlineData("[Sequential(Input = 4)]\n[{|NNG0202:Dense(3, Name = \"out\")|}]\npublic partial class Net;",
                "[Sequential(Input = 4)]\n[Dense(3, Softmax, Name = \"out\")]\npublic partial class Net;")]
    public Task SetTheActivation(string wrong, string fixedCode) => Verify<SetActivationCodeFix>(wrong, fixedCode);

    [Fact]
    public Task NestedTwiceMakesEveryContainingTypePartial() => new NnGenTest.CodeFix<MakePartialCodeFix>(
        Usings + "class A\n{\n    class B\n    {\n        [Sequential(Input = 4)]\n        [Dense(2, Softmax)]\n        public partial class {|NNG0008:{|NNG0008:Net|}|};\n    }\n}",
        Usings + "partial class A\n{\n    partial class B\n    {\n        [Sequential(Input = 4)]\n        [Dense(2, Softmax)]\n        public partial class Net;\n    }\n}")
    {
        NumberOfIncrementalIterations = 1,
        NumberOfFixAllIterations = 1,
    }.RunAsync();

    [Fact]
    public Task DeepStackNeedsOneFixAndFixAllReplacesEveryLayer() => new NnGenTest.CodeFix<SetActivationCodeFix>(
        Usings + "[Sequential(Input = 4)]\n[Dense(8, {|NNG0203:Tanh|})]\n[Dense(8, {|NNG0203:Tanh|})]\n[Dense(8, {|NNG0203:Tanh|})]\n[Dense(8, {|NNG0203:Tanh|})]\n[Dense(2, Softmax)]\npublic partial class Net;",
        // One fix leaves three saturating layers, which is no longer a deep stack: the other warnings go away.
        Usings + "[Sequential(Input = 4)]\n[Dense(8, Relu)]\n[Dense(8, Tanh)]\n[Dense(8, Tanh)]\n[Dense(8, Tanh)]\n[Dense(2, Softmax)]\npublic partial class Net;")
    {
        BatchFixedCode = Usings + "[Sequential(Input = 4)]\n[Dense(8, Relu)]\n[Dense(8, Relu)]\n[Dense(8, Relu)]\n[Dense(8, Relu)]\n[Dense(2, Softmax)]\npublic partial class Net;",
        NumberOfIncrementalIterations = 1,
        NumberOfFixAllIterations = 1,
    }.RunAsync();

    [Theory]
    [InlineData("[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic partial class Net{|NNG0016:()|};", "[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic partial class Net;")]
    [InlineData("public interface ILabelled;\n\n[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic partial class Net{|NNG0016:(string label)|} : ILabelled\n{\n    public string Label { get; set; } = \"\";\n}",
                "public interface ILabelled;\n\n[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic partial class Net : ILabelled\n{\n    public string Label { get; set; } = \"\";\n}")]
    public Task RemoveAnUnusedPrimaryConstructor(string wrong, string fixedCode) => Verify<RemovePrimaryConstructorCodeFix>(wrong, fixedCode);

    [Fact]
    public Task APrimaryConstructorWhoseParametersAreUsedIsNotRemoved()
    {
        const string source = Usings + "[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic partial class Net{|NNG0016:(string label)|}\n{\n    public string Label => label;\n}";
        return new NnGenTest.CodeFix<RemovePrimaryConstructorCodeFix>(source, source).RunAsync();
    }

    [Theory]
    [InlineData("[Sequential(Input = 4)]\n[Dense(8, Relu, Name = {|NNG0019:\"\"|})]\n[Dense(2, Softmax)]\npublic partial class Net;", "[Sequential(Input = 4)]\n[Dense(8, Relu)]\n[Dense(2, Softmax)]\npublic partial class Net;")]
    [InlineData("[Sequential(Input = 4, Name = {|NNG0019:\" \"|})]\n[Dense(8)]\n[BatchNormalization(Name = {|NNG0019:\"\"|})]\n[Activation(Relu)]\n[Dense(2, Softmax)]\npublic partial class Net;",
                "[Sequential(Input = 4)]\n[Dense(8)]\n[BatchNormalization]\n[Activation(Relu)]\n[Dense(2, Softmax)]\npublic partial class Net;")]
    public Task RemoveAnUnusableName(string wrong, string fixedCode) => Verify<RemoveNameCodeFix>(wrong, fixedCode);

    // ---- Fix All: one pass fixes every diagnostic of the ID, each with its own fix (as dotnet format runs it) -----------

    private static Task VerifyFixAll<TFix>(string wrong, string fixedCode) where TFix : Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider, new() =>
        new NnGenTest.CodeFix<TFix>(Usings + wrong, Usings + fixedCode) { NumberOfFixAllIterations = 1 }.RunAsync();

    [Fact]
    public Task FixAllSetsEachOutputsOwnActivation() => VerifyFixAll<SetActivationCodeFix>(
        "[Sequential(Input = 4)]\n[Dense(3, {|NNG0202:Relu|})]\npublic partial class A;\n\n[Sequential(Input = 4, Loss = Loss.BinaryCrossEntropy)]\n[Dense(1, {|NNG0202:Tanh|})]\npublic partial class B;",
        "[Sequential(Input = 4)]\n[Dense(3, Softmax)]\npublic partial class A;\n\n[Sequential(Input = 4, Loss = Loss.BinaryCrossEntropy)]\n[Dense(1, Sigmoid)]\npublic partial class B;");

    [Fact]
    public Task FixAllSetsEachOutputsOwnUnits() => VerifyFixAll<SetUnitsCodeFix>(
        "[Sequential(Input = 4, Classes = 3)]\n[Dense({|NNG0104:2|}, Softmax)]\npublic partial class A;\n\n[Sequential(Input = 4, Classes = 5)]\n[Dense({|NNG0104:2|}, Softmax)]\npublic partial class B;",
        "[Sequential(Input = 4, Classes = 3)]\n[Dense(3, Softmax)]\npublic partial class A;\n\n[Sequential(Input = 4, Classes = 5)]\n[Dense(5, Softmax)]\npublic partial class B;");

    [Fact]
    public Task FixAllMakesEveryNetworkPartial() => VerifyFixAll<MakePartialCodeFix>(
        "[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic class {|NNG0001:A|};\n\n[Sequential(Input = 4)]\n[Dense(2, Softmax)]\ninternal sealed class {|NNG0001:B|};",
        "[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic partial class A;\n\n[Sequential(Input = 4)]\n[Dense(2, Softmax)]\ninternal sealed partial class B;");

    [Fact]
    public Task FixAllRemovesEveryPrimaryConstructor() => VerifyFixAll<RemovePrimaryConstructorCodeFix>(
        "[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic partial class A{|NNG0016:()|};\n\n[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic partial class B{|NNG0016:(int width)|};",
        "[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic partial class A;\n\n[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic partial class B;");

    [Fact]
    public Task FixAllRemovesEveryUnusableName() => VerifyFixAll<RemoveNameCodeFix>(
        "[Sequential(Input = 4)]\n[Dense(8, Relu, Name = {|NNG0019:\"\"|})]\n[Dense(2, Softmax, Name = {|NNG0019:\"\\n\"|})]\npublic partial class Net;",
        "[Sequential(Input = 4)]\n[Dense(8, Relu)]\n[Dense(2, Softmax)]\npublic partial class Net;");

    [Fact]
    public Task FixAllSizesEveryBuffer() => VerifyFixAll<BufferLengthCodeFix>(
        Network + "    public static void M(Net net)\n    {\n        net.Predict({|NNG0301:new float[5]|});\n        net.Predict({|NNG0301:new float[3]|});\n    }\n}",
        Network + "    public static void M(Net net)\n    {\n        net.Predict(new float[Net.InputSize]);\n        net.Predict(new float[Net.InputSize]);\n    }\n}");

    private const string Network = "[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic partial class Net;\n\npublic static class Use\n{\n";

    [Theory]
    [InlineData("    public static float[] M(Net net) => net.Predict({|NNG0301:new float[5]|});\n}",
                "    public static float[] M(Net net) => net.Predict(new float[Net.InputSize]);\n}")]
    [InlineData("    public static void M(Net net) => net.Predict(new float[8], {|NNG0302:stackalloc float[3]|});\n}",
                "    public static void M(Net net) => net.Predict(new float[8], stackalloc float[2 * Net.OutputSize]);\n}")]
    [InlineData("    public static int M(Net net)\n    {\n        float[] sample = new float[5];\n        return net.PredictClass({|NNG0301:sample|});\n    }\n}",
                "    public static int M(Net net)\n    {\n        float[] sample = new float[Net.InputSize];\n        return net.PredictClass(sample);\n    }\n}")]
    [InlineData("    public static float M(Net net) => net.ComputeLoss(new float[12], {|NNG0303:new float[2 * 2]|}, out _);\n}",
                "    public static float M(Net net) => net.ComputeLoss(new float[12], new float[3 * Net.TargetSize], out _);\n}")]
    public Task SizeTheBufferFromTheNetworksConstants(string wrong, string fixedCode) => Verify<BufferLengthCodeFix>(Network + wrong, Network + fixedCode);
}
