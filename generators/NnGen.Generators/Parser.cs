using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NnGen.Generators.Layers;
using NnGen.Generators.Model;

namespace NnGen.Generators;

/// <summary>
/// What <see cref="Parser"/> found in a [Sequential] class: the spec to emit (null when an error, or a compiler error in
/// the declaration, prevents generation) and every NNG diagnostic, at its exact source location.
/// </summary>
internal sealed class ParsedNetwork(NetworkSpec? spec, ImmutableArray<Diagnostic> diagnostics)
{
    public NetworkSpec? Spec { get; } = spec;
    public ImmutableArray<Diagnostic> Diagnostics { get; } = diagnostics;
}

/// <summary>
/// Reads a [Sequential] class and its layer attributes into a <see cref="NetworkSpec"/> and validates it: the one
/// path both the generator (which only needs the spec) and the declaration analyzer (which reports the diagnostics) run.
/// </summary>
internal static class Parser
{
    public const string SequentialAttribute = "NnGen.SequentialAttribute";
    public const string DenseAttribute = "NnGen.DenseAttribute";

    /// <summary>The layer kind an attribute declares, or null for any other attribute.</summary>
    private static LayerKind? LayerKindOf(AttributeData data) =>
        data.AttributeClass is { } c && LayerKind.All.TryGetValue(c.ToDisplayString(), out LayerKind? kind) ? kind : null;

    public const string NetworkInterface = "NnGen.INetwork";

    /// <summary>The model name when [Sequential] states none, as in Keras.</summary>
    public const string DefaultModelName = "sequential";

