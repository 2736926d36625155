using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace NnGen.CodeFixes;

/// <summary>One replacement of a syntax node, offered as a code action.</summary>
public sealed record Replacement(string Title, string EquivalenceKey, SyntaxNode Node, SyntaxNode NewNode);

/// <summary>
/// The shape of every NnGen code fix: find the node a diagnostic points at (or its first additional location) and
/// replace it by another. Fix All batches the replacements.
/// </summary>
public abstract class NodeReplacementCodeFix : CodeFixProvider
{
    public sealed override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null) return;
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            Location? location = TargetLocation(diagnostic);
            if (location is null || !location.IsInSource || location.SourceTree != root.SyntaxTree) continue;
            if (Replace(diagnostic, root.FindNode(location.SourceSpan, getInnermostNodeForTie: true)) is not { } r) continue;
            context.RegisterCodeFix(
                CodeAction.Create(r.Title, _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(r.Node, r.NewNode.WithTriviaFrom(r.Node)))), r.EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary>Where the node to replace is; the diagnostic's own location unless overridden.</summary>
    protected virtual Location? TargetLocation(Diagnostic diagnostic) => diagnostic.Location;

    /// <summary>The replacement for <paramref name="node"/>, or null when this diagnostic has no fix.</summary>
    protected abstract Replacement? Replace(Diagnostic diagnostic, SyntaxNode node);

    /// <summary>The value of a diagnostic property, or null.</summary>
    protected static string? Property(Diagnostic diagnostic, string key) =>
        diagnostic.Properties.TryGetValue(key, out string? value) ? value : null;

    /// <summary><c>global::</c>-qualified name that the simplifier shortens to what the file's usings allow.</summary>
    protected static ExpressionSyntax Qualified(string name) =>
        SyntaxFactory.ParseExpression(name).WithAdditionalAnnotations(Simplifier.Annotation);

    protected static LiteralExpressionSyntax Number(int value) =>
        SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(value));

    /// <summary>The argument expression an attribute diagnostic points at, when it points at one (not at the whole attribute).</summary>
    protected static ExpressionSyntax? ArgumentExpression(SyntaxNode node) =>
        node.FirstAncestorOrSelf<AttributeArgumentSyntax>() is { } argument && argument.Expression.Span.Contains(node.Span) ? argument.Expression : null;

    protected static bool AnyNamedColon(AttributeSyntax attribute) =>
        attribute.ArgumentList?.Arguments.Any(a => a.NameColon is not null) == true;
}
