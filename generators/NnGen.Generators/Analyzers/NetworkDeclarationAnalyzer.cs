using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace NnGen.Generators.Analyzers;

/// <summary>
/// Reports every declaration, shape and configuration diagnostic (NNG00xx, NNG01xx, NNG02xx) of a [Sequential] class,
/// and NNG0017 for layer attributes on a class without [Sequential], live in the IDE. It runs <see cref="Parser"/>, the same code the generator runs, so the two never disagree.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NetworkDeclarationAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        DiagnosticDescriptors.Descriptors.Where(d => !d.Id.StartsWith("NNG03", StringComparison.Ordinal)).ToImmutableArray();

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (start.Compilation.GetTypeByMetadataName(Parser.SequentialAttribute) is null) return;
            start.RegisterSymbolAction(Analyze, SymbolKind.NamedType);
        });
    }

    private static void Analyze(SymbolAnalysisContext context)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        try
        {
            if (Parser.SequentialOf(type) is not { } sequential)
            {
                if (Parser.LayersWithoutSequential(type, context.CancellationToken) is { } stray) context.ReportDiagnostic(stray);
                return;
            }
            foreach (Diagnostic diagnostic in Parser.Parse(type, sequential, context.CancellationToken).Diagnostics)
                context.ReportDiagnostic(diagnostic);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalFailure, type.Locations.FirstOrDefault(),
                "analyze", type.Name, $"{e.GetType().Name}: {e.Message}"));
        }
    }
}