    /// <summary>
    /// Whether a network or layer name is usable: not empty, no leading or trailing white space, no control or
    /// line-separator characters and no unpaired surrogate (it would not survive the UTF-8 weights file).
    /// </summary>
    public static bool IsValidName(string name)
    {
        if (name.Length == 0 || char.IsWhiteSpace(name[0]) || char.IsWhiteSpace(name[name.Length - 1])) return false;
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsControl(c) || c is '\u2028' or '\u2029') return false;
            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1])) i++;
            else if (char.IsSurrogate(c)) return false;
        }
        return true;
    }

    /// <summary>The oldest C# the generated code compiles on (NNG0018).</summary>
    public static readonly LanguageVersion MinimumLanguageVersion = LanguageVersion.CSharp8;

    /// <summary>Hidden sigmoid/tanh layers from which a stack counts as deep (NNG0203).</summary>
    public const int SaturatingStackLimit = 4;

    /// <summary>The first [Sequential] attribute of <paramref name="type"/> (a second one is the compiler's CS0579), or null.</summary>
    public static AttributeData? SequentialOf(INamedTypeSymbol type) =>
        type.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == SequentialAttribute);

    /// <summary>
    /// NNG0017 for a class that has layer attributes but no [Sequential], at its first layer attribute in source order;
    /// null for any other class.
    /// </summary>
    public static Diagnostic? LayersWithoutSequential(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        AttributeSyntax? first = type.GetAttributes()
            .Where(a => LayerKindOf(a) is not null)
            .Select(a => a.ApplicationSyntaxReference?.GetSyntax(cancellationToken))
            .OfType<AttributeSyntax>()
            .OrderBy(a => a.SyntaxTree.FilePath, StringComparer.Ordinal).ThenBy(a => a.SpanStart)
            .FirstOrDefault();
        return first is null ? null : Diagnostic.Create(DiagnosticDescriptors.LayersWithoutSequential, first.GetLocation(), type.Name);
    }

    public static ParsedNetwork Parse(INamedTypeSymbol type, AttributeData sequential, CancellationToken cancellationToken)
    {
        var context = new Context(type, sequential, cancellationToken);
        NetworkSpec? spec = context.Parse();
        bool hasErrors = context.CannotGenerate || context.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
        return new ParsedNetwork(hasErrors ? null : spec, context.Diagnostics.ToImmutableArray());
    }

    /// <summary>One parse: the symbols, the attribute syntax, and the diagnostics found so far.</summary>
    private sealed class Context(INamedTypeSymbol type, AttributeData sequential, CancellationToken ct)
    {
        public readonly List<Diagnostic> Diagnostics = new();

        /// <summary>The declaration has a compiler error NnGen does not repeat (a wrong argument type, a missing constructor argument).</summary>
        public bool CannotGenerate;

        private readonly AttributeSyntax? _sequentialSyntax = sequential.ApplicationSyntaxReference?.GetSyntax(ct) as AttributeSyntax;
        private readonly Location _typeLocation = type.Locations.FirstOrDefault() ?? Location.None;
        private readonly string _typeName = type.Name;

        private void Report(DiagnosticDescriptor descriptor, Location? location, params object[] arguments) =>
            Report(descriptor, location, null, arguments);

        private void Report(DiagnosticDescriptor descriptor, Location? location, ImmutableDictionary<string, string?>? properties, params object[] arguments) =>
            Diagnostics.Add(Diagnostic.Create(descriptor, location ?? _typeLocation, properties, arguments));

        private static ImmutableDictionary<string, string?> Property(string key, string value) =>
            ImmutableDictionary<string, string?>.Empty.Add(key, value);

        public NetworkSpec? Parse()
        {
            List<TypeDeclarationSyntax> declarations = Declarations(type);
            CheckClass(declarations);

            if (sequential.AttributeConstructor is null)
            {
                CannotGenerate = true; // the compiler reports the malformed attribute
                return null;
            }
            var args = NamedArguments(sequential);
            string where = $"network '{_typeName}'";

            Shape? input = ParseInput(args, where);

            var loss = (LossKind)EnumArgument(args, "Loss", (int)LossKind.CategoricalCrossEntropy, typeof(LossKind), _sequentialSyntax, where);
            var optimizerKind = (OptimizerKind)EnumArgument(args, "Optimizer", (int)OptimizerKind.Adam, typeof(OptimizerKind), _sequentialSyntax, where);
            OptimizerSpec optimizer = ParseOptimizer(args, optimizerKind);

            int classes = 0;
            if (args.TryGetValue("Classes", out TypedConstant classesArg) && IntValue(classesArg) is int c && (classes = c) <= 0)
                Report(DiagnosticDescriptors.NonPositiveSize, ArgumentLocation(_sequentialSyntax, "Classes", -1), "Classes", where, classes);
            int seed = args.TryGetValue("Seed", out TypedConstant s) ? IntValue(s) ?? 0 : 0;
            string modelName = StatedName(args, _sequentialSyntax, where, DefaultModelName) ?? DefaultModelName;

            var layerAttributes = type.GetAttributes()
                .Where(a => LayerKindOf(a) is not null)
                .Select(a => (Data: a, Syntax: a.ApplicationSyntaxReference?.GetSyntax(ct) as AttributeSyntax))
                .ToList();
            CheckMembers(layerAttributes.Select(l => LayerKindOf(l.Data)!).ToList(), declarations);
            if (layerAttributes.Count == 0)
            {
                Report(DiagnosticDescriptors.NoLayers, _sequentialSyntax?.GetLocation(), _typeName);
                return null;
            }
            var firstOwner = layerAttributes[0].Syntax?.FirstAncestorOrSelf<TypeDeclarationSyntax>();
            var stray = layerAttributes.FirstOrDefault(l => l.Syntax?.FirstAncestorOrSelf<TypeDeclarationSyntax>() != firstOwner);
            if (stray.Data is not null)
            {
                Report(DiagnosticDescriptors.LayersSplit, stray.Syntax?.GetLocation(), _typeName);
                return null;
            }
            layerAttributes.Sort((a, b) => (a.Syntax?.SpanStart ?? 0).CompareTo(b.Syntax?.SpanStart ?? 0));
            List<LayerSpec> layers = ParseLayers(layerAttributes);
            if (CannotGenerate) return null;

            var spec = new NetworkSpec(
                type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(),
                Containing(type), Keyword(declarations.FirstOrDefault()), Identifier(type.Name), modelName, input ?? Shape.Of(0), loss, optimizer, seed,
                layers.ToEquatableArray());
            if (input is not null && layers.All(l => l.SizesDeclared))
                CheckShapes(spec, classes, layerAttributes);
            return spec;
        }

        /// <summary>The sample shape from Input (flat) or InputShape (channels last); null when missing or unusable (reported).</summary>
        private Shape? ParseInput(Dictionary<string, TypedConstant> args, string where)
        {
            bool flat = args.TryGetValue("Input", out TypedConstant inputArg), shaped = args.TryGetValue("InputShape", out TypedConstant shapeArg);
            int[]? dims = shaped && shapeArg.Kind == TypedConstantKind.Array && !shapeArg.IsNull ? shapeArg.Values.Select(v => IntValue(v) ?? 0).ToArray() : null;
            if (shaped && (shapeArg.Kind == TypedConstantKind.Error || dims is not null && shapeArg.Values.Any(v => v.Kind == TypedConstantKind.Error)))
                return null; // an InputShape the compiler could not bind: its error, not NnGen's
            if (!flat && (!shaped || dims is null))
            {
                Report(DiagnosticDescriptors.MissingInput, shaped ? ArgumentLocation(_sequentialSyntax, "InputShape", -1) : _sequentialSyntax?.GetLocation(), _typeName);
                return null;
            }
            if (flat && shaped)
            {
                Report(DiagnosticDescriptors.InputStatedTwice, ArgumentLocation(_sequentialSyntax, "InputShape", -1), _typeName,
                    IntValue(inputArg) ?? 0, dims is null ? "null" : Shape.Of(dims).ToString());
                return null;
            }
            if (flat)
            {
                if (IntValue(inputArg) is not int input) return null; // a wrong type: the compiler's error
                if (input > 0) return Shape.Of(input);
                Report(DiagnosticDescriptors.NonPositiveSize, ArgumentLocation(_sequentialSyntax, "Input", -1), "Input", where, input);
                return null;
            }
            Location? at = ArgumentLocation(_sequentialSyntax, "InputShape", -1);
            if (dims!.Length is < 1 or > 3)
            {
                Report(DiagnosticDescriptors.InvalidInputShape, at, _typeName, Shape.Of(dims).ToString(), dims.Length);
                return null;
            }
            for (int d = 0; d < dims.Length; d++)
            {
                if (dims[d] > 0) continue;
                Report(DiagnosticDescriptors.NonPositiveSize, at, $"InputShape[{d}]", where, dims[d]);
                return null;
            }
            return Shape.Of(dims);
        }

        private List<TypeDeclarationSyntax> Declarations(INamedTypeSymbol t) =>
            t.DeclaringSyntaxReferences.Select(r => r.GetSyntax(ct)).OfType<TypeDeclarationSyntax>().ToList();

        private void CheckClass(List<TypeDeclarationSyntax> declarations)
        {
            if (!declarations.Any(d => d.Modifiers.Any(SyntaxKind.PartialKeyword)))
            {
                Location at = _sequentialSyntax?.FirstAncestorOrSelf<TypeDeclarationSyntax>() is { } decl ? decl.Identifier.GetLocation() : _typeLocation;
                Report(DiagnosticDescriptors.NotPartial, at, _typeName);
            }
            if (type.IsStatic)
                Report(DiagnosticDescriptors.StaticClass, _typeLocation, _typeName);
            for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
            {
                if (t.TypeParameters.Length > 0)
                {
                    Report(DiagnosticDescriptors.GenericType, _typeLocation, _typeName);
                    break;
                }
            }
            for (INamedTypeSymbol? t = type.ContainingType; t is not null; t = t.ContainingType)
            {
                if (!Declarations(t).Any(d => d.Modifiers.Any(SyntaxKind.PartialKeyword)))
                    Report(DiagnosticDescriptors.ContainingTypeNotPartial, _typeLocation, _typeName, t.Name);
            }
            if (declarations.FirstOrDefault(d => d.ParameterList is not null) is { ParameterList: { } primary })
                Report(DiagnosticDescriptors.PrimaryConstructor, primary.GetLocation(), _typeName,
                    string.Join(", ", primary.Parameters.Select(p => p.Type?.ToString() ?? p.Identifier.ValueText)));
            if (_sequentialSyntax?.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: var version } && version < MinimumLanguageVersion)
                Report(DiagnosticDescriptors.LanguageVersionTooOld, _sequentialSyntax.GetLocation(), _typeName, Display(version), Display(MinimumLanguageVersion));
            CheckBaseConstructor(declarations);
        }

        /// <summary>NNG0020: the generated constructors call base(), which needs a constructor without arguments.</summary>
        private void CheckBaseConstructor(List<TypeDeclarationSyntax> declarations)
        {
            if (type.BaseType is not { SpecialType: not SpecialType.System_Object } baseType || baseType.TypeKind != TypeKind.Class) return;
            bool callable = baseType.InstanceConstructors.Any(c =>
                c.Parameters.All(p => p.IsOptional || p.IsParams) && Accessible(c, baseType));
            if (!callable)
                Report(DiagnosticDescriptors.BaseWithoutParameterlessConstructor, BaseTypeLocation(declarations, baseType), _typeName, baseType.Name);
        }

        /// <summary>Whether <paramref name="member"/> of <paramref name="owner"/>, a base class, is visible in the network class.</summary>
        private bool Accessible(ISymbol member, INamedTypeSymbol owner)
        {
            bool sameAssembly = SymbolEqualityComparer.Default.Equals(owner.ContainingAssembly, type.ContainingAssembly);
            return member.DeclaredAccessibility switch
            {
                Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal => true,
                Accessibility.Internal or Accessibility.ProtectedAndInternal => sameAssembly,
                _ => false,
            };
        }

        /// <summary>Where the user names the base class: its entry in a base list, or the class name.</summary>
        private Location BaseTypeLocation(List<TypeDeclarationSyntax> declarations, INamedTypeSymbol baseType) =>
            declarations.SelectMany(d => d.BaseList?.Types.Take(1) ?? Enumerable.Empty<BaseTypeSyntax>())
                .FirstOrDefault(t => RightmostName(t.Type) == baseType.Name)?.GetLocation() ?? _typeLocation;

        private static string RightmostName(TypeSyntax type) => type switch
        {
            QualifiedNameSyntax q => RightmostName(q.Right),
            AliasQualifiedNameSyntax a => RightmostName(a.Name),
            GenericNameSyntax g => g.Identifier.ValueText,
            SimpleNameSyntax n => n.Identifier.ValueText,
            _ => type.ToString(),
        };

        /// <summary>
        /// NNG0009: user members (and the class name itself) that the generated members would collide with, and members
        /// of base classes they would hide; NNG0015 when a base class is a network itself.
        /// </summary>
        private void CheckMembers(IReadOnlyList<LayerKind> layers, List<TypeDeclarationSyntax> declarations)
        {
            CheckInheritedMembers(layers, declarations);
            if (GeneratedMembers.For(layers).FirstOrDefault(m => m.Name == type.Name) is { } clash)
                Report(DiagnosticDescriptors.MemberCollision, _typeLocation, "Name", type.Name, $"network class '{_typeName}'", Describe(clash), RenameOrRemove);
            foreach (ISymbol member in type.GetMembers())
            {
                if (member.IsImplicitlyDeclared || member is IMethodSymbol { MethodKind: not (MethodKind.Ordinary or MethodKind.Constructor or MethodKind.ExplicitInterfaceImplementation) })
                    continue; // accessors, operators and the like are reported through their property or cannot collide
                var syntax = member.DeclaringSyntaxReferences.Select(r => r.GetSyntax(ct)).ToList();
                if (syntax.Count == 0 || syntax.All(GeneratedMembers.InGeneratedDeclaration)) continue;
                if (syntax.All(s => s is TypeDeclarationSyntax)) continue; // a primary constructor: NNG0016
                Location location = member.Locations.FirstOrDefault() ?? _typeLocation;
                string kind = Kind(member);
                if (ExplicitImplementations(member).FirstOrDefault(i => i.ContainingType.ToDisplayString() == NetworkInterface) is { } implemented)
                    Report(DiagnosticDescriptors.MemberCollision, location, kind, $"INetwork.{implemented.Name}", $"network class '{_typeName}'", "implementation of INetwork", RenameOrRemove);
                else if (GeneratedMembers.CollisionWith(member, layers) is { } generated)
                    Report(DiagnosticDescriptors.MemberCollision, location, kind, DisplayName(member), $"network class '{_typeName}'", Describe(generated), RenameOrRemove);
            }
        }

        private const string RenameOrRemove = "rename or remove it";

        /// <summary>
        /// Members of the base classes that a generated member would hide (CS0108/CS0114 in the generated file), reported
        /// at the base class in the declaration; a base class that is a network is NNG0015, and its members are not listed.
        /// </summary>
        private void CheckInheritedMembers(IReadOnlyList<LayerKind> layers, List<TypeDeclarationSyntax> declarations)
        {
            if (type.BaseType is not { } direct) return;
            Location at = BaseTypeLocation(declarations, direct);
            for (INamedTypeSymbol? b = direct; b is not null && b.SpecialType != SpecialType.System_Object; b = b.BaseType)
            {
                if (SequentialOf(b) is not null)
                {
                    Report(DiagnosticDescriptors.NetworkBase, at, _typeName, b.Name);
                    return;
                }
            }
            var reported = new HashSet<string>();
            for (INamedTypeSymbol? b = direct; b is not null && b.SpecialType != SpecialType.System_Object; b = b.BaseType)
            {
                foreach (ISymbol member in b.GetMembers())
                {
                    if (member.IsImplicitlyDeclared || !Accessible(member, b) ||
                        member is IMethodSymbol { MethodKind: not MethodKind.Ordinary } || member.IsOverride)
                        continue; // constructors are not inherited; accessors are reported through their property
                    if (GeneratedMembers.CollisionWith(member, layers) is { } generated && reported.Add(generated.Name + "(" + string.Join(",", generated.Parameters ?? []) + ")"))
                        Report(DiagnosticDescriptors.MemberCollision, at, Kind(member), DisplayName(member),
                            $"base class '{b.Name}' of network class '{_typeName}'", Describe(generated), $"rename it in '{b.Name}' or make it private");
                }
            }
        }

        private string Describe(GeneratedMembers.Member generated) =>
            generated.Parameters is { } p ? $"{generated.Kind} '{(generated.Name == GeneratedMembers.Constructor ? _typeName : generated.Name)}({string.Join(", ", p)})'" : $"{generated.Kind} '{generated.Name}'";

        private static IEnumerable<ISymbol> ExplicitImplementations(ISymbol member) => member switch
        {
            IMethodSymbol m => m.ExplicitInterfaceImplementations,
            IPropertySymbol p => p.ExplicitInterfaceImplementations,
            IEventSymbol e => e.ExplicitInterfaceImplementations,
            _ => Enumerable.Empty<ISymbol>(),
        };

        private static string DisplayName(ISymbol member) =>
            GeneratedMembers.Parameters(member) is { } p ? $"{(member is IMethodSymbol { MethodKind: MethodKind.Constructor } c ? c.ContainingType.Name : member.Name)}({string.Join(", ", p)})" : member.Name;

        private static string Kind(ISymbol member) => member switch
        {
            IMethodSymbol { MethodKind: MethodKind.Constructor } => "Constructor",
            IMethodSymbol => "Method",
            IFieldSymbol { IsConst: true } => "Constant",
            IFieldSymbol => "Field",
            IPropertySymbol => "Property",
            IEventSymbol => "Event",
            INamedTypeSymbol => "Nested type",
            _ => "Member",
        };

        /// <summary>
        /// The stated Name argument, or null when there is none or it is not usable (reported as NNG0019; the caller
        /// uses <paramref name="fallback"/> and the declaration generates nothing).
        /// </summary>
        private string? StatedName(Dictionary<string, TypedConstant> named, AttributeSyntax? syntax, string owner, string fallback)
        {
            if (!named.TryGetValue("Name", out TypedConstant constant) || constant.Kind == TypedConstantKind.Error) return null;
            if (constant.Value is string name && IsValidName(name)) return name;
            Report(DiagnosticDescriptors.InvalidName, ArgumentLocation(syntax, "Name", -1), owner,
                constant.Value is string s ? CodeWriter.Literal(s) : "null", fallback);
            return null;
        }

        private OptimizerSpec ParseOptimizer(Dictionary<string, TypedConstant> args, OptimizerKind kind)
        {
            bool adam = kind is OptimizerKind.Adam or OptimizerKind.AdamW;
            double Number(string name, double fallback) =>
                args.TryGetValue(name, out TypedConstant c) && c.Kind != TypedConstantKind.Error && c.Value is double or float or int ? Convert.ToDouble(c.Value, CultureInfo.InvariantCulture) : fallback;
            var optimizer = new OptimizerSpec(kind, Number("LearningRate", kind == OptimizerKind.Sgd ? 0.01 : 1e-3), Number("Momentum", 0),
                args.TryGetValue("Nesterov", out TypedConstant n) && n.Value is true,
                Number("Beta1", 0.9), Number("Beta2", 0.999), Number("Epsilon", 1e-7),
                Number("WeightDecay", 0.004), Number("Rho", 0.9), Number("ClipValue", 0), Number("GlobalClipNorm", 0));

            // Errors: a value that cannot be written as a float literal, or that the runtime rejects.
            var unusable = new HashSet<string>();
            foreach (var (name, value) in new[]
            {
                ("LearningRate", optimizer.LearningRate), ("Momentum", optimizer.Momentum), ("Beta1", optimizer.Beta1), ("Beta2", optimizer.Beta2),
                ("Epsilon", optimizer.Epsilon), ("WeightDecay", optimizer.WeightDecay), ("Rho", optimizer.Rho), ("ClipValue", optimizer.ClipValue),
                ("GlobalClipNorm", optimizer.GlobalClipNorm),
            })
            {
                if (double.IsNaN(value) || double.IsInfinity(value) || float.IsInfinity((float)value))
                {
                    Report(DiagnosticDescriptors.InvalidHyperparameter, ArgumentLocation(_sequentialSyntax, name, -1), name, $"network '{_typeName}'", Format(value), "a finite number");
                    unusable.Add(name);
                }
            }
            void Invalid(string name, double value, bool ok, string expected)
            {
                if (ok || unusable.Contains(name)) return;
                Report(DiagnosticDescriptors.InvalidHyperparameter, ArgumentLocation(_sequentialSyntax, name, -1), name, $"network '{_typeName}'", Format(value), expected);
                unusable.Add(name);
            }
            // A learning rate of 0 leaves the weights where they are, a negative one climbs the loss: neither can train.
            Invalid("LearningRate", optimizer.LearningRate, optimizer.LearningRate > 0, "greater than 0");
            if (kind is OptimizerKind.Sgd or OptimizerKind.RmsProp)
                Invalid("Momentum", optimizer.Momentum, optimizer.Momentum >= 0 && optimizer.Momentum < 1, "in [0, 1)");
            if (args.ContainsKey("ClipValue")) Invalid("ClipValue", optimizer.ClipValue, optimizer.ClipValue > 0, "greater than 0");
            if (args.ContainsKey("GlobalClipNorm")) Invalid("GlobalClipNorm", optimizer.GlobalClipNorm, optimizer.GlobalClipNorm > 0, "greater than 0");
            if (args.ContainsKey("ClipValue") && args.ContainsKey("GlobalClipNorm"))
                Invalid("GlobalClipNorm", optimizer.GlobalClipNorm, false, "left unset when ClipValue is set (Keras allows one clipping mode)");

            // Warnings: values that compile and run but cannot train, and settings the chosen optimizer ignores.
            void Range(string name, double value, bool ok, string expected)
            {
                if (!ok && !unusable.Contains(name))
                    Report(DiagnosticDescriptors.HyperparameterOutOfRange, ArgumentLocation(_sequentialSyntax, name, -1), name, _typeName, Format(value), expected);
            }
            if (adam)
            {
                Range("Beta1", optimizer.Beta1, optimizer.Beta1 >= 0 && optimizer.Beta1 < 1, "in [0, 1)");
                Range("Beta2", optimizer.Beta2, optimizer.Beta2 >= 0 && optimizer.Beta2 < 1, "in [0, 1)");
            }
            if (kind != OptimizerKind.Sgd) Range("Epsilon", optimizer.Epsilon, optimizer.Epsilon > 0, "greater than 0");
            if (kind == OptimizerKind.AdamW) Range("WeightDecay", optimizer.WeightDecay, optimizer.WeightDecay >= 0, "0 or more");
            if (kind == OptimizerKind.RmsProp) Range("Rho", optimizer.Rho, optimizer.Rho >= 0 && optimizer.Rho < 1, "in [0, 1)");
            var uses = new[]
            {
                ("Momentum", kind is OptimizerKind.Sgd or OptimizerKind.RmsProp),
                ("Nesterov", kind == OptimizerKind.Sgd),
                ("Beta1", adam),
                ("Beta2", adam),
                ("Epsilon", kind != OptimizerKind.Sgd),
                ("WeightDecay", kind == OptimizerKind.AdamW),
                ("Rho", kind == OptimizerKind.RmsProp),
            };
            foreach (var (name, used) in uses)
                if (!used && args.ContainsKey(name))
                    Report(DiagnosticDescriptors.IgnoredSetting, ArgumentLocation(_sequentialSyntax, name, -1), name, _typeName, $"with the {kind} optimizer");
            if (kind == OptimizerKind.Sgd && optimizer.Nesterov && optimizer.Momentum == 0)
                Report(DiagnosticDescriptors.IgnoredSetting, ArgumentLocation(_sequentialSyntax, "Nesterov", -1), "Nesterov", _typeName, "when Momentum is 0");
            return optimizer;
        }

        /// <summary>The layers in order; a malformed one (the compiler's error) is skipped, and the rest are still checked.</summary>
        private List<LayerSpec> ParseLayers(List<(AttributeData Data, AttributeSyntax? Syntax)> layerAttributes)
        {
            var layers = new List<LayerSpec>();
            var names = new List<string?>(); // by position; null for a malformed layer, whose name is unknown
            var kindCounts = new Dictionary<LayerKind, int>();
            LayerSpec? previous = null;
            for (int position = 0; position < layerAttributes.Count; position++)
            {
                var (data, syntax) = layerAttributes[position];
                LayerKind kind = LayerKindOf(data)!;
                kindCounts.TryGetValue(kind, out int count);
                kindCounts[kind] = count + 1;
                int index = position + 1;
                if (data.AttributeConstructor is null || data.ConstructorArguments.Length < kind.Arity || data.ConstructorArguments.Any(a => a.Kind == TypedConstantKind.Error))
                {
                    CannotGenerate = true; // the compiler reports the malformed attribute
                    names.Add(null);
                    previous = null;
                    continue;
                }
                var named = NamedArguments(data);
                string defaultName = count == 0 ? kind.DefaultName : $"{kind.DefaultName}_{count}";
                string name = StatedName(named, syntax, LayerLabel(kind, index), defaultName) ?? defaultName;
                names.Add(name);
                LayerSpec layer = kind.Parse(Arguments(data, syntax, index, name, previous, named));
                // Trainable is on every attribute whose layer has parameters (elsewhere the compiler refuses it), read the same way for all.
                if (named.TryGetValue("Trainable", out TypedConstant trainable) && trainable.Value is false) layer = layer with { Trainable = false };
                int earlier = names.IndexOf(name, 0, position);
                if (earlier >= 0)
                    Report(DiagnosticDescriptors.DuplicateLayerName, ArgumentLocation(syntax, "Name", -1), LayerLabel(kind, index), name, earlier + 1);
                layers.Add(layer);
                previous = layer;
            }
            return layers;
        }

        private LayerArguments Arguments(AttributeData data, AttributeSyntax? syntax, int index, string name, LayerSpec? previous, IReadOnlyDictionary<string, TypedConstant> named) =>
            new(data, syntax, index, name, LayerLabel(LayerKindOf(data)!, index, name), previous, named,
                (descriptor, location, properties, arguments) => Report(descriptor, location, properties, arguments), () => CannotGenerate = true);

        private void CheckShapes(NetworkSpec spec, int classes, List<(AttributeData Data, AttributeSyntax? Syntax)> layerAttributes)
        {
            LayerArguments ArgumentsOf(int i) =>
                Arguments(layerAttributes[i].Data, layerAttributes[i].Syntax, i + 1, spec.Layers[i].Name, i == 0 ? null : spec.Layers[i - 1], NamedArguments(layerAttributes[i].Data));

            // Layer by layer: each must take what the one before produces (else its error, and no shapes after it), and the
            // floats allocated so far must fit one array (else NNG0013 at the layer that passes the limit).
            Shape input = spec.Input;
            long total = 0;
            for (int i = 0; i < spec.Layers.Count; i++)
            {
                LayerSpec layer = spec.Layers[i];
                if (!layer.Accepts(input, ArgumentsOf(i))) return;
                LayerSize size = layer.Infer(input);
                long own = size.Parameters + size.State;
                total += own;
                if (total > ShapeInference.MaxParameters || size.Output.SizeChecked > ShapeInference.MaxParameters)
                {
                    Report(DiagnosticDescriptors.TooLarge, layerAttributes[i].Syntax?.GetLocation(), LayerLabel(layer.Kind, i + 1, layer.Name), _typeName,
                        CodeWriter.Count(ShapeInference.MaxParameters), layer.ParameterBreakdown(input, own), CodeWriter.Count(total));
                    return;
                }
                input = size.Output;
            }

            var shapes = ShapeInference.Infer(spec);
            int saturating = spec.Layers.Take(spec.Layers.Count - 1).Count(l => l.OutputActivation is ActivationKind.Sigmoid or ActivationKind.Tanh);
            for (int i = 0; i < shapes.Count; i++)
            {
                LayerShape shape = shapes[i];
                LayerSpec layer = shape.Layer;
                AttributeSyntax? syntax = layerAttributes[i].Syntax;
                string label = LayerLabel(layer.Kind, i + 1, layer.Name);
                layer.Check(shape, ArgumentsOf(i));
                if (i == shapes.Count - 1) break;
                Location? activation = ActivationLocation(syntax, layer.Kind);
                var useRelu = ActivationFix(layer.Kind, nameof(ActivationKind.Relu));
                if (layer.OutputActivation == ActivationKind.Softmax)
                    Report(DiagnosticDescriptors.SoftmaxInHiddenLayer, activation, useRelu, label, shape.Outputs);
                else if (saturating >= SaturatingStackLimit && layer.OutputActivation is ActivationKind.Sigmoid or ActivationKind.Tanh)
                    Report(DiagnosticDescriptors.SaturatingDeepStack, activation, useRelu, label, Lower(layer.OutputActivation.Value), saturating);
            }
            CheckOutput(spec, shapes[shapes.Count - 1], classes, layerAttributes[layerAttributes.Count - 1].Syntax);
        }

        /// <summary>The output layer against the loss (NNG0102, NNG0103, NNG0202) and the declared class count (NNG0104).</summary>
        private void CheckOutput(NetworkSpec spec, LayerShape shape, int classes, AttributeSyntax? syntax)
        {
            LayerSpec output = shape.Layer;
            string label = LayerLabel(output.Kind, shape.Index, output.Name);
            int width = shape.Outputs;
            ActivationKind outputActivation = output.OutputActivation ?? ActivationKind.Linear;
            // Only a layer that states its units (Dense) can be fixed there; the width of any other is that of its input.
            bool statesUnits = output.Kind.UnitsPosition >= 0;
            Location? units = statesUnits ? ArgumentLocation(syntax, "units", output.Kind.UnitsPosition) : syntax?.GetLocation(), activation = ActivationLocation(syntax, output.Kind);
            ImmutableDictionary<string, string?>? UnitsFix(int value) => statesUnits ? Property(DiagnosticDescriptors.Properties.Units, Int(value)) : null;
            bool categorical = spec.Loss is LossKind.CategoricalCrossEntropy or LossKind.SparseCategoricalCrossEntropy;
            bool binary = spec.Loss == LossKind.BinaryCrossEntropy;

            if (categorical && shape.Output.Rank > 1)
            {
                Report(DiagnosticDescriptors.CategoricalOutputNotVector, syntax?.GetLocation(), label, shape.Output, Display(spec.Loss));
                return;
            }
            if (classes > 0)
            {
                bool fits = width == classes || (binary && classes == 2 && width == 1);
                if (!fits)
                {
                    string needs = binary && classes == 2 ? "2 units, or 1 sigmoid unit" : $"{classes} units, one per class";
                    Report(DiagnosticDescriptors.ClassCountMismatch, units, UnitsFix(classes), label, width, _typeName, classes, needs);
                    return;
                }
            }
            if (categorical && width < 2)
            {
                Report(DiagnosticDescriptors.TooFewClassUnits, units, UnitsFix(classes > 1 ? classes : 2), label, width, Display(spec.Loss));
                return;
            }
            var useSigmoid = ActivationFix(output.Kind, nameof(ActivationKind.Sigmoid));
            if (binary && width > 1 && outputActivation != ActivationKind.Sigmoid)
                Report(DiagnosticDescriptors.BinaryOutputsNotSigmoid, activation, useSigmoid, label, width, Lower(outputActivation));
            else if (binary && outputActivation != ActivationKind.Sigmoid)
                Report(DiagnosticDescriptors.OutputActivationDoesNotFitLoss, activation, useSigmoid,
                    label, Lower(outputActivation), Display(spec.Loss), "a probability from a sigmoid", "Sigmoid");
            else if (categorical && outputActivation != ActivationKind.Softmax)
                Report(DiagnosticDescriptors.OutputActivationDoesNotFitLoss, activation, ActivationFix(output.Kind, nameof(ActivationKind.Softmax)),
                    label, Lower(outputActivation), Display(spec.Loss), "class probabilities from a softmax", "Softmax");
        }

        /// <summary>Where a layer's activation is stated: the argument of a Dense or Activation layer, the whole attribute of another kind.</summary>
        private static Location? ActivationLocation(AttributeSyntax? syntax, LayerKind kind) =>
            kind.ActivationPosition >= 0 ? ArgumentLocation(syntax, "activation", kind.ActivationPosition) : syntax?.GetLocation();

        /// <summary>The code fix's property naming the activation to use, for the layer kinds that have an activation argument.</summary>
        private static ImmutableDictionary<string, string?>? ActivationFix(LayerKind kind, string activation) =>
            kind.ActivationPosition >= 0 ? Property(DiagnosticDescriptors.Properties.Activation, activation) : null;

        private int EnumArgument(Dictionary<string, TypedConstant> args, string name, int fallback, Type enumType, AttributeSyntax? syntax, string where)
        {
            if (!args.TryGetValue(name, out TypedConstant c) || IntValue(c) is not int value) return fallback;
            if (Enum.IsDefined(enumType, value)) return value;
            Report(DiagnosticDescriptors.UnknownEnumValue, ArgumentLocation(syntax, name, -1), name, where, value, name);
            return fallback;
        }

        /// <summary>
        /// Named arguments by name. One the compiler could not bind (a wrong type) is kept, so it does not read as missing,
        /// and marks the declaration as not generatable; the compiler reports it, NnGen does not repeat it.
        /// </summary>
        private Dictionary<string, TypedConstant> NamedArguments(AttributeData attribute)
        {
            var result = new Dictionary<string, TypedConstant>();
            foreach (var argument in attribute.NamedArguments)
            {
                if (argument.Value.Kind == TypedConstantKind.Error) CannotGenerate = true;
                result[argument.Key] = argument.Value;
            }
            return result;
        }

        /// <summary>An int-valued constant (ints and enums), or null for a compiler error, which marks the declaration as not generatable.</summary>
        private int? IntValue(TypedConstant constant)
        {
            if (constant.Kind != TypedConstantKind.Error && constant.Value is int value) return value;
            CannotGenerate = true;
            return null;
        }
    }

    private static EquatableArray<ContainingType> Containing(INamedTypeSymbol type)
    {
        var containing = new List<ContainingType>();
        for (INamedTypeSymbol? t = type.ContainingType; t is not null; t = t.ContainingType)
            containing.Insert(0, new ContainingType(Keyword(t.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<TypeDeclarationSyntax>().FirstOrDefault()), Identifier(t.Name)));
        return containing.ToEquatableArray();
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

    /// <summary>A language version as LangVersion takes it: "7.3", "8".</summary>
    private static string Display(LanguageVersion version)
    {
        string s = version.ToDisplayString();
        return s.EndsWith(".0", StringComparison.Ordinal) ? s.Substring(0, s.Length - 2) : s;
    }

    private static string Lower(ActivationKind activation) => activation.ToString().ToLowerInvariant();

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);


    /// <summary>How messages name a layer: its kind, 1-based position and, when known, its name ("Activation layer 2 ('activation')").</summary>
    internal static string LayerLabel(LayerKind kind, int index, string? name = null) =>
        name is null ? $"{kind} layer {index}" : $"{kind} layer {index} ('{name}')";

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The location of one argument of an attribute: a named one (<c>Name = ...</c>, <c>name: ...</c>) or the positional one at <paramref name="position"/>; the whole attribute when absent.</summary>
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
