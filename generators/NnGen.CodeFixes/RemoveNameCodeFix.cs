using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NnGen.Generators;

namespace NnGen.CodeFixes;

/// <summary>NNG0019: removes an empty or unprintable <c>Name = ...</c>, so the network or layer gets its default name.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveNameCodeFix)), Shared]
public sealed class RemoveNameCodeFix : NodeReplacementCodeFix
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticDescriptors.InvalidName.Id];

    protected override Replacement? Replace(Diagnostic diagnostic, SyntaxNode node)
    {
        if (node.FirstAncestorOrSelf<AttributeArgumentSyntax>() is not { Parent: AttributeArgumentListSyntax list } argument ||
            list.Parent is not AttributeSyntax attribute)
            return null;
        var arguments = list.Arguments.Remove(argument);
        // [BatchNormalization(Name = "")] becomes [BatchNormalization], not [BatchNormalization()].
        AttributeSyntax fixedAttribute = arguments.Count == 0 ? attribute.WithArgumentList(null) : attribute.WithArgumentList(list.WithArguments(arguments));
        return new Replacement("Remove the name (use the default)", nameof(RemoveNameCodeFix), attribute, fixedAttribute);
    }
}
