using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CSharp;
using NnGen.Generators;

namespace NnGen.Tests.Analyzers;

/// <summary>
/// Every diagnostic ID: a wrong declaration reports it at exactly the marked span (<c>{|NNGxxxx:span|}</c>, and nothing
/// unmarked), and the corrected declaration reports nothing at all and compiles.
/// </summary>
public class CatalogueTests
{
    private const string Net = "[Sequential(Input = 4)]\n[Dense(2, Softmax)]\n";
    private const string UseNet = Net + "public partial class Net;\n\npublic static class Use\n{\n";

    /// <summary>ID, wrong source with markup, corrected source.</summary>
    public static readonly TheoryData<string, string, string> Cases = new()
    {
        { "NNG0001", Net + "public class {|NNG0001:Net|};", Net + "public partial class Net;" },
        { "NNG0002", "[{|NNG0002:Sequential(Loss = Loss.CategoricalCrossEntropy)|}]\n[Dense(2, Softmax)]\npublic partial class Net;",
                     "[Sequential(Input = 4, Loss = Loss.CategoricalCrossEntropy)]\n[Dense(2, Softmax)]\npublic partial class Net;" },
        { "NNG0003", "[{|NNG0003:Sequential(Input = 4)|}]\npublic partial class Net;", Net + "public partial class Net;" },
        { "NNG0004", "[Sequential(Input = 4)]\n[Dense(8, Relu)]\npublic partial class Net;\n\n[{|NNG0004:Dense(2, Softmax)|}]\npublic partial class Net;",
                     "[Sequential(Input = 4)]\n[Dense(8, Relu)]\n[Dense(2, Softmax)]\npublic partial class Net;\n\npublic partial class Net;" },
        { "NNG0005", "[Sequential(Input = 4)]\n[Dense({|NNG0005:-5|}, Relu)]\n[Dense(2, Softmax)]\npublic partial class Net;",
                     "[Sequential(Input = 4)]\n[Dense(5, Relu)]\n[Dense(2, Softmax)]\npublic partial class Net;" },
        { "NNG0006", "[Sequential(Input = 4)]\n[Dense(8, {|NNG0006:(Activation)42|})]\n[Dense(2, Softmax)]\npublic partial class Net;",
                     "[Sequential(Input = 4)]\n[Dense(8, Relu)]\n[Dense(2, Softmax)]\npublic partial class Net;" },
        { "NNG0007", Net + "public partial class {|NNG0007:Net|}<T>;", Net + "public partial class Net;" },
        { "NNG0008", "public class Outer\n{\n    " + Net + "    public partial class {|NNG0008:Net|};\n}",
                     "public partial class Outer\n{\n    " + Net + "    public partial class Net;\n}" },
        { "NNG0009", Net + "public partial class Net\n{\n    public static int {|NNG0009:ParameterCount|} => 0;\n}",
                     Net + "public partial class Net\n{\n    public static int WeightCount => ParameterCount;\n}" },
        { "NNG0010", "[Sequential(Input = 4)]\n[Dense(8, Relu, Name = \"a\")]\n[Dense(2, Softmax, Name = {|NNG0010:\"a\"|})]\npublic partial class Net;",
                     "[Sequential(Input = 4)]\n[Dense(8, Relu, Name = \"a\")]\n[Dense(2, Softmax, Name = \"b\")]\npublic partial class Net;" },
        { "NNG0011", "[Sequential(Input = 4, Optimizer = Optimizer.Sgd, Momentum = {|NNG0011:1.0|})]\n[Dense(2, Softmax)]\npublic partial class Net;",
                     "[Sequential(Input = 4, Optimizer = Optimizer.Sgd, Momentum = 0.9)]\n[Dense(2, Softmax)]\npublic partial class Net;" },
        { "NNG0012", Net + "public static partial class {|NNG0012:Net|};", Net + "public partial class Net;" },
        // An inherited member that a generated one would hide is reported at the base class.
        { "NNG0009", "public class Base\n{\n    public void Backward(System.ReadOnlySpan<float> x, int rows) { }\n}\n\n" + Net + "public partial class Net : {|NNG0009:Base|};",
                     "public class Base\n{\n    public void Backward(System.ReadOnlySpan<float> x) { }\n}\n\n" + Net + "public partial class Net : Base;" },
        { "NNG0011", "[Sequential(Input = 4, LearningRate = {|NNG0011:-0.01|})]\n[Dense(2, Softmax)]\npublic partial class Net;",
                     "[Sequential(Input = 4, LearningRate = 0.01)]\n[Dense(2, Softmax)]\npublic partial class Net;" },
        { "NNG0013", "[Sequential(Input = 100000)]\n[{|NNG0013:Dense(100000, Relu)|}]\n[Dense(2, Softmax)]\npublic partial class Huge;",
                     "[Sequential(Input = 1000)]\n[Dense(100, Relu)]\n[Dense(2, Softmax)]\npublic partial class Huge;" },
        { "NNG0014", "[Sequential(Input = 4)]\n[Dense(8, Relu)]\n[Dropout({|NNG0014:1.5|})]\n[Dense(2, Softmax)]\npublic partial class Net;",
                     "[Sequential(Input = 4)]\n[Dense(8, Relu)]\n[Dropout(0.5)]\n[Dense(2, Softmax)]\npublic partial class Net;" },
        { "NNG0015", Net + "public partial class Small;\n\n[Sequential(Input = 4)]\n[Dense(8, Relu)]\n[Dense(2, Softmax)]\npublic partial class Large : {|NNG0015:Small|};",
                     "public abstract class Classifier;\n\n" + Net + "public partial class Small : Classifier;\n\n[Sequential(Input = 4)]\n[Dense(8, Relu)]\n[Dense(2, Softmax)]\npublic partial class Large : Classifier;" },
        { "NNG0016", Net + "public partial class Net{|NNG0016:(string label)|}\n{\n    public string Label => label;\n}",
                     Net + "public partial class Net\n{\n    public string Label { get; init; } = \"\";\n}" },
        { "NNG0017", "[{|NNG0017:Dense(8, Relu)|}]\n[Dense(2, Softmax)]\npublic partial class Net;",
                     "[Sequential(Input = 4)]\n[Dense(8, Relu)]\n[Dense(2, Softmax)]\npublic partial class Net;" },
        { "NNG0019", "[Sequential(Input = 4, Name = {|NNG0019:\" \"|})]\n[Dense(8, Relu, Name = {|NNG0019:\"\"|})]\n[Dense(2, Softmax)]\npublic partial class Net;",
                     "[Sequential(Input = 4, Name = \"classifier\")]\n[Dense(8, Relu, Name = \"hidden\")]\n[Dense(2, Softmax)]\npublic partial class Net;" },
        { "NNG0020", "public abstract class Labelled(string label)\n{\n    public string Label => label;\n}\n\n" + Net + "public partial class {|CS7036:Net|} : {|NNG0020:Labelled|};",
                     "public abstract class Labelled(string label)\n{\n    protected Labelled() : this(\"\") { }\n    public string Label => label;\n}\n\n" + Net + "public partial class Net : Labelled;" },
        { "NNG0021", "[Sequential(Input = 784, InputShape = {|NNG0021:new[] { 28, 28, 1 }|})]\n[Flatten]\n[Dense(2, Softmax)]\npublic partial class Net;",
                     "[Sequential(InputShape = new[] { 28, 28, 1 })]\n[Flatten]\n[Dense(2, Softmax)]\npublic partial class Net;" },
        { "NNG0022", "[Sequential(InputShape = {|NNG0022:new[] { 2, 2, 2, 2 }|})]\n[Flatten]\n[Dense(2, Softmax)]\npublic partial class Net;",
                     "[Sequential(InputShape = new[] { 4, 4, 1 })]\n[Flatten]\n[Dense(2, Softmax)]\npublic partial class Net;" },
        { "NNG0101", "[Sequential(Input = 32)]\n[Dense(128, Relu)]\n[Dense(10, Softmax, Inputs = {|NNG0101:64|})]\npublic partial class Net;",
                     "[Sequential(Input = 32)]\n[Dense(128, Relu)]\n[Dense(10, Softmax, Inputs = 128)]\npublic partial class Net;" },
        { "NNG0102", "[Sequential(Input = 4)]\n[Dense({|NNG0102:1|}, Softmax)]\npublic partial class Net;", Net + "public partial class Net;" },
        { "NNG0103", "[Sequential(Input = 4, Loss = Loss.BinaryCrossEntropy)]\n[Dense(3, {|NNG0103:Softmax|})]\npublic partial class Net;",
                     "[Sequential(Input = 4, Loss = Loss.BinaryCrossEntropy)]\n[Dense(3, Sigmoid)]\npublic partial class Net;" },
        { "NNG0104", "[Sequential(Input = 4, Classes = 10)]\n[Dense({|NNG0104:8|}, Softmax)]\npublic partial class Net;",
                     "[Sequential(Input = 4, Classes = 10)]\n[Dense(10, Softmax)]\npublic partial class Net;" },
        { "NNG0105", "[Sequential(InputShape = new[] { 3, 3, 64 })]\n[Conv2D(8, {|NNG0105:5|})]\n[Flatten]\n[Dense(2, Softmax)]\npublic partial class Net;",
                     "[Sequential(InputShape = new[] { 3, 3, 64 })]\n[Conv2D(8, 3)]\n[Flatten]\n[Dense(2, Softmax)]\npublic partial class Net;" },
        // A stack that shrinks the image to nothing: reported at the first window that finds no room.
        { "NNG0105", "[Sequential(InputShape = new[] { 6, 6, 1 })]\n[Conv2D(4, 3)]\n[MaxPooling2D]\n[MaxPooling2D({|NNG0105:3|})]\n[Flatten]\n[Dense(2, Softmax)]\npublic partial class Net;",
                     "[Sequential(InputShape = new[] { 6, 6, 1 })]\n[Conv2D(4, 3)]\n[MaxPooling2D]\n[MaxPooling2D(2)]\n[Flatten]\n[Dense(2, Softmax)]\npublic partial class Net;" },
        { "NNG0106", "[Sequential(Input = 784)]\n[{|NNG0106:Conv2D(8, 3, Relu)|}]\n[Flatten]\n[Dense(2, Softmax)]\npublic partial class Net;",
                     "[Sequential(InputShape = new[] { 28, 28, 1 })]\n[Conv2D(8, 3, Relu)]\n[Flatten]\n[Dense(2, Softmax)]\npublic partial class Net;" },
        { "NNG0106", "[Sequential(Input = 16)]\n[Dense(16, Relu)]\n[{|NNG0106:GlobalAveragePooling2D|}]\n[Dense(2, Softmax)]\npublic partial class Net;",
                     "[Sequential(Input = 16)]\n[Dense(16, Relu)]\n[Reshape(4, 4, 1)]\n[GlobalAveragePooling2D]\n[Dense(2, Softmax)]\npublic partial class Net;" },
        { "NNG0107", "[Sequential(InputShape = new[] { 8, 8, 1 })]\n[Conv2D(4, 3, Relu)]\n[{|NNG0107:Dense(2, Softmax)|}]\npublic partial class Net;",
                     "[Sequential(InputShape = new[] { 8, 8, 1 })]\n[Conv2D(4, 3, Relu)]\n[Flatten]\n[Dense(2, Softmax)]\npublic partial class Net;" },
        { "NNG0108", "[Sequential(Input = 784)]\n[{|NNG0108:Reshape(28, 28, 2)|}]\n[Flatten]\n[Dense(2, Softmax)]\npublic partial class Net;",
                     "[Sequential(Input = 784)]\n[Reshape(28, 28, 1)]\n[Flatten]\n[Dense(2, Softmax)]\npublic partial class Net;" },
        { "NNG0109", "[Sequential(InputShape = new[] { 8, 8, 1 })]\n[{|NNG0109:Conv2D(10, 3, Softmax)|}]\npublic partial class Net;",
                     "[Sequential(InputShape = new[] { 8, 8, 1 })]\n[Conv2D(10, 3, Relu)]\n[Flatten]\n[Dense(10, Softmax)]\npublic partial class Net;" },
        { "NNG0110", "[Sequential(Input = 28)]\n[{|NNG0110:LSTM(16)|}]\n[Dense(2, Softmax)]\npublic partial class Net;",
                     "[Sequential(InputShape = new[] { 7, 4 })]\n[LSTM(16)]\n[Dense(2, Softmax)]\npublic partial class Net;" },
        // Stacking without ReturnSequences: the second cell gets the first one's last state, a vector.
        { "NNG0110", "[Sequential(InputShape = new[] { 7, 4 })]\n[LSTM(16)]\n[{|NNG0110:GRU(8)|}]\n[Dense(2, Softmax)]\npublic partial class Net;",
                     "[Sequential(InputShape = new[] { 7, 4 })]\n[LSTM(16, ReturnSequences = true)]\n[GRU(8)]\n[Dense(2, Softmax)]\npublic partial class Net;" },
        { "NNG0111", "[Sequential(InputShape = new[] { 7, 4 })]\n[{|NNG0111:Dense(2, Softmax)|}]\npublic partial class Net;",
                     "[Sequential(InputShape = new[] { 7, 4 })]\n[SimpleRNN(8)]\n[Dense(2, Softmax)]\npublic partial class Net;" },
        { "NNG0111", "[Sequential(InputShape = new[] { 7, 4 })]\n[GRU(8, ReturnSequences = true)]\n[{|NNG0111:Dense(2, Softmax)|}]\npublic partial class Net;",
                     "[Sequential(InputShape = new[] { 7, 4 })]\n[GRU(8)]\n[Dense(2, Softmax)]\npublic partial class Net;" },
        { "NNG0112", "[Sequential(Input = 10)]\n[Dense(10)]\n[{|NNG0112:Embedding(100, 8)|}]\n[LSTM(4)]\n[Dense(2, Softmax)]\npublic partial class Net;",
                     "[Sequential(Input = 10)]\n[Embedding(100, 8)]\n[LSTM(4)]\n[Dense(2, Softmax)]\npublic partial class Net;" },
        { "NNG0112", "[Sequential(InputShape = new[] { 10, 3 })]\n[{|NNG0112:Embedding(100, 8)|}]\n[LSTM(4)]\n[Dense(2, Softmax)]\npublic partial class Net;",
                     "[Sequential(InputShape = new[] { 10 })]\n[Embedding(100, 8)]\n[LSTM(4)]\n[Dense(2, Softmax)]\npublic partial class Net;" },
        { "NNG0113", "[Sequential(InputShape = new[] { 7, 4 })]\n[LSTM(8, RecurrentActivation = {|NNG0113:Softmax|})]\n[Dense(2, Softmax)]\npublic partial class Net;",
                     "[Sequential(InputShape = new[] { 7, 4 })]\n[LSTM(8, RecurrentActivation = Sigmoid)]\n[Dense(2, Softmax)]\npublic partial class Net;" },
        { "NNG0113", "[Sequential(InputShape = new[] { 7, 4 })]\n[SimpleRNN(8, Activation = {|NNG0113:Softmax|})]\n[Dense(2, Softmax)]\npublic partial class Net;",
                     "[Sequential(InputShape = new[] { 7, 4 })]\n[SimpleRNN(8)]\n[Dense(2, Softmax)]\npublic partial class Net;" },
        { "NNG0005", "[Sequential(InputShape = new[] { 7, 4 })]\n[GRU({|NNG0005:0|})]\n[Dense(2, Softmax)]\npublic partial class Net;",
                     "[Sequential(InputShape = new[] { 7, 4 })]\n[GRU(8)]\n[Dense(2, Softmax)]\npublic partial class Net;" },
        { "NNG0005", "[Sequential(InputShape = {|NNG0005:new[] { 0, 4 }|})]\n[GRU(8)]\n[Dense(2, Softmax)]\npublic partial class Net;",
                     "[Sequential(InputShape = new[] { 7, 4 })]\n[GRU(8)]\n[Dense(2, Softmax)]\npublic partial class Net;" },
        { "NNG0005", "[Sequential(Input = 6)]\n[Embedding({|NNG0005:-1|}, 4)]\n[GRU(8)]\n[Dense(2, Softmax)]\npublic partial class Net;",
                     "[Sequential(Input = 6)]\n[Embedding(50, 4)]\n[GRU(8)]\n[Dense(2, Softmax)]\npublic partial class Net;" },
        { "NNG0201", "[Sequential(Input = 4)]\n[Dense(8, {|NNG0201:Softmax|})]\n[Dense(2, Softmax)]\npublic partial class Net;",
                     "[Sequential(Input = 4)]\n[Dense(8, Relu)]\n[Dense(2, Softmax)]\npublic partial class Net;" },
        { "NNG0201", "[Sequential(Input = 4)]\n[Dense(8)]\n[Activation({|NNG0201:Softmax|})]\n[Dense(2, Softmax)]\npublic partial class Net;",
                     "[Sequential(Input = 4)]\n[Dense(8)]\n[Activation(Relu)]\n[Dense(2, Softmax)]\npublic partial class Net;" },
        // The output layer may be an Activation layer: the warning points at its activation, not at a units argument it does not have.
        { "NNG0202", "[Sequential(Input = 4)]\n[Dense(2)]\n[Activation({|NNG0202:Relu|})]\npublic partial class Net;",
                     "[Sequential(Input = 4)]\n[Dense(2)]\n[Activation(Softmax)]\npublic partial class Net;" },
        { "NNG0202", "[Sequential(Input = 4)]\n[Dense(2, {|NNG0202:Relu|})]\npublic partial class Net;", Net + "public partial class Net;" },
        { "NNG0203", "[Sequential(Input = 4)]\n[Dense(8, {|NNG0203:Sigmoid|})]\n[Dense(8, {|NNG0203:Sigmoid|})]\n[Dense(8, {|NNG0203:Tanh|})]\n[Dense(8, {|NNG0203:Sigmoid|})]\n[Dense(2, Softmax)]\npublic partial class Net;",
                     "[Sequential(Input = 4)]\n[Dense(8, Relu)]\n[Dense(8, Relu)]\n[Dense(8, Relu)]\n[Dense(8, Relu)]\n[Dense(2, Softmax)]\npublic partial class Net;" },
        { "NNG0204", "[Sequential(Input = 4, Beta1 = {|NNG0204:1.5|})]\n[Dense(2, Softmax)]\npublic partial class Net;",
                     "[Sequential(Input = 4, Beta1 = 0.9)]\n[Dense(2, Softmax)]\npublic partial class Net;" },
        { "NNG0205", "[Sequential(Input = 4, Momentum = {|NNG0205:0.9|})]\n[Dense(2, Softmax)]\npublic partial class Net;",
                     "[Sequential(Input = 4, Optimizer = Optimizer.Sgd, Momentum = 0.9)]\n[Dense(2, Softmax)]\npublic partial class Net;" },
        { "NNG0206", "[Sequential(Input = 4)]\n{|NNG0206:BatchNormalization|}\n[Dense(2, Softmax)]\npublic partial class Net;".Replace("{|NNG0206:BatchNormalization|}\n", "[{|NNG0206:BatchNormalization|}]\n"),
                     "[Sequential(Input = 4)]\n[Dense(8)]\n[BatchNormalization]\n[Activation(Relu)]\n[Dense(2, Softmax)]\npublic partial class Net;" },
        { "NNG0207", "[Sequential(Input = 4)]\n[Dense(2, Softmax, L2 = {|NNG0207:0|})]\npublic partial class Net;",
                     "[Sequential(Input = 4)]\n[Dense(2, Softmax, L2 = 0.01)]\npublic partial class Net;" },
        { "NNG0208", "[Sequential(Input = 4)]\n[{|NNG0208:Flatten|}]\n[Dense(2, Softmax)]\npublic partial class Net;", Net + "public partial class Net;" },
        { "NNG0301", UseNet + "    public static float[] M(Net net) => net.Predict({|NNG0301:new float[5]|});\n}",
                     UseNet + "    public static float[] M(Net net) => net.Predict(new float[8]);\n}" },
        { "NNG0302", UseNet + "    public static void M(Net net) => net.Predict(new float[4], {|NNG0302:stackalloc float[3]|});\n}",
                     UseNet + "    public static void M(Net net) => net.Predict(new float[4], stackalloc float[2]);\n}" },
        { "NNG0303", UseNet + "    public static float M(Net net) => net.ComputeGradients(new float[8], {|NNG0303:new float[] { 1, 0, 0, 1, 0 }|}, out _);\n}",
                     UseNet + "    public static float M(Net net) => net.ComputeGradients(new float[8], new float[] { 1, 0, 0, 1 }, out _);\n}" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public Task WrongCodeReportsTheIdAtTheMarkedSpan(string id, string wrong, string right)
    {
        Assert.Contains("{|" + id + ":", wrong);
        Assert.DoesNotContain("{|", right);
        return new NnGenTest.Analyzer(NnGenTest.Usings + wrong).RunAsync();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void CorrectedCodeReportsNothingAndCompiles(string id, string wrong, string right)
    {
        Assert.NotEqual(wrong, right);
        AnalysisRun run = AnalyzerRunner.Run(NnGenTest.Usings + right);
        Assert.True(!run.Nng.Any(), $"{id}'s corrected code reports:\n{Generator.GeneratorHarness.Format(run.Nng)}");
        Assert.NotEmpty(run.Generator.GeneratedSources);
        run.Generator.AssertCompilesCleanly();
    }

    /// <summary>NNG0018 needs an old language version, which the file-scoped namespace of the other cases does not compile on.</summary>
    [Fact]
    public Task LanguageVersionBelowTheGeneratedCodesIsReportedAtSequential() => new NnGenTest.Analyzer(
        "using NnGen;\n\n[{|NNG0018:Sequential(Input = 4)|}]\n[Dense(2, Activation.Softmax)]\npublic partial class Net { }\n", LanguageVersion.CSharp7_3).RunAsync();

    [Fact]
    public void TheOldestLanguageVersionAcceptedCompiles()
    {
        var options = Generator.GeneratorHarness.ParseOptions.WithLanguageVersion(LanguageVersion.CSharp8);
        AnalysisRun run = AnalyzerRunner.Run(options, "using NnGen;\n\n[Sequential(Input = 4)]\n[Dense(2, Activation.Softmax)]\npublic partial class Net { }\n");
        Assert.True(!run.Nng.Any(), $"C# 8 reports:\n{Generator.GeneratorHarness.Format(run.Nng)}");
        Assert.NotEmpty(run.Generator.GeneratedSources);
        run.Generator.AssertCompilesCleanly();
    }

    [Fact]
    public void EveryUserFacingIdHasACase()
    {
        var covered = Cases.Select(row => (string)row[0]).Append(DiagnosticDescriptors.LanguageVersionTooOld.Id).ToHashSet();
        IEnumerable<string> ids = DiagnosticDescriptors.Descriptors.Select(d => d.Id).Where(id => id != DiagnosticDescriptors.InternalFailure.Id);
        Assert.Empty(ids.Except(covered));
    }

    [Fact]
    public Task CallSiteLengthsFromLocalsCollectionExpressionsAndStackalloc() => new NnGenTest.Analyzer(NnGenTest.Usings + UseNet + """
            public static void M(Net net)
            {
                float[] inputs = new float[10];
                System.Span<float> outputs = stackalloc float[] { 0, 0, 0, 0, 0, 0, 0 };
                net.Predict({|NNG0301:inputs|}, {|NNG0302:outputs|});
                net.Predict(new float[12], {|NNG0302:outputs|});
                net.PredictClass({|NNG0301:[1f, 2f, 3f]|});
                net.PredictClass(new float[Net.InputSize]);
                net.Fit({|NNG0301:new float[0]|}, new float[0], verbose: 0);
                net.Evaluate(new float[8], {|NNG0303:new float[3]|});
                float[] reassigned = new float[5];
                reassigned = new float[8];
                net.Predict(reassigned); // not a constant length any more: no diagnostic
                float[] spread = [.. inputs, 1f];
                net.Predict(spread);
            }
        }
        """).RunAsync();

    [Fact]
    public Task SparseTargetsAreOneFloatPerSample() => new NnGenTest.Analyzer(NnGenTest.Usings + """
        [Sequential(Input = 4, Loss = Loss.SparseCategoricalCrossEntropy)]
        [Dense(3, Softmax)]
        public partial class Net;

        public static class Use
        {
            public static void M(Net net)
            {
                net.Fit(new float[8], new float[2], verbose: 0);
                net.Fit(new float[8], {|NNG0303:new float[6]|}, verbose: 0);
            }
        }
        """).RunAsync();

    [Fact]
    public Task CallsThroughINetworkOrOnInvalidNetworksAreNotChecked() => new NnGenTest.Analyzer(NnGenTest.Usings + UseNet + """
            public static float[] M(INetwork net) => net.Predict(new float[5]);
        }
        """).RunAsync();
}
