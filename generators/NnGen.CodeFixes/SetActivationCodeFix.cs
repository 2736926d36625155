using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NnGen.Generators;

namespace NnGen.CodeFixes;

/// <summary>
/// NNG0103, NNG0201, NNG0202, NNG0203: changes a layer's activation to the one the diagnostic names (ReLU for a hidden
/// softmax or a deep sigmoid/tanh stack, softmax or sigmoid for the output the loss expects), adding the argument if absent.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SetActivationCodeFix)), Shared]
public sealed class SetActivationCodeFix : NodeReplacementCodeFix
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
    [
        DiagnosticDescriptors.BinaryOutputsNotSigmoid.Id, DiagnosticDescriptors.SoftmaxInHiddenLayer.Id,
        DiagnosticDescriptors.OutputActivationDoesNotFitLoss.Id, DiagnosticDescriptors.SaturatingDeepStack.Id,
    ];

    protected override Replacement? Replace(Diagnostic diagnostic, SyntaxNode node)
    {
        if (Property(diagnostic, DiagnosticDescriptors.Properties.Activation) is not { } activation) return null;
        // One equivalence key for every activation: Fix All applies each diagnostic's own fix (Softmax here, Sigmoid there).
        string title = $"Use {activation}", key = nameof(SetActivationCodeFix);

        if (ArgumentExpression(node) is { } expression)
        {
            // Keep the user's spelling: Activation.Softmax -> Activation.Relu, Softmax (using static) -> Relu.
            ExpressionSyntax replacement = expression switch
            {
                MemberAccessExpressionSyntax access => access.WithName(SyntaxFactory.IdentifierName(activation)),
                IdentifierNameSyntax => SyntaxFactory.IdentifierName(activation),
                _ => Qualified("global::NnGen.Activation." + activation),
            };
            return new Replacement(title, key, expression, replacement);
        }
        if (node.FirstAncestorOrSelf<AttributeSyntax>() is { ArgumentList: { Arguments.Count: > 0 } list } attribute)
        {
            // No activation argument (linear by default): add one after the units.
            AttributeArgumentSyntax argument = SyntaxFactory.AttributeArgument(Qualified("global::NnGen.Activation." + activation));
            if (AnyNamedColon(attribute)) argument = argument.WithNameColon(SyntaxFactory.NameColon("activation"));
            return new Replacement(title, key, attribute, attribute.WithArgumentList(list.WithArguments(list.Arguments.Insert(1, argument))));
        }
        return null;
    }
}
