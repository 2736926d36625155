using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using NnGen.Generators;

namespace NnGen.CodeFixes;

/// <summary>
/// NNG0102, NNG0104: sets the output layer's units to what the loss or the declared class count needs. One equivalence
/// key for every count, so Fix All sets each network's own.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SetUnitsCodeFix)), Shared]
public sealed class SetUnitsCodeFix : NodeReplacementCodeFix
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        [DiagnosticDescriptors.TooFewClassUnits.Id, DiagnosticDescriptors.ClassCountMismatch.Id];

    protected override Replacement? Replace(Diagnostic diagnostic, SyntaxNode node) =>
        int.TryParse(Property(diagnostic, DiagnosticDescriptors.Properties.Units), NumberStyles.None, CultureInfo.InvariantCulture, out int units) &&
        ArgumentExpression(node) is { } expression
            ? new Replacement($"Set units to {units}", nameof(SetUnitsCodeFix), expression, Number(units))
            : null;
}
