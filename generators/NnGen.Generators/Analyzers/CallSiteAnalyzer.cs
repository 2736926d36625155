using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace NnGen.Generators.Analyzers;

/// <summary>
/// NNG0301-NNG0303: calls of Predict, PredictClass, ComputeGradients, ComputeLoss, Fit and Evaluate on a [Sequential]
/// network whose input, output or target buffer has a compile-time constant length that does not fit the network:
/// <c>new float[100]</c>, <c>new float[] { ... }</c>, <c>stackalloc float[100]</c>, a collection expression, or a local
/// initialised with one of those and never reassigned.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CallSiteAnalyzer : DiagnosticAnalyzer
{
    private const string Extensions = "NnGen.NetworkExtensions";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
    [
        DiagnosticDescriptors.InputLength, DiagnosticDescriptors.OutputLength, DiagnosticDescriptors.TargetLength, DiagnosticDescriptors.InternalFailure,
    ];

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (start.Compilation.GetTypeByMetadataName(Parser.SequentialAttribute) is null) return;
            var sizes = new ConcurrentDictionary<INamedTypeSymbol, NetworkSizes?>(SymbolEqualityComparer.Default);
            start.RegisterOperationAction(c => Analyze(c, sizes), OperationKind.Invocation);
        });
    }

    private static void Analyze(OperationAnalysisContext context, ConcurrentDictionary<INamedTypeSymbol, NetworkSizes?> cache)
    {
        var invocation = (IInvocationOperation)context.Operation;
        IMethodSymbol method = invocation.TargetMethod;
        if (method.Name is not ("Predict" or "PredictClass" or "ComputeGradients" or "ComputeLoss" or "Fit" or "Evaluate")) return;
        try
        {
            INamedTypeSymbol? network = Network(invocation);
            if (network is null) return;
            NetworkSizes? sizes = cache.GetOrAdd(network, t => Parser.SequentialOf(t) is { } s && Parser.Parse(t, s, context.CancellationToken).Spec is { } spec ? ShapeInference.Sizes(spec) : null);
            if (sizes is not null) new Call(context, invocation, network, sizes).Check();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalFailure, invocation.Syntax.GetLocation(),
                "analyze the call to", method.Name, $"{e.GetType().Name}: {e.Message}"));
        }
    }

    /// <summary>The [Sequential] class a call is made on: the generated entry points, or NetworkExtensions on a network-typed receiver.</summary>
    private static INamedTypeSymbol? Network(IInvocationOperation invocation)
    {
        IMethodSymbol method = invocation.TargetMethod;
        INamedTypeSymbol? type;
        if (method.IsExtensionMethod && method.ContainingType.ToDisplayString() == Extensions && invocation.Arguments.Length > 0)
            type = Unwrap(invocation.Arguments[0].Value).Type as INamedTypeSymbol;
        else if (GeneratedMembers.Is(method, GeneratedMembers.Predict) || GeneratedMembers.Is(method, GeneratedMembers.ComputeGradients) || GeneratedMembers.Is(method, GeneratedMembers.ComputeLoss))
            type = method.ContainingType;
        else
            return null;
        return type is not null && Parser.SequentialOf(type) is not null ? type : null;
    }

    private static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation conversion) operation = conversion.Operand;
        return operation;
    }

    /// <summary>A buffer of constant length; <see cref="Size"/> is the size expression a fix can replace (<c>100</c> in <c>new float[100]</c>), if any.</summary>
    private sealed record Buffer(IArgumentOperation Argument, int Length, SyntaxNode? Size);

    private sealed class Call(OperationAnalysisContext context, IInvocationOperation invocation, INamedTypeSymbol network, NetworkSizes sizes)
    {
        private readonly string _method = invocation.TargetMethod.Name;

        public void Check()
        {
            Buffer? inputs = Argument("inputs") ?? Argument("input");
            Buffer? outputs = Argument("outputs"), targets = Argument("targets");
            bool single = _method == "PredictClass";
            bool needsSamples = _method is "ComputeGradients" or "ComputeLoss" or "Fit";

            int? rows = null;
            if (inputs is not null)
            {
                int length = inputs.Length;
                if (single && length != sizes.Input)
                    Report(DiagnosticDescriptors.InputLength, inputs, $"one sample of {PerSample(sizes.Input, "input")}", 1, "InputSize");
                else if (!single && (length % sizes.Input != 0 || (needsSamples && length == 0)))
                    Report(DiagnosticDescriptors.InputLength, inputs, $"{(needsSamples ? "one or more whole" : "a whole number of")} samples of {PerSample(sizes.Input, "input")}",
                        Nearest(length, sizes.Input), "InputSize");
                else
                    rows = length / sizes.Input;
            }
            if (outputs is not null) CheckPerSample(DiagnosticDescriptors.OutputLength, outputs, rows, sizes.Output, "output", "OutputSize");
            if (targets is not null) CheckPerSample(DiagnosticDescriptors.TargetLength, targets, rows, sizes.Target, "target", "TargetSize");
        }

        /// <summary>Outputs and targets: exactly <paramref name="rows"/> samples when the input's are known, else a whole number of samples.</summary>
        private void CheckPerSample(DiagnosticDescriptor descriptor, Buffer buffer, int? rows, int perSample, string what, string constant)
        {
            if (rows is { } n && buffer.Length != n * perSample)
                Report(descriptor, buffer, $"{n * perSample} ({(n == 1 ? "1 sample" : $"{n} samples")} of {PerSample(perSample, what)})", Math.Max(n, 1), constant);
            else if (rows is null && buffer.Length % perSample != 0)
                Report(descriptor, buffer, $"a whole number of samples of {PerSample(perSample, what)}", Nearest(buffer.Length, perSample), constant);
        }

        private static string PerSample(int floats, string what) => $"{floats} {what}{(floats == 1 ? "" : "s")}";

        private static int Nearest(int length, int perSample) => Math.Max(1, (int)Math.Round((double)length / perSample));

        private void Report(DiagnosticDescriptor descriptor, Buffer buffer, string expected, int rows, string constant)
        {
            var properties = ImmutableDictionary<string, string?>.Empty
                .Add(DiagnosticDescriptors.Properties.Rows, rows.ToString(CultureInfo.InvariantCulture))
                .Add(DiagnosticDescriptors.Properties.SizeConstant, constant)
                .Add(DiagnosticDescriptors.Properties.Network, network.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
            Location[] fixable = buffer.Size is null ? [] : [buffer.Size.GetLocation()];
            context.ReportDiagnostic(Diagnostic.Create(descriptor, buffer.Argument.Value.Syntax.GetLocation(), fixable, properties,
                _method, buffer.Length, network.Name, expected));
        }

        private Buffer? Argument(string parameter)
        {
            IArgumentOperation? argument = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == parameter && a.ArgumentKind == ArgumentKind.Explicit);
            return argument is not null && ConstantLength(argument.Value, 0) is var (length, size) ? new Buffer(argument, length, size) : null;
        }
    }

    /// <summary>The length of a buffer expression when it is a compile-time constant, and the size expression that states it.</summary>
    private static (int Length, SyntaxNode? Size)? ConstantLength(IOperation value, int depth)
    {
        value = Unwrap(value);
        switch (value)
        {
            case IArrayCreationOperation { DimensionSizes.Length: 1 } array:
                IOperation size = array.DimensionSizes[0];
                return size.ConstantValue is { HasValue: true, Value: int n } ? (n, size.IsImplicit ? null : size.Syntax) : null;
            case ICollectionExpressionOperation collection:
                return collection.Elements.Any(e => e is ISpreadOperation) ? null : (collection.Elements.Length, null);
            case ILocalReferenceOperation local when depth < 4 && value.SemanticModel is { } model:
                return SingleInitializer(local.Local, model) is { } initializer && model.GetOperation(initializer, default) is { } init
                    ? ConstantLength(init, depth + 1) : null;
        }
        return value.Syntax switch
        {
            StackAllocArrayCreationExpressionSyntax { Type: ArrayTypeSyntax { RankSpecifiers.Count: 1 } type } when type.RankSpecifiers[0].Sizes is { Count: 1 } sizes && sizes[0] is not OmittedArraySizeExpressionSyntax =>
                value.SemanticModel?.GetConstantValue(sizes[0]) is { HasValue: true, Value: int n } ? (n, sizes[0]) : null,
            StackAllocArrayCreationExpressionSyntax { Initializer: { } init } => (init.Expressions.Count, null),
            ImplicitStackAllocArrayCreationExpressionSyntax s => (s.Initializer.Expressions.Count, null),
            _ => null,
        };
    }

    /// <summary>The initialiser of a local that is never assigned again (nor passed by reference), so its length is the initialiser's.</summary>
    private static ExpressionSyntax? SingleInitializer(ILocalSymbol local, SemanticModel model)
    {
        if (local.IsRef || local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is not VariableDeclaratorSyntax { Initializer.Value: { } initializer } declarator)
            return null;
        if (declarator.SyntaxTree != model.SyntaxTree) return null;
        SyntaxNode scope = declarator.FirstAncestorOrSelf<BlockSyntax>() ?? declarator.SyntaxTree.GetRoot();
        foreach (IdentifierNameSyntax use in scope.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (use.Identifier.ValueText != local.Name) continue;
            bool written = use.Parent switch
            {
                AssignmentExpressionSyntax assignment => assignment.Left == use,
                ArgumentSyntax argument => !argument.RefKindKeyword.IsKind(SyntaxKind.None) && !argument.RefKindKeyword.IsKind(SyntaxKind.InKeyword),
                RefExpressionSyntax => true,
                _ => false,
            };
            if (written && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(use).Symbol, local)) return null;
        }
        return initializer;
    }
}
