using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NnGen.Generators;

namespace NnGen.CodeFixes;

/// <summary>
/// NNG0016: removes the network class's primary constructor. Offered only when nothing refers to its parameters and no
/// base class is called with arguments, so that the result compiles as it stands.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemovePrimaryConstructorCodeFix)), Shared]
public sealed class RemovePrimaryConstructorCodeFix : NodeReplacementCodeFix
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticDescriptors.PrimaryConstructor.Id];

    protected override Replacement? Replace(Diagnostic diagnostic, SyntaxNode node)
    {
        if (node.FirstAncestorOrSelf<ParameterListSyntax>() is not { Parent: TypeDeclarationSyntax declaration } parameters) return null;
        var names = parameters.Parameters.Select(p => p.Identifier.ValueText).ToImmutableHashSet();
        bool used = declaration.DescendantNodes().OfType<IdentifierNameSyntax>()
            .Any(n => names.Contains(n.Identifier.ValueText) && !parameters.Span.Contains(n.Span));
        if (used || declaration.BaseList?.Types.Any(t => t is PrimaryConstructorBaseTypeSyntax) == true) return null;
        // The list's trailing trivia (a space before ':' or '{') stays with what follows it.
        TypeDeclarationSyntax fixedDeclaration = declaration.WithParameterList(null)
            .WithIdentifier(declaration.Identifier.WithTrailingTrivia(declaration.Identifier.TrailingTrivia.AddRange(parameters.GetTrailingTrivia())));
        return new Replacement($"Remove the primary constructor of '{declaration.Identifier.ValueText}'", nameof(RemovePrimaryConstructorCodeFix), declaration, fixedDeclaration);
    }
}
