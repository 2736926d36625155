using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NnGen.Generators;

namespace NnGen.CodeFixes;

/// <summary>
/// NNG0301-NNG0303: sizes a constant buffer from the network's own constants, e.g. <c>new float[100]</c> becomes
/// <c>new float[MnistMlp.InputSize]</c> and a two-sample target buffer <c>new float[2 * MnistMlp.TargetSize]</c>.
/// Offered when the buffer states its size (<c>new float[n]</c>, <c>stackalloc float[n]</c>), not for initialisers.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BufferLengthCodeFix)), Shared]
public sealed class BufferLengthCodeFix : NodeReplacementCodeFix
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        [DiagnosticDescriptors.InputLength.Id, DiagnosticDescriptors.OutputLength.Id, DiagnosticDescriptors.TargetLength.Id];

    /// <summary>The analyzer puts the size expression to replace in the first additional location.</summary>
    protected override Location? TargetLocation(Diagnostic diagnostic) => diagnostic.AdditionalLocations.FirstOrDefault();

    protected override Replacement? Replace(Diagnostic diagnostic, SyntaxNode node)
    {
        if (node is not ExpressionSyntax size ||
            Property(diagnostic, DiagnosticDescriptors.Properties.Network) is not { } network ||
            Property(diagnostic, DiagnosticDescriptors.Properties.SizeConstant) is not { } constant ||
            !int.TryParse(Property(diagnostic, DiagnosticDescriptors.Properties.Rows), NumberStyles.None, CultureInfo.InvariantCulture, out int rows))
            return null;
        ExpressionSyntax length = Qualified($"{network}.{constant}");
        if (rows != 1) length = SyntaxFactory.BinaryExpression(SyntaxKind.MultiplyExpression, Number(rows), length);
        return new Replacement($"Make the buffer {(rows == 1 ? constant : $"{rows} * {constant}")} floats long", nameof(BufferLengthCodeFix), size, length);
    }
}
