using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using NnGen.Generators.Model;

namespace NnGen.Generators;

/// <summary>What the generator's parse step keeps: the spec to emit (null when it cannot be generated) and internal failures (NNG0999).</summary>
internal sealed record ParseResult(NetworkSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>
/// The incremental generator: [Sequential] classes -> <see cref="Parser"/> -> <see cref="NetworkSpec"/> ->
/// <see cref="Emitter"/> -> <c>Namespace.Type.g.cs</c>. The user-facing diagnostics come from the analyzers
/// (<see cref="Analyzers.NetworkDeclarationAnalyzer"/>), which run the same parser, so they show in the IDE as the
/// user types and are not reported twice; the generator only skips a declaration with errors, and reports only
/// its own unexpected failures (NNG0999). Failures and source go down separate branches so that a changed
/// location never re-emits source, and equal specs never re-emit at all.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class NetworkGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline steps, asserted by the incrementality tests.</summary>
    public static class Steps
    {
        public const string Parse = "NnGen.Parse";
        public const string Diagnostics = "NnGen.Diagnostics";
        public const string Spec = "NnGen.Spec";
    }

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<ParseResult> results = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                Parser.SequentialAttribute,
                static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                static (ctx, ct) => SafeParse(ctx, ct))
            .WithTrackingName(Steps.Parse);

        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics = results
            .Select(static (r, _) => r.Diagnostics)
            .WithTrackingName(Steps.Diagnostics);
        context.RegisterSourceOutput(diagnostics, static (spc, list) =>
        {
            foreach (DiagnosticInfo d in list) spc.ReportDiagnostic(d.ToDiagnostic());
        });

        IncrementalValuesProvider<NetworkSpec> specs = results
            .Where(static r => r.Spec is not null)
            .Select(static (r, _) => r.Spec!)
            .WithTrackingName(Steps.Spec);
        context.RegisterSourceOutput(specs, static (spc, spec) =>
        {
            string source;
            try
            {
                source = Emitter.Emit(spec);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                spc.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalFailure, null, "generate", spec.TypeName, $"{e.GetType().Name}: {e.Message}"));
                return;
            }
            spc.AddSource(spec.FullName.Replace("@", "") + ".g.cs", SourceText.From(source, System.Text.Encoding.UTF8));
        });
    }

    private static ParseResult SafeParse(GeneratorAttributeSyntaxContext ctx, System.Threading.CancellationToken ct)
    {
        try
        {
            // [Sequential] twice (on two partial declarations) is the compiler's CS0579: generate from the first only.
            var type = (INamedTypeSymbol)ctx.TargetSymbol;
            AttributeData first = Parser.SequentialOf(type)!;
            SyntaxReference? firstSyntax = first.ApplicationSyntaxReference;
            if (firstSyntax is not null && (firstSyntax.SyntaxTree != ctx.TargetNode.SyntaxTree || !ctx.TargetNode.Span.Contains(firstSyntax.Span)))
                return new ParseResult(null, EquatableArray<DiagnosticInfo>.Empty);
            return new ParseResult(Parser.Parse(type, first, ct).Spec, EquatableArray<DiagnosticInfo>.Empty);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var info = DiagnosticInfo.Create(DiagnosticDescriptors.InternalFailure, ctx.TargetNode.GetLocation(), "generate", ctx.TargetSymbol.Name, $"{e.GetType().Name}: {e.Message}");
            return new ParseResult(null, new[] { info }.ToEquatableArray());
        }
    }
}
