using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using NnGen.Generators;
using NnGen.Generators.Analyzers;

namespace NnGen.Tests.Analyzers;

/// <summary>
/// Roslyn's analyzer and code fix test drivers, set up for NnGen: both NnGen analyzers, the generator (so calls on a
/// network bind to its generated members), and the same in-memory references as the generator tests. No reference
/// assembly package is downloaded: <see cref="ReferenceAssemblies"/> names the framework only.
/// </summary>
internal static class NnGenTest
{
    public const string Usings = "using NnGen;\nusing static NnGen.Activation;\n\nnamespace Samples;\n\n";

    private static readonly ReferenceAssemblies NoPackage = new("net10.0");

    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        MetadataReference.CreateFromFile(typeof(INetwork).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(System.Numerics.Tensors.TensorPrimitives).Assembly.Location),
    ];

    public static ImmutableArray<DiagnosticAnalyzer> Analyzers => [new NetworkDeclarationAnalyzer(), new CallSiteAnalyzer()];

    private static void Configure(ProjectState state)
    {
        state.AdditionalReferences.AddRange(References);
    }

    /// <summary>Every NNG diagnostic of <paramref name="source"/> must be marked <c>{|NNGxxxx:span|}</c>; compiler errors too.</summary>
    public sealed class Analyzer : CSharpAnalyzerTest<NetworkDeclarationAnalyzer, DefaultVerifier>
    {
        private readonly LanguageVersion _languageVersion;

        public Analyzer(string source, LanguageVersion languageVersion = LanguageVersion.Latest)
        {
            _languageVersion = languageVersion;
            TestCode = source;
            ReferenceAssemblies = NoPackage;
            Configure(TestState);
            TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
        }

        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => Analyzers;
        protected override IEnumerable<Type> GetSourceGenerators() => [typeof(NetworkGenerator)];
        protected override ParseOptions CreateParseOptions() => new CSharpParseOptions(_languageVersion);
    }

    /// <summary>Applies <typeparamref name="TFix"/> to the marked diagnostics of the source and compares with <c>FixedCode</c>.</summary>
    public sealed class CodeFix<TFix> : CSharpCodeFixTest<NetworkDeclarationAnalyzer, TFix, DefaultVerifier>
        where TFix : CodeFixProvider, new()
    {
        public CodeFix(string source, string fixedSource)
        {
            TestCode = source;
            FixedCode = fixedSource;
            ReferenceAssemblies = NoPackage;
            Configure(TestState);
            Configure(FixedState);
            TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
        }

        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => Analyzers;
        protected override IEnumerable<Type> GetSourceGenerators() => [typeof(NetworkGenerator)];
        protected override ParseOptions CreateParseOptions() => new CSharpParseOptions(LanguageVersion.Latest);
    }
}
