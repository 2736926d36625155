using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using NnGen.Tests.Generator;

namespace NnGen.Tests.Analyzers;

/// <summary>A compilation as the build sees it: the generator's output, then NnGen's analyzers over it.</summary>
internal sealed record AnalysisRun(GeneratorRun Generator, ImmutableArray<Diagnostic> AnalyzerDiagnostics)
{
    /// <summary>Every NNG diagnostic, from the analyzers and the generator.</summary>
    public IEnumerable<Diagnostic> Nng =>
        AnalyzerDiagnostics.Concat(Generator.GeneratorDiagnostics).Where(d => d.Id.StartsWith("NNG", StringComparison.Ordinal));

    /// <summary>Compiler errors and warnings of the generated output (the analyzers' aside).</summary>
    public IEnumerable<Diagnostic> CompilerWarningsAndErrors => Generator.OutputWarningsAndErrors;
}

internal static class AnalyzerRunner
{
    public static AnalysisRun Run(params string[] sources) => Run(GeneratorHarness.CreateCompilation(sources));

    /// <summary>Like <see cref="Run(string[])"/>, with the sources and the generated code parsed with <paramref name="parseOptions"/> (a language version).</summary>
    public static AnalysisRun Run(CSharpParseOptions parseOptions, params string[] sources) =>
        Run(GeneratorHarness.CreateCompilation(parseOptions, sources.Select((s, i) => ($"File{i}.cs", s)).ToArray()), parseOptions);

    /// <summary>Runs the generator and then the analyzers; asserts neither threw nor reported an internal failure.</summary>
    public static AnalysisRun Run(CSharpCompilation compilation, CSharpParseOptions? parseOptions = null)
    {
        GeneratorRun generated = GeneratorHarness.Run(GeneratorHarness.CreateDriver(parseOptions), compilation).AssertNoGeneratorFailure();
        var analyzers = generated.OutputCompilation.WithAnalyzers(NnGenTest.Analyzers);
        ImmutableArray<Diagnostic> diagnostics = analyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        // An analyzer exception surfaces as AD0001.
        Assert.DoesNotContain(diagnostics, d => d.Id is "AD0001" or "NNG0999");
        return new AnalysisRun(generated, diagnostics);
    }
}
