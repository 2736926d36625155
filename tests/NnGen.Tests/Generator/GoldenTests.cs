namespace NnGen.Tests.Generator;

/// <summary>
/// The generated source of representative declarations, compared with tests/NnGen.Tests/Golden/*.g.cs.txt.
/// After an intended change to the emitter, run with NNGEN_UPDATE_GOLDEN=1 and review the diff.
/// </summary>
public class GoldenTests
{
    [Fact]
    public void MnistMlp() => Check(Declarations.MnistMlp, "Samples.MnistMlp.g.cs");

    [Fact]
    public void OddSizesSgdMomentumSparse() => Check(Declarations.OddNet, "Samples.Odd.OddNet.g.cs");

    [Fact]
    public void NestedBinaryClassifierInGlobalNamespace() => Check(Declarations.SpamFilter, "Models.SpamFilter.g.cs");

    [Fact]
    public void LinearRegressionMse() => Check(Declarations.Regressor, "Samples.Regressor.g.cs");

    [Fact]
    public void EveryLayerKind() => Check(Declarations.EveryKind, "Samples.EveryKind.g.cs");

    [Fact]
    public void ConvolutionalNetwork() => Check(Declarations.SimpleConvNet, "Samples.SimpleConvNet.g.cs");

    [Fact]
    public void RecurrentNetwork() => Check(Declarations.RecurrentNet, "Samples.RecurrentNet.g.cs");

    private static void Check(string declaration, string hintName)
    {
        GeneratorRun run = GeneratorHarness.Run(declaration).AssertNoGeneratorFailure();
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Equal(hintName, Assert.Single(run.GeneratedSources).HintName);
        // Generated code compiles without warnings (nothing filtered but hidden and info diagnostics).
        run.AssertCompilesCleanly();
        GoldenFile.Verify(hintName + ".txt", run.SingleSource);
    }

    [Fact]
    public void GeneratedSourceIsDeterministic()
    {
        string first = GeneratorHarness.Run(Declarations.OddNet).SingleSource;
        string second = GeneratorHarness.Run(Declarations.OddNet).SingleSource;
        Assert.Equal(first, second);
    }

    [Fact]
    public void GeneratedSourceDoesNotDependOnTheCurrentCulture()
    {
        var saved = System.Globalization.CultureInfo.CurrentCulture;
        string invariant = GeneratorHarness.Run(Declarations.OddNet).SingleSource;
        try
        {
            // Decimal comma and a non-ASCII minus sign.
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("sv-SE");
            Assert.Equal(invariant, GeneratorHarness.Run(Declarations.OddNet).SingleSource);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = saved;
        }
    }
}
