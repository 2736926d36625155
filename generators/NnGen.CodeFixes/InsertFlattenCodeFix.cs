using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NnGen.Generators;

namespace NnGen.CodeFixes;

/// <summary>NNG0107: inserts <c>[Flatten]</c> before a Dense layer that follows an image or a sequence.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InsertFlattenCodeFix)), Shared]
public sealed class InsertFlattenCodeFix : NodeReplacementCodeFix
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticDescriptors.NeedsFlatInput.Id];

    protected override Replacement? Replace(Diagnostic diagnostic, SyntaxNode node)
    {
        if (node.FirstAncestorOrSelf<AttributeSyntax>() is not { Parent: AttributeListSyntax list } attribute) return null;
        AttributeSyntax flatten = SyntaxFactory.Attribute(SyntaxFactory.IdentifierName("Flatten"));
        const string title = "Insert [Flatten] before the layer";
        int position = list.Attributes.IndexOf(attribute);
        if (position > 0 || list.Parent is not MemberDeclarationSyntax owner)
            return new Replacement(title, nameof(InsertFlattenCodeFix), list, list.WithAttributes(list.Attributes.Insert(position, flatten)));
        // [Flatten] on a line of its own, indented as the layer's attribute (which is never the first: [Sequential] precedes it).
        SyntaxTriviaList indentation = SyntaxFactory.TriviaList(list.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)));
        AttributeListSyntax own = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(flatten))
            .WithLeadingTrivia(indentation).WithTrailingTrivia(SyntaxFactory.EndOfLine("\n"));
        SyntaxList<AttributeListSyntax> lists = owner.AttributeLists.Insert(owner.AttributeLists.IndexOf(list), own);
        return new Replacement(title, nameof(InsertFlattenCodeFix), owner, owner.WithAttributeLists(lists));
    }
}
