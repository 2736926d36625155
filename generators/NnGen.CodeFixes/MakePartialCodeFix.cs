using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NnGen.Generators;

namespace NnGen.CodeFixes;

/// <summary>NNG0001, NNG0008: adds <c>partial</c> to the network class, or to every type that contains it and lacks it.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFix)), Shared]
public sealed class MakePartialCodeFix : NodeReplacementCodeFix
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        [DiagnosticDescriptors.NotPartial.Id, DiagnosticDescriptors.ContainingTypeNotPartial.Id];

    protected override Replacement? Replace(Diagnostic diagnostic, SyntaxNode node)
    {
        if (node.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } network) return null;
        if (diagnostic.Id == DiagnosticDescriptors.NotPartial.Id)
            return IsPartial(network) ? null : new Replacement($"Make '{network.Identifier.ValueText}' partial", nameof(MakePartialCodeFix), network, AddPartial(network));

        // NNG0008 is reported at the network class (a diagnostic stays within the symbol it is about); fix its containers.
        var containers = network.Ancestors().OfType<TypeDeclarationSyntax>().Where(t => !IsPartial(t)).ToList();
        if (containers.Count == 0) return null;
        TypeDeclarationSyntax outermost = containers[containers.Count - 1];
        TypeDeclarationSyntax rewritten = AddPartial(outermost.ReplaceNodes(containers.Take(containers.Count - 1), (_, inner) => AddPartial(inner)));
        return new Replacement($"Make {string.Join(" and ", containers.Select(c => $"'{c.Identifier.ValueText}'"))} partial", nameof(MakePartialCodeFix) + "Containers", outermost, rewritten);
    }

    private static bool IsPartial(TypeDeclarationSyntax declaration) => declaration.Modifiers.Any(SyntaxKind.PartialKeyword);

    /// <summary>C# wants <c>partial</c> last among the modifiers, right before the type keyword.</summary>
    private static TypeDeclarationSyntax AddPartial(TypeDeclarationSyntax declaration)
    {
        if (declaration.Modifiers.Count > 0)
            return declaration.AddModifiers(SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space));
        SyntaxToken keyword = declaration.Keyword;
        SyntaxToken partial = SyntaxFactory.Token(keyword.LeadingTrivia, SyntaxKind.PartialKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));
        return declaration.WithKeyword(keyword.WithLeadingTrivia()).WithModifiers(SyntaxFactory.TokenList(partial));
    }
}
