using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NnGen.Generators.Model;

namespace NnGen.Generators;

/// <summary>The parser's output: the spec to emit (null when it cannot be generated) and the diagnostics found.</summary>
internal sealed record ParseResult(NetworkSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>Reads a [Sequential] class and its layer attributes into a <see cref="NetworkSpec"/>.</summary>
internal static class Parser
{
    public const string SequentialAttribute = "NnGen.SequentialAttribute";
    public const string DenseAttribute = "NnGen.DenseAttribute";

    /// <summary>Layer attributes by metadata name, with the Keras default name of the layer kind.</summary>
    private static readonly Dictionary<string, (LayerKind Kind, string DefaultName)> LayerAttributes = new()
    {
        [DenseAttribute] = (LayerKind.Dense, "dense"),
        ["NnGen.DropoutAttribute"] = (LayerKind.Dropout, "dropout"),
        ["NnGen.BatchNormalizationAttribute"] = (LayerKind.BatchNormalization, "batch_normalization"),
        ["NnGen.ActivationAttribute"] = (LayerKind.Activation, "activation"),
    };

    public static ParseResult Parse(INamedTypeSymbol type, AttributeData sequential, CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>();
        NetworkSpec? spec = ParseCore(type, sequential, diagnostics, cancellationToken);
        bool hasErrors = diagnostics.Any(d => DiagnosticDescriptors.ById(d.Id).DefaultSeverity == DiagnosticSeverity.Error);
        return new ParseResult(hasErrors ? null : spec, diagnostics.ToEquatableArray());
    }

    private static NetworkSpec? ParseCore(INamedTypeSymbol type, AttributeData sequential, List<DiagnosticInfo> diagnostics, CancellationToken ct)
    {
        var sequentialSyntax = sequential.ApplicationSyntaxReference?.GetSyntax(ct) as AttributeSyntax;
        Location typeLocation = type.Locations.FirstOrDefault() ?? Location.None;
        string typeName = type.Name;
        string identifier = Identifier(type.Name);

        // The class itself.
        var declarations = type.DeclaringSyntaxReferences.Select(r => r.GetSyntax(ct)).OfType<TypeDeclarationSyntax>().ToList();
        if (!declarations.Any(d => d.Modifiers.Any(SyntaxKind.PartialKeyword)))
        {
            Location at = sequentialSyntax?.Parent?.Parent is TypeDeclarationSyntax decl ? decl.Identifier.GetLocation() : typeLocation;
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotPartial, at, typeName));
        }
        if (type.IsStatic)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.StaticClass, typeLocation, typeName));
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
        {
            if (t.TypeParameters.Length > 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GenericType, typeLocation, typeName));
                break;
            }
        }
        var containing = new List<ContainingType>();
        for (INamedTypeSymbol? t = type.ContainingType; t is not null; t = t.ContainingType)
        {
            var decls = t.DeclaringSyntaxReferences.Select(r => r.GetSyntax(ct)).OfType<TypeDeclarationSyntax>().ToList();
            if (!decls.Any(d => d.Modifiers.Any(SyntaxKind.PartialKeyword)))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ContainingTypeNotPartial, typeLocation, typeName, t.Name));
            containing.Insert(0, new ContainingType(Keyword(decls.FirstOrDefault()), Identifier(t.Name)));
        }

        // [Sequential(...)] named arguments.
        var args = sequential.NamedArguments.ToDictionary(a => a.Key, a => a.Value);
        int input = 0;
        if (!args.TryGetValue("Input", out TypedConstant inputArg))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingInput, sequentialSyntax?.GetLocation() ?? typeLocation, typeName));
        else if ((input = inputArg.Value is int i ? i : 0) <= 0)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NonPositiveSize, ArgumentLocation(sequentialSyntax, "Input", -1), "Input", $"network '{typeName}'", input));

        var loss = (LossKind)EnumArgument(args, "Loss", (int)LossKind.CategoricalCrossEntropy, typeof(LossKind), "Loss", sequentialSyntax, $"network '{typeName}'", diagnostics);
        var optimizerKind = (OptimizerKind)EnumArgument(args, "Optimizer", (int)OptimizerKind.Adam, typeof(OptimizerKind), "Optimizer", sequentialSyntax, $"network '{typeName}'", diagnostics);

        double Number(string name, double fallback) =>
            args.TryGetValue(name, out TypedConstant c) && c.Value is not null ? Convert.ToDouble(c.Value, System.Globalization.CultureInfo.InvariantCulture) : fallback;
        double learningRate = Number("LearningRate", optimizerKind == OptimizerKind.Sgd ? 0.01 : 1e-3);
        var optimizer = new OptimizerSpec(optimizerKind, learningRate, Number("Momentum", 0),
            args.TryGetValue("Nesterov", out TypedConstant n) && n.Value is true,
            Number("Beta1", 0.9), Number("Beta2", 0.999), Number("Epsilon", 1e-7),
            Number("WeightDecay", 0.004), Number("Rho", 0.9), Number("ClipValue", 0), Number("GlobalClipNorm", 0));
        CheckRange(optimizer.LearningRate, v => v > 0 && !double.IsInfinity(v), "LearningRate", "greater than 0");
        CheckRange(optimizer.Momentum, v => v >= 0 && v < 1, "Momentum", "in [0, 1)");
        CheckRange(optimizer.Beta1, v => v >= 0 && v < 1, "Beta1", "in [0, 1)");
        CheckRange(optimizer.Beta2, v => v >= 0 && v < 1, "Beta2", "in [0, 1)");
        CheckRange(optimizer.Epsilon, v => v > 0, "Epsilon", "greater than 0");
        CheckRange(optimizer.WeightDecay, v => v >= 0 && !double.IsInfinity(v), "WeightDecay", "0 or more");
        CheckRange(optimizer.Rho, v => v >= 0 && v < 1, "Rho", "in [0, 1)");
        if (args.ContainsKey("ClipValue")) CheckRange(optimizer.ClipValue, v => v > 0 && !double.IsInfinity(v), "ClipValue", "greater than 0");
        if (args.ContainsKey("GlobalClipNorm")) CheckRange(optimizer.GlobalClipNorm, v => v > 0 && !double.IsInfinity(v), "GlobalClipNorm", "greater than 0");
        if (args.ContainsKey("ClipValue") && args.ContainsKey("GlobalClipNorm"))
            CheckRange(optimizer.GlobalClipNorm, _ => false, "GlobalClipNorm", "left unset when ClipValue is set (Keras allows one clipping mode)");
        void CheckRange(double value, Func<double, bool> ok, string name, string expected)
        {
            if (!ok(value))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidHyperparameter, ArgumentLocation(sequentialSyntax, name, -1), name, typeName,
                    value.ToString("R", System.Globalization.CultureInfo.InvariantCulture), expected));
        }
        int seed = args.TryGetValue("Seed", out TypedConstant s) && s.Value is int sv ? sv : 0;
        string modelName = args.TryGetValue("Name", out TypedConstant nm) && nm.Value is string str && str.Length > 0 ? str : "sequential";

        // Layers, in source order, all on one declaration.
        var layerAttributes = type.GetAttributes()
            .Where(a => a.AttributeClass is not null && LayerAttributes.ContainsKey(a.AttributeClass.ToDisplayString()))
            .Select(a => (Data: a, Syntax: a.ApplicationSyntaxReference?.GetSyntax(ct) as AttributeSyntax))
            .ToList();
        if (layerAttributes.Count == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoLayers, sequentialSyntax?.GetLocation() ?? typeLocation, typeName));
            return null;
        }
        var owners = layerAttributes.Select(l => l.Syntax?.FirstAncestorOrSelf<TypeDeclarationSyntax>()).Distinct().ToList();
        if (owners.Count > 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayersSplit, typeLocation, typeName));
            return null;
        }
        layerAttributes.Sort((a, b) => (a.Syntax?.SpanStart ?? 0).CompareTo(b.Syntax?.SpanStart ?? 0));

        var layers = new List<LayerSpec>();
        var kindCounts = new Dictionary<LayerKind, int>();
        int inputs = input;
        foreach (var (data, syntax) in layerAttributes)
        {
            int index = layers.Count + 1;
            var (kind, baseName) = LayerAttributes[data.AttributeClass!.ToDisplayString()];
            kindCounts.TryGetValue(kind, out int count);
            kindCounts[kind] = count + 1;
            if (data.AttributeConstructor is null)
                return null; // the compiler already reports the malformed attribute
            var named = data.NamedArguments.ToDictionary(a => a.Key, a => a.Value);
            string name = named.TryGetValue("Name", out TypedConstant ln) && ln.Value is string lns && lns.Length > 0 ? lns : count == 0 ? baseName : $"{baseName}_{count}";
            string where = $"{kind} layer {index} ('{name}')";
            double LayerNumber(string key, double fallback) =>
                named.TryGetValue(key, out TypedConstant c) && c.Value is not null ? Convert.ToDouble(c.Value, System.Globalization.CultureInfo.InvariantCulture) : fallback;
            void Range(double value, bool ok, string argument, int position, string expected)
            {
                if (!ok)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidHyperparameter, ArgumentLocation(syntax, argument, position), argument, where,
                        value.ToString("R", System.Globalization.CultureInfo.InvariantCulture), expected));
            }
            LayerSpec layer;
            switch (kind)
            {
                case LayerKind.Dense:
                {
                    if (data.ConstructorArguments.Length < 1) return null;
                    int units = data.ConstructorArguments[0].Value is int u ? u : 0;
                    if (units <= 0)
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NonPositiveSize, ArgumentLocation(syntax, "units", 0), "Units", where, units));
                    int activationValue = data.ConstructorArguments.Length > 1 && data.ConstructorArguments[1].Value is int a ? a : 0;
                    if (!Enum.IsDefined(typeof(ActivationKind), activationValue))
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownEnumValue, ArgumentLocation(syntax, "activation", 1), "Activation", where, activationValue, "Activation"));
                    int declaredInputs = named.TryGetValue("Inputs", out TypedConstant di) && di.Value is int dv ? dv : 0;
                    if (named.ContainsKey("Inputs") && declaredInputs <= 0)
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NonPositiveSize, ArgumentLocation(syntax, "Inputs", -1), "Inputs", where, declaredInputs));
                    double l1 = LayerNumber("L1", 0), l2 = LayerNumber("L2", 0);
                    Range(l1, l1 >= 0 && !double.IsInfinity(l1), "L1", -1, "0 or more");
                    Range(l2, l2 >= 0 && !double.IsInfinity(l2), "L2", -1, "0 or more");
                    int initializer = named.TryGetValue("KernelInitializer", out TypedConstant ki) && ki.Value is int kv ? kv : 0;
                    if (initializer is < 0 or > 7)
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownEnumValue, ArgumentLocation(syntax, "KernelInitializer", -1), "KernelInitializer", where, initializer, "Initializer"));
                    layer = new LayerSpec(kind, name, units, (ActivationKind)activationValue, declaredInputs, L1: l1, L2: l2, Initializer: initializer);
                    inputs = units;
                    break;
                }
                case LayerKind.Activation:
                {
                    int activationValue = data.ConstructorArguments.Length > 0 && data.ConstructorArguments[0].Value is int a ? a : 0;
                    if (!Enum.IsDefined(typeof(ActivationKind), activationValue))
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownEnumValue, ArgumentLocation(syntax, "activation", 0), "Activation", where, activationValue, "Activation"));
                    layer = new LayerSpec(kind, name, inputs, (ActivationKind)activationValue, 0);
                    break;
                }
                case LayerKind.Dropout:
                {
                    double rate = data.ConstructorArguments.Length > 0 && data.ConstructorArguments[0].Value is double r ? r : 0;
                    Range(rate, rate >= 0 && rate < 1, "rate", 0, "in [0, 1)");
                    layer = new LayerSpec(kind, name, inputs, ActivationKind.Linear, 0, Rate: rate);
                    break;
                }
                default:
                {
                    double momentum = LayerNumber("Momentum", 0.99), epsilon = LayerNumber("Epsilon", 1e-3);
                    Range(momentum, momentum >= 0 && momentum < 1, "Momentum", -1, "in [0, 1)");
                    Range(epsilon, epsilon > 0 && !double.IsInfinity(epsilon), "Epsilon", -1, "greater than 0");
                    layer = new LayerSpec(kind, name, inputs, ActivationKind.Linear, 0, Momentum: momentum, Epsilon: epsilon);
                    break;
                }
            }
            int previous = layers.FindIndex(l => l.Name == name);
            if (previous >= 0)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateLayerName, ArgumentLocation(syntax, "Name", -1), index, name, previous + 1));
            layers.Add(layer);
        }

        var spec = new NetworkSpec(
            type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(),
            containing.ToEquatableArray(), Keyword(declarations.FirstOrDefault()), identifier, modelName, input, loss, optimizer, seed, layers.ToEquatableArray());
        if (input > 0 && layers.All(l => l.Units > 0))
            CheckShapes(spec, layerAttributes.Select(l => l.Syntax).ToList(), diagnostics, typeLocation);
        return spec;
    }

    private static void CheckShapes(NetworkSpec spec, List<AttributeSyntax?> layerSyntax, List<DiagnosticInfo> diagnostics, Location? typeLocation)
    {
        long total = ShapeInference.ParameterCountChecked(spec);
        if (total > ShapeInference.MaxParameters)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TooLarge, typeLocation, spec.TypeName.TrimStart('@'),
                total.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), ShapeInference.MaxParameters.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)));
            return;
        }
        var shapes = ShapeInference.Infer(spec);
        for (int i = 0; i < shapes.Count; i++)
        {
            LayerShape shape = shapes[i];
            if (shape.Layer.DeclaredInputs > 0 && shape.Layer.DeclaredInputs != shape.Inputs)
            {
                string producer = i == 0 ? "the network input" : $"layer {i} ('{shapes[i - 1].Layer.Name}')";
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InputsMismatch, ArgumentLocation(layerSyntax[i], "Inputs", -1),
                    "Dense", i + 1, shape.Layer.Name, shape.Layer.DeclaredInputs, producer, shape.Inputs));
            }
        }
        LayerSpec output = spec.Layers[spec.Layers.Count - 1];
        string? needs = spec.Loss switch
        {
            LossKind.CategoricalCrossEntropy or LossKind.SparseCategoricalCrossEntropy when output.Units < 2 => "at least 2 (one per class)",
            LossKind.BinaryCrossEntropy when output.Activation != ActivationKind.Sigmoid => "sigmoid outputs (probabilities), one per label",
            _ => null,
        };
        if (needs is not null)
        {
            bool activationIsTheProblem = spec.Loss == LossKind.BinaryCrossEntropy;
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.OutputIncompatibleWithLoss,
                ArgumentLocation(layerSyntax[layerSyntax.Count - 1], activationIsTheProblem ? "activation" : "units", activationIsTheProblem ? 1 : 0),
                output.Name, output.Units, output.Units == 1 ? "" : "s", output.Activation.ToString().ToLowerInvariant(), Display(spec.Loss), needs));
        }
    }

    /// <summary>The name as a C# identifier: keywords get their '@'.</summary>
    private static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    private static string Keyword(TypeDeclarationSyntax? declaration) => declaration switch
    {
        RecordDeclarationSyntax r => r.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "record struct" : "record",
        StructDeclarationSyntax => "struct",
        InterfaceDeclarationSyntax => "interface",
        _ => "class",
    };

    public static string Display(LossKind loss) => loss switch
    {
        LossKind.CategoricalCrossEntropy => "categorical cross-entropy",
        LossKind.SparseCategoricalCrossEntropy => "sparse categorical cross-entropy",
        LossKind.BinaryCrossEntropy => "binary cross-entropy",
        _ => "mean squared error",
    };

    private static int EnumArgument(Dictionary<string, TypedConstant> args, string name, int fallback, Type enumType, string enumName,
        AttributeSyntax? syntax, string where, List<DiagnosticInfo> diagnostics)
    {
        if (!args.TryGetValue(name, out TypedConstant c) || c.Value is not int value) return fallback;
        if (Enum.IsDefined(enumType, value)) return value;
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownEnumValue, ArgumentLocation(syntax, name, -1), name, where, value, enumName));
        return fallback;
    }

    /// <summary>The location of one argument of an attribute: a named one (<c>Name = ...</c>, <c>name: ...</c>) or the positional one at <paramref name="position"/>.</summary>
    internal static Location? ArgumentLocation(AttributeSyntax? attribute, string name, int position)
    {
        if (attribute is null) return null;
        var arguments = attribute.ArgumentList?.Arguments ?? default;
        foreach (AttributeArgumentSyntax argument in arguments)
        {
            string? argName = argument.NameEquals?.Name.Identifier.ValueText ?? argument.NameColon?.Name.Identifier.ValueText;
            if (argName == name) return argument.Expression.GetLocation();
        }
        if (position >= 0 && position < arguments.Count && arguments[position].NameEquals is null && arguments[position].NameColon is null)
            return arguments[position].Expression.GetLocation();
        return attribute.GetLocation();
    }
}
