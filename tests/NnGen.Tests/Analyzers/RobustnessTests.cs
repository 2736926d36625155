using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using CsCheck;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using NnGen.Tests.Generator;

namespace NnGen.Tests.Analyzers;

/// <summary>
/// Random declarations (random attribute arguments, missing pieces, wrong types, non-partial, static and generic classes,
/// member collisions, layers split over declarations, user members named like the types the generated code uses, base
/// classes plain, colliding or networks themselves, primary constructors; and image networks: an InputShape of any rank,
/// sometimes with a side not positive or with Input as well, or a flat Input reshaped, Conv2D, pooling, global pooling,
/// Flatten and Reshape layers mixed with Dense, BatchNormalization, Dropout and Activation, with sizes sometimes not
/// positive and windows sometimes larger than the image) through the generator and both analyzers, under
/// every language version from C# 7.3 to the latest. Nothing throws; every declaration the rules below call invalid gets
/// an NNG error and no generated code; one with a compiler error of its own (a wrong argument type) gets an error and no
/// generated code; every valid one generates code that parses, and a sample of them, with the declarations, compiles with
/// no error and no warning under the batch's language version.
/// The rules are an independent statement of what NnGen accepts, written from the catalogue, not from the parser.
/// </summary>
public class RobustnessTests
{
    private const int PerBatch = 150;

    /// <summary>Every language version gets <see cref="Rounds"/> batches: 14 batches, 2,100 declarations.</summary>
    private static readonly LanguageVersion[] Versions =
    [
        LanguageVersion.CSharp7_3, LanguageVersion.CSharp8, LanguageVersion.CSharp9, LanguageVersion.CSharp10,
        LanguageVersion.CSharp11, LanguageVersion.CSharp12, LanguageVersion.Latest,
    ];

    private const int Rounds = 2, Batches = Rounds * 7;

    /// <summary>Members named like the types the generated code calls (it must not depend on names a user can shadow).</summary>
    private static readonly string[] ShadowingMembers =
    [
        "public int Unsafe => 1;", "public static class MemoryMarshal { }", "public int Vector256 { get; set; }",
        "public static void Vector512() { }", "public const bool Simd = false;", "public static class Unsafe { }", "public string Simd => \"\";",
    ];

    /// <summary>The network's base class: none, a plain class, one with a member a generated member would hide, another network.</summary>
    private enum BaseKind { None, Plain, Colliding, Network }

    private static readonly string[] CollidingBaseMembers =
    [
        "public const int InputSize = 1;", "protected float[] _x = new float[0];",
        "public void Predict(System.ReadOnlySpan<float> x, System.Span<float> y) { }", "public virtual int Forward => 0;",
    ];

    private enum InputsMode { None, Correct, Value }

    /// <summary>The layer kinds, named as their attributes.</summary>
    private enum Kind
    {
        Dense, Conv2D, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D, Flatten, Reshape,
        BatchNormalization, Dropout, Activation,
    }

    /// <summary>Keras's default layer names, numbered from the second layer of a kind on.</summary>
    private static string DefaultName(Kind kind) => kind switch
    {
        Kind.Dense => "dense", Kind.Conv2D => "conv2d", Kind.MaxPooling2D => "max_pooling2d", Kind.AveragePooling2D => "average_pooling2d",
        Kind.GlobalAveragePooling2D => "global_average_pooling2d", Kind.GlobalMaxPooling2D => "global_max_pooling2d", Kind.Flatten => "flatten",
        Kind.Reshape => "reshape", Kind.BatchNormalization => "batch_normalization", Kind.Dropout => "dropout", _ => "activation",
    };

    /// <summary>
    /// One layer attribute. <paramref name="Units"/> is Dense's units or Conv2D's filters; <paramref name="Activation"/> null
    /// is not stated (Conv2D's is optional); <paramref name="Window"/> is the kernel or pool size (null: the pool's default,
    /// 2); <paramref name="Strides"/> null is not stated; <paramref name="Target"/> is Reshape's dimensions, which
    /// <see cref="Resolve"/> makes hold the input's count when <paramref name="TargetFits"/>; <paramref name="Pick"/> chooses
    /// how. Dense's Inputs = previous width (Correct) is resolved into <paramref name="InputsValue"/> too.
    /// </summary>
    private sealed record Layer(Kind Kind, int Units, bool UnitsWrongType, int? Activation, string? Name, InputsMode Inputs, int InputsValue,
        int? Window = null, int? Strides = null, int Padding = 0, bool UseBias = true, bool Regularised = false,
        int[]? Target = null, bool TargetFits = false, double Rate = 0.25, int Pick = 0)
    {
        public string Render()
        {
            var args = new List<string>();
            string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
            switch (Kind)
            {
                case Kind.Dense:
                    args.Add(UnitsWrongType ? "\"two\"" : Int(Units));
                    args.Add($"(Activation)({Activation})");
                    if (Inputs != InputsMode.None) args.Add($"Inputs = {InputsValue}");
                    break;
                case Kind.Conv2D:
                    args.Add(Int(Units));
                    args.Add(Int(Window!.Value));
                    if (Activation is { } activation) args.Add($"(Activation)({activation})");
                    if (!UseBias) args.Add("UseBias = false");
                    if (Regularised) args.Add("L2 = 0.001");
                    break;
                case Kind.MaxPooling2D or Kind.AveragePooling2D:
                    if (Window is { } pool) args.Add(Int(pool));
                    break;
                case Kind.Reshape:
                    args.AddRange(Target!.Select(Int));
                    break;
                case Kind.Dropout:
                    args.Add(Rate.ToString("R", CultureInfo.InvariantCulture));
                    break;
                case Kind.Activation:
                    args.Add($"(Activation)({Activation})");
                    break;
            }
            if (Kind is Kind.Conv2D or Kind.MaxPooling2D or Kind.AveragePooling2D)
            {
                if (Strides is { } strides) args.Add($"Strides = {strides}");
                if (Padding != 0) args.Add($"Padding = (Padding)({Padding})");
            }
            if (Name is { } name) args.Add($"Name = \"{name}\"");
            return args.Count == 0 ? $"[{Kind}]\n" : $"[{Kind}({string.Join(", ", args)})]\n";
        }

        /// <summary>NNG0005, NNG0006, NNG0011, NNG0014: a size, an enum value or a rate the layer cannot have, whatever its input.</summary>
        public bool Unusable => Kind switch
        {
            Kind.Dense => Units <= 0 || Activation is not (>= 0 and <= 6) || (Inputs != InputsMode.None && InputsValue <= 0),
            Kind.Conv2D => Units <= 0 || Window <= 0 || Strides <= 0 || Activation is not (null or (>= 0 and <= 6)) || Padding is not (0 or 1),
            Kind.MaxPooling2D or Kind.AveragePooling2D => Window <= 0 || Strides <= 0 || Padding is not (0 or 1),
            Kind.Reshape => Target!.Length == 0 || Target.Any(d => d <= 0),
            Kind.Dropout => !(Rate >= 0 && Rate < 1),
            Kind.Activation => Activation is not (>= 0 and <= 6),
            _ => false,
        };

        /// <summary>
        /// The shape of a sample after the layer, from Keras's rules; null when the layer does not accept
        /// <paramref name="x"/>: Dense takes a vector (NNG0107), a window layer an image (NNG0106) in which a 'valid' window
        /// fits (NNG0105), Reshape keeps the count (NNG0108). Only for a layer that is not <see cref="Unusable"/>.
        /// </summary>
        public int[]? Output(int[] x)
        {
            switch (Kind)
            {
                case Kind.Dense:
                    return x.Length == 1 ? [Units] : null;
                case Kind.Conv2D or Kind.MaxPooling2D or Kind.AveragePooling2D:
                    if (x.Length != 3) return null;
                    int k = Window ?? 2, s = Strides ?? (Kind == Kind.Conv2D ? 1 : k);
                    bool same = Padding == 1;
                    if (!same && (k > x[0] || k > x[1])) return null;
                    // TensorFlow: 'same' ceil(n / s), 'valid' ceil((n - k + 1) / s).
                    int Out(int n) => (int)Math.Ceiling((same ? n : n - k + 1) / (double)s);
                    return [Out(x[0]), Out(x[1]), Kind == Kind.Conv2D ? Units : x[2]];
                case Kind.GlobalAveragePooling2D or Kind.GlobalMaxPooling2D:
                    return x.Length == 3 ? [x[2]] : null;
                case Kind.Flatten:
                    return [(int)Count(x)];
                case Kind.Reshape:
                    return Count(Target!) == Count(x) ? Target : null;
                default:
                    return x;
            }
        }

        /// <summary>The activation of the layer's output: Dense's, Conv2D's and Activation's; no other kind applies one.</summary>
        public int OutputActivation => Kind is Kind.Dense or Kind.Conv2D or Kind.Activation ? Activation ?? 0 : 0;
    }

    private static long Count(int[] shape) => shape.Aggregate(1L, (a, d) => a * d);

    /// <summary>
    /// The layers with what depends on their inputs made concrete: Dense's Inputs = previous width, a Reshape that fits,
    /// by the shape rules from <paramref name="input"/> (null: unknown, and the values are placeholders: such a declaration
    /// is invalid or has a compiler error). Also gives the network's output width, or null.
    /// </summary>
    private static (Layer[] Layers, int? Width) Resolve(int[]? input, Layer[] layers)
    {
        var result = new Layer[layers.Length];
        int[]? x = input;
        for (int i = 0; i < layers.Length; i++)
        {
            Layer l = layers[i];
            int size = x is null ? 1 : (int)Count(x);
            if (l.Kind == Kind.Dense && l.Inputs == InputsMode.Correct) l = l with { InputsValue = size };
            if (l.Kind == Kind.Reshape && l.TargetFits) l = l with { Target = x is null ? [l.Pick % 7 + 1] : Fitting(x, l.Pick) };
            result[i] = l;
            x = x is null || l.UnitsWrongType || l.Unusable ? null : l.Output(x);
        }
        return (result, x is null ? null : (int)Count(x));
    }

    /// <summary>A shape with the values of <paramref name="x"/>: flat, an image (h, w, c), h and w swapped, or (n / d, d).</summary>
    private static int[] Fitting(int[] x, int pick)
    {
        int n = (int)Count(x);
        int Divisor(int limit) => Enumerable.Range(1, limit).Last(d => n % d == 0);
        switch (pick % 4)
        {
            case 0: return [n];
            case 2 when x.Length == 3: return [x[1], x[0], x[2]];
            case 3: { int d = Divisor(Math.Min(n, pick % 5 + 1)); return [n / d, d]; }
            default:
            {
                int c = Divisor(Math.Min(n, pick % 4 + 1)), m = n / c, h = Enumerable.Range(1, m).Last(d => m % d == 0 && (long)d * d <= m);
                return [h, m / h, c];
            }
        }
    }

    private sealed record Declaration(
        int? Input, int[]? InputShape, bool InputWrongType, int? Loss, int? Optimizer, string? LearningRate, double? Momentum, int? Classes,
        Layer[] Layers, bool Partial, bool Static, bool Generic, bool Collision, bool Split,
        string? Shadowing, BaseKind Base, int BaseMember, bool PrimaryConstructor)
    {
        /// <summary>An image network: an InputShape, or a layer other than Dense.</summary>
        public bool Image => InputShape is not null || Layers.Any(l => l.Kind != Kind.Dense);

        /// <summary>The declaration in a block namespace and with block bodies, which every language version parses.</summary>
        public string Source(string name)
        {
            string baseName = name + "Base";
            string baseClass = Base switch
            {
                BaseKind.Plain => $"public class {baseName}\n{{\n    public int Steps {{ get; set; }}\n}}\n\n",
                BaseKind.Colliding => $"public class {baseName}\n{{\n    {CollidingBaseMembers[BaseMember % CollidingBaseMembers.Length]}\n}}\n\n",
                BaseKind.Network => $"[Sequential(Input = 4)]\n[Dense(2, Softmax)]\npublic partial class {baseName}\n{{\n}}\n\n",
                _ => "",
            };
            return "using NnGen;\nusing static NnGen.Activation;\n\nnamespace Samples\n{\n" + baseClass + Network(name, Base == BaseKind.None ? null : baseName) + "}\n";
        }

        private string Network(string name, string? baseName)
        {
            var args = new List<string>();
            if (InputWrongType) args.Add("Input = \"4\"");
            else if (Input is { } input) args.Add($"Input = {input}");
            if (InputShape is { } shape) args.Add($"InputShape = new int[] {{ {string.Join(", ", shape)} }}");
            if (Loss is { } loss) args.Add($"Loss = (Loss)({loss})");
            if (Optimizer is { } optimizer) args.Add($"Optimizer = (Optimizer)({optimizer})");
            if (LearningRate is { } lr) args.Add($"LearningRate = {lr}");
            if (Momentum is { } momentum) args.Add($"Momentum = {momentum.ToString("R", CultureInfo.InvariantCulture)}");
            if (Classes is { } classes) args.Add($"Classes = {classes}");

            string type = $"{name}{(Generic ? "<T>" : "")}", modifiers = $"public {(Static ? "static " : "")}{(Partial ? "partial " : "")}class";
            var sb = new StringBuilder($"[Sequential({string.Join(", ", args)})]\n");
            int onFirst = Split ? Layers.Length - 1 : Layers.Length;
            for (int i = 0; i < Layers.Length; i++)
            {
                if (i == onFirst) sb.Append($"{modifiers} {type}\n{{\n}}\n\n");
                sb.Append(Layers[i].Render());
            }
            sb.Append($"{modifiers} {type}{(PrimaryConstructor ? "(string label)" : "")}{(baseName is null ? "" : " : " + baseName)}\n{{\n");
            if (Collision) sb.Append("    public const int InputSize = 1;\n");
            if (Shadowing is not null) sb.Append($"    {Shadowing}\n");
            if (PrimaryConstructor) sb.Append("    public string Label => label;\n");
            sb.Append("}\n");
            return sb.ToString();
        }

        /// <summary>A compiler error in the declaration itself: NnGen must generate nothing and need not add its own.</summary>
        public bool CompilerError => InputWrongType || Layers.Any(l => l.UnitsWrongType) || (Split && !Partial);

        /// <summary>NnGen's rules, from the catalogue: does the declaration deserve an NNG error under <paramref name="version"/>?</summary>
        public bool NnGenError(LanguageVersion version)
        {
            if (!Partial || Static || Generic || Collision) return true;                                    // NNG0001, 0012, 0007, 0009
            if (version.MapSpecifiedToEffectiveVersion() < LanguageVersion.CSharp8) return true;            // NNG0018
            if (PrimaryConstructor || Base is BaseKind.Colliding or BaseKind.Network) return true;         // NNG0016, 0009, 0015
            if (InputShape is { } shape)
            {
                if (Input is not null || InputWrongType) return true;                                          // NNG0021
                if (shape.Length is < 1 or > 3 || shape.Any(d => d <= 0)) return true;                         // NNG0022, 0005
            }
            else if (!InputWrongType && (Input is null || Input <= 0)) return true;                           // NNG0002, 0005
            if (Loss is not (null or (>= 0 and <= 3)) || Optimizer is not (null or (>= 0 and <= 3))) return true;      // NNG0006
            if (LearningRate is "double.NaN" or "double.PositiveInfinity" or "1e300" or "-1" or "0") return true; // NNG0011: not a finite float, or cannot train
            bool sgd = Optimizer == 0;
            if ((sgd || Optimizer == 3) && Momentum is { } m && !(m >= 0 && m < 1)) return true;             // NNG0011: Sgd and RMSprop reject it
            if (Classes <= 0) return true;                                                                     // NNG0005
            if (Layers.Length == 0 || Split) return true;                                                      // NNG0003, 0004
            // A layer with a compiler error is left to the compiler; the others are still checked.
            var counts = new Dictionary<Kind, int>();
            var names = new List<string?>();
            foreach (Layer l in Layers)
            {
                int count = counts.GetValueOrDefault(l.Kind);
                counts[l.Kind] = count + 1;
                names.Add(l.UnitsWrongType ? null : l.Name ?? (count == 0 ? DefaultName(l.Kind) : $"{DefaultName(l.Kind)}_{count}"));
            }
            for (int i = 0; i < Layers.Length; i++)
            {
                if (Layers[i].UnitsWrongType) continue;
                if (Layers[i].Unusable) return true;                                                           // NNG0005, 0006, 0014
                if (names.IndexOf(names[i]) < i) return true;                                                  // NNG0010
            }
            if (CompilerError) return false;                                                                   // shapes need every size

            // Layer by layer, each must accept what the one before produces (NNG0105-0108) and a stated Inputs must match (NNG0101).
            int[] x = InputShape ?? [Input!.Value];
            foreach (Layer l in Layers)
            {
                if (l.Kind == Kind.Dense && l.Inputs != InputsMode.None && x.Length == 1 && l.InputsValue != x[0]) return true;
                if (l.Output(x) is not { } y) return true;
                x = y;
            }
            long width = Count(x);
            int activation = Layers[^1].OutputActivation;
            int lossKind = Loss ?? 0;
            if (Classes is { } classes && !(width == classes || (lossKind == 2 && classes == 2 && width == 1))) return true; // NNG0104
            if (lossKind is 0 or 1 && x.Length > 1) return true;                                              // NNG0109
            if (lossKind is 0 or 1 && width < 2) return true;                                                 // NNG0102
            return lossKind == 2 && width > 1 && activation != 2;                                             // NNG0103
        }
    }

    /// <summary>Mostly <paramref name="gen"/>'s arrays, now and then (<paramref name="empty"/> in <paramref name="empty"/> + <paramref name="present"/>) an empty one.</summary>
    private static Gen<T[]> OrElse<T>(Gen<T[]> gen, int empty, int present) => Gen.Frequency((empty, Gen.Const(Array.Empty<T>())), (present, gen));

    private static Gen<T?> Maybe<T>(int absent, Gen<T> present) where T : struct =>
        Gen.Frequency((absent, Gen.Const((T?)null)), (10, present.Select(v => (T?)v)));

    private static readonly Gen<int> ActivationGen = Gen.Frequency((40, Gen.Int[0, 6]), (1, Gen.Int[-2, 9]));

    private static readonly Gen<string?> NameGen =
        Gen.Frequency((12, Gen.Const((string?)null)), (1, Gen.OneOf<string?>("a", "b", "dense", "dense_1", "conv2d", "flatten", "max_pooling2d")));

    private static readonly Gen<Layer> LayerGen = Gen.Select(
        Gen.Frequency((1, Gen.Int[-3, 0]), (40, Gen.Int[1, 24])),
        Gen.Frequency((60, Gen.Const(false)), (1, Gen.Const(true))),
        ActivationGen,
        NameGen,
        Gen.Frequency((16, Gen.Const(InputsMode.None)), (4, Gen.Const(InputsMode.Correct)), (1, Gen.Const(InputsMode.Value))),
        Gen.Int[-1, 30],
        (units, wrong, activation, name, inputs, value) => new Layer(Kind.Dense, units, wrong, activation, name, inputs, value));

    // ---- Image layers: sizes sometimes not positive, windows sometimes larger than the image --------------------------

    private static readonly Gen<int?> StridesGen = Gen.Frequency((30, Gen.Const((int?)null)), (18, Gen.Int[1, 3].Select(s => (int?)s)), (1, Gen.Int[-1, 0].Select(s => (int?)s)));
    private static readonly Gen<int> PaddingGen = Gen.Frequency((50, Gen.Const(0)), (30, Gen.Const(1)), (1, Gen.OneOf(-1, 2)));

    /// <summary>Names of image networks' layers: rarer than a Dense network's, as they have more layers to collide.</summary>
    private static readonly Gen<string?> ImageNameGen = Gen.Frequency((3, Gen.Const((string?)null)), (1, NameGen));

    private static Layer Plain(Kind kind, string? name) => new(kind, 0, false, null, name, InputsMode.None, 0);

    private static readonly Gen<Layer> Conv2DGen = Gen.Select(
        Gen.Frequency((1, Gen.Int[-2, 0]), (30, Gen.Int[1, 8])),
        Gen.Frequency((1, Gen.Int[-1, 0]), (30, Gen.Int[1, 3]), (6, Gen.Int[4, 5]), (2, Gen.Int[6, 20])),
        Maybe(3, ActivationGen),
        ImageNameGen, StridesGen, PaddingGen,
        Gen.Int[0, 9],
        (filters, kernel, activation, name, strides, padding, flags) => Plain(Kind.Conv2D, name) with
        {
            Units = filters, Window = kernel, Activation = activation, Strides = strides, Padding = padding, UseBias = flags != 0, Regularised = flags == 1,
        });

    private static Gen<Layer> PoolingGen(Kind kind) => Gen.Select(
        Gen.Frequency((6, Gen.Const((int?)null)), (1, Gen.Int[-1, 0].Select(p => (int?)p)), (20, Gen.Int[1, 3].Select(p => (int?)p)), (2, Gen.Int[5, 16].Select(p => (int?)p))),
        ImageNameGen, StridesGen, PaddingGen,
        (pool, name, strides, padding) => Plain(kind, name) with { Window = pool, Strides = strides, Padding = padding });

    private static Gen<Layer> NamedGen(Kind kind) => ImageNameGen.Select(name => Plain(kind, name));

    /// <summary>A Reshape that holds its input's values (most), or of random dimensions (empty, not positive, any count).</summary>
    private static readonly Gen<Layer> ReshapeGen = Gen.Select(
        Gen.Frequency((8, Gen.Const((int[]?)null)),
            (2, Gen.Frequency((10, Gen.Int[1, 8]), (1, Gen.Int[-1, 0])).Array[1, 3].Select(d => (int[]?)d)), (1, Gen.Const((int[]?)Array.Empty<int>()))),
        ImageNameGen, Gen.Int[0, 99],
        (target, name, pick) => Plain(Kind.Reshape, name) with { Target = target ?? [], TargetFits = target is null, Pick = pick });

    private static readonly Gen<Layer> ReshapeFitsGen = Gen.Select(ImageNameGen, Gen.Int[0, 99], (name, pick) => Plain(Kind.Reshape, name) with { Target = [], TargetFits = true, Pick = pick });

    private static readonly Gen<Layer> DropoutGen = Gen.Select(
        Gen.Frequency((40, Gen.OneOf(0.0, 0.25, 0.5)), (1, Gen.OneOf(1.0, -0.1))), ImageNameGen,
        (rate, name) => Plain(Kind.Dropout, name) with { Rate = rate });

    private static readonly Gen<Layer> ActivationLayerGen = Gen.Select(ActivationGen, ImageNameGen, (activation, name) => Plain(Kind.Activation, name) with { Activation = activation });

    private static readonly Gen<Layer> AnyLayerGen = Gen.Frequency(
        (4, LayerGen), (4, Conv2DGen), (2, PoolingGen(Kind.MaxPooling2D)), (2, PoolingGen(Kind.AveragePooling2D)),
        (1, NamedGen(Kind.GlobalAveragePooling2D)), (1, NamedGen(Kind.GlobalMaxPooling2D)), (2, NamedGen(Kind.Flatten)), (2, ReshapeGen),
        (1, NamedGen(Kind.BatchNormalization)), (1, DropoutGen), (1, ActivationLayerGen));

    /// <summary>
    /// An image network's layers, mostly shaped like one (a Reshape into an image, a feature extractor, a bridge to a
    /// vector, a dense head, an output layer), with any layer anywhere now and then.
    /// </summary>
    private static readonly Gen<Layer[]> ImageLayersGen = Gen.Frequency((1, Gen.Const(Array.Empty<Layer>())), (40, Gen.Select(
        Gen.Frequency((8, Gen.Const(Array.Empty<Layer>())), (1, ReshapeFitsGen.Array[1])),
        Gen.Frequency((10, Conv2DGen), (3, PoolingGen(Kind.MaxPooling2D)), (2, PoolingGen(Kind.AveragePooling2D)),
            (2, NamedGen(Kind.BatchNormalization)), (1, DropoutGen), (1, ActivationLayerGen), (1, AnyLayerGen)).Array[0, 3],
        OrElse(Gen.Frequency((9, NamedGen(Kind.Flatten)), (4, NamedGen(Kind.GlobalAveragePooling2D)), (3, NamedGen(Kind.GlobalMaxPooling2D)),
            (1, ReshapeFitsGen), (1, AnyLayerGen)).Array[1], 1, 12), // a bridge, or now and then none
        Gen.Frequency((6, LayerGen), (1, NamedGen(Kind.BatchNormalization)), (1, DropoutGen), (1, ActivationLayerGen)).Array[0, 2],
        Gen.Frequency((12, LayerGen), (2, AnyLayerGen)),
        (reshape, features, bridge, head, output) => reshape.Concat(features).Concat(bridge).Concat(head).Append(output).ToArray())));

    private static readonly Gen<int> SideGen = Gen.Frequency((1, Gen.Int[-1, 0]), (8, Gen.Int[1, 4]), (32, Gen.Int[5, 16]));

    /// <summary>An image (h, w, c), sometimes with a side not positive.</summary>
    private static readonly Gen<int[]> ImageShapeGen = Gen.Select(SideGen, SideGen, Gen.Frequency((1, Gen.Int[-1, 0]), (40, Gen.Int[1, 4])), (h, w, c) => new[] { h, w, c });

    /// <summary>The input of an image network: mostly an InputShape, of rank 3 or another; a flat Input to reshape; both.</summary>
    private static readonly Gen<(int? Input, int[]? Shape)> ImageInputGen = Gen.Frequency(
        (60, ImageShapeGen.Select(s => ((int?)null, (int[]?)s))),
        (4, Gen.Frequency((3, Gen.Int[1, 40].Array[1]), (3, Gen.Int[1, 8].Array[2]), (1, Gen.Const(Array.Empty<int>())), (1, Gen.Int[1, 5].Array[4]))
            .Select(s => ((int?)null, (int[]?)s))),
        (12, Gen.Int[1, 200].Select(n => ((int?)n, (int[]?)null))),
        (1, Gen.Select(Gen.Int[1, 40], ImageShapeGen, (n, s) => ((int?)n, (int[]?)s))));

    private static readonly Gen<(int? Input, int[]? Shape)> FlatInputGen =
        Gen.Frequency((1, Gen.Const((int?)null)), (1, Gen.Int[-3, 0].Select(v => (int?)v)), (30, Gen.Int[1, 40].Select(v => (int?)v)))
            .Select(input => (input, (int[]?)null));

    private static readonly Gen<(int? Input, int[]? Shape, Layer[] Layers)> NetworkGen = Gen.Frequency(
        (11, Gen.Select(FlatInputGen, Gen.Frequency((1, Gen.Const(0)), (30, Gen.Int[1, 5])).SelectMany(n => LayerGen.Array[n]), (i, l) => (i.Input, i.Shape, l))),
        // A flat input is mostly reshaped into an image first.
        (9, Gen.Select(ImageInputGen, ImageLayersGen, ReshapeFitsGen, Gen.Int[0, 9], (i, l, reshape, p) =>
            (i.Input, i.Shape, i.Shape is null && p > 0 && l.Length > 0 && l[0].Kind != Kind.Reshape ? l.Prepend(reshape).ToArray() : l))));

    private static readonly Gen<Declaration> DeclarationGen = Gen.Select(
        Gen.Select(
            Gen.Frequency((40, Gen.Const(false)), (1, Gen.Const(true))),
            Maybe(4, Gen.Frequency((30, Gen.Int[0, 3]), (1, Gen.Int[-1, 6]))),
            Maybe(4, Gen.Frequency((30, Gen.Int[0, 3]), (1, Gen.Int[-1, 5]))),
            Gen.Frequency((16, Gen.Const((string?)null)), (6, Gen.OneOf<string?>("0.001", "0.05")), (1, Gen.OneOf<string?>("-1", "0", "double.NaN", "double.PositiveInfinity", "1e300"))),
            Gen.Frequency((16, Gen.Const((double?)null)), (6, Gen.OneOf<double?>(0.0, 0.5, 0.9)), (1, Gen.OneOf<double?>(1.0, -0.5))),
            // Classes: absent, equal to the output width (set below), any width, or not positive.
            Gen.Frequency((20, Gen.Const((int?)null)), (4, Gen.Const((int?)int.MaxValue)), (2, Gen.Int[1, 12].Select(v => (int?)v)), (1, Gen.Int[-1, 0].Select(v => (int?)v)))),
        NetworkGen,
        Gen.Frequency((40, Gen.Const(true)), (1, Gen.Const(false))),
        Gen.Frequency((60, Gen.Const(false)), (1, Gen.Const(true))),
        Gen.Frequency((60, Gen.Const(false)), (1, Gen.Const(true))),
        Gen.Frequency((60, Gen.Const(false)), (1, Gen.Const(true))),
        Gen.Frequency((40, Gen.Const(false)), (1, Gen.Const(true))),
        Gen.Select(
            Gen.Frequency((3, Gen.Const((string?)null)), (1, Gen.OneOf(ShadowingMembers.Select(m => Gen.Const((string?)m)).ToArray()))),
            Gen.Frequency((8, Gen.Const(BaseKind.None)), (3, Gen.Const(BaseKind.Plain)), (1, Gen.Const(BaseKind.Colliding)), (1, Gen.Const(BaseKind.Network))),
            Gen.Int[0, 100],
            Gen.Frequency((20, Gen.Const(false)), (1, Gen.Const(true)))),
        (head, network, partial, isStatic, generic, collision, split, tail) =>
        {
            int[]? input = network.Shape ?? (network.Input > 0 ? [network.Input.Value] : null);
            var (layers, width) = Resolve(input is { Length: >= 1 and <= 3 } && input.All(d => d > 0) ? input : null, network.Layers);
            return new Declaration(
                network.Input, network.Shape, head.Item1, head.Item2, head.Item3, head.Item4, head.Item5,
                head.Item6 == int.MaxValue ? width ?? 3 : head.Item6,
                layers, partial, isStatic, generic, collision, split && layers.Length >= 2, tail.Item1, tail.Item2, tail.Item3, tail.Item4);
        });

    [Fact]
    public void RandomDeclarationsAreDiagnosedOrCompile()
    {
        int valid = 0, nngInvalid = 0, compilerInvalid = 0, compiled = 0, validImages = 0, invalidImages = 0, compiledImages = 0;
        var validByVersion = new Dictionary<LanguageVersion, int>();
        var validKinds = new HashSet<Kind>();
        var compiledKinds = new HashSet<Kind>();
        foreach (LanguageVersion version in Versions)
        {
            DeclarationGen.Array[PerBatch].Sample(batch =>
            {
                var r = CheckBatch(batch, version);
                valid += r.Valid; nngInvalid += r.NnGenInvalid; compilerInvalid += r.CompilerInvalid; compiled += r.Compiled.Count;
                validImages += r.ValidImages.Count; invalidImages += r.InvalidImages;
                compiledImages += r.Compiled.Count(d => d.Image);
                validKinds.UnionWith(r.ValidImages.SelectMany(d => d.Layers.Select(l => l.Kind)));
                compiledKinds.UnionWith(r.Compiled.SelectMany(d => d.Layers.Select(l => l.Kind)));
                validByVersion[version] = validByVersion.GetValueOrDefault(version) + r.Valid;
            }, iter: Rounds, threads: 1, print: batch => $"{batch.Length} declarations under C# {version.ToDisplayString()}");
        }
        // Every kind is well represented, and every language version from C# 8 has valid declarations, compiled.
        Assert.True(valid >= Batches * PerBatch / 6 && nngInvalid >= Batches * PerBatch / 5 && compilerInvalid >= 10,
            $"valid {valid}, invalid by NnGen's rules {nngInvalid}, with compiler errors {compilerInvalid}");
        Assert.All(Versions.Skip(1), v => Assert.True(validByVersion[v] >= CompiledPerBatch, $"C# {v}: {validByVersion[v]} valid declarations"));
        Assert.True(compiled >= (Batches - 2) * CompiledPerBatch, $"{compiled} valid declarations compiled in full");
        // Image networks too, valid and invalid; every layer kind is in a valid one, and every kind is compiled.
        Assert.True(validImages >= Batches * PerBatch / 24 && invalidImages >= Batches * PerBatch / 8 && compiledImages >= (Batches - 2) * ImagesCompiledPerBatch,
            $"image networks: valid {validImages}, invalid by NnGen's rules {invalidImages}, compiled {compiledImages}");
        Assert.Equal(Enum.GetValues<Kind>(), validKinds.Order());
        Assert.Equal(Enum.GetValues<Kind>(), compiledKinds.Order());
    }

    /// <summary>
    /// A valid network with no Dense or Conv2D layer (Keras builds it: Flatten then BatchNormalization) compiles with no
    /// warning. It once did not: the generated Execute(task, part, parts) declared 'int from, to;' over an empty switch
    /// (CS0168 twice, CS1522), an error under TreatWarningsAsErrors. Found by <see cref="RandomDeclarationsAreDiagnosedOrCompile"/>.
    /// </summary>
    [Fact]
    public void NetworkWithoutDenseOrConv2DCompilesCleanly()
    {
        const string source = "using NnGen;\n\nnamespace Samples\n{\n[Sequential(InputShape = new int[] { 2, 5, 4 }, Loss = Loss.MeanSquaredError)]\n" +
            "[Flatten]\n[BatchNormalization]\npublic partial class NoTasks\n{\n}\n}\n";
        CSharpParseOptions options = GeneratorHarness.ParseOptions;
        GeneratorHarness.CreateDriver(options).RunGeneratorsAndUpdateCompilation(
            GeneratorHarness.CreateCompilation(options, ("NoTasks.cs", source)), out Compilation output, out _);
        Assert.Equal(2, output.SyntaxTrees.Count()); // the declaration and its generated code
        var bad = output.GetDiagnostics().Where(d => d.Severity is DiagnosticSeverity.Error or DiagnosticSeverity.Warning).ToList();
        Assert.True(bad.Count == 0, GeneratorHarness.Format(bad));
    }

    /// <summary>
    /// Valid declarations per batch whose generated method bodies are compiled in full, with their declaration, under the
    /// batch's language version (binding them costs about 0.2 s a network; every valid one is parsed). Those with a
    /// shadowing member or a base class come first, then <see cref="ImagesCompiledPerBatch"/> image networks, those with
    /// the most layer kinds first.
    /// </summary>
    private const int CompiledPerBatch = 5, ImagesCompiledPerBatch = 2;

    /// <summary>
    /// One compilation of the batch, one file per declaration (diagnostics are attributed by file). The analyzers run on
    /// the declarations alone: what they report about a declaration does not depend on the generated code (which is
    /// what the catalogue tests check, with it), and binding every generated body would cost minutes.
    /// </summary>
    private static (int Valid, int NnGenInvalid, int CompilerInvalid, int InvalidImages, List<Declaration> ValidImages, List<Declaration> Compiled) CheckBatch(
        Declaration[] batch, LanguageVersion version)
    {
        static string Name(int i) => $"Net{i}";
        CSharpParseOptions options = GeneratorHarness.ParseOptions.WithLanguageVersion(version);
        var files = batch.Select((d, i) => ($"{Name(i)}.cs", d.Source(Name(i)))).ToArray();
        var input = GeneratorHarness.CreateCompilation(options, files);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(options).RunGeneratorsAndUpdateCompilation(input, out Compilation output, out var generatorDiagnostics);
        Assert.All(driver.GetRunResult().Results, r => Assert.True(r.Exception is null, $"The generator threw: {r.Exception}"));
        Assert.Empty(generatorDiagnostics); // neither an internal failure (NNG0999) nor a generator exception (CS8784/CS8785)
        var analyzerDiagnostics = input.WithAnalyzers(NnGenTest.Analyzers).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        Assert.DoesNotContain(analyzerDiagnostics, d => d.Id is "AD0001" or "NNG0999"); // AD0001: an analyzer threw

        var errors = analyzerDiagnostics.Concat(input.GetDiagnostics())
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .ToLookup(d => d.Location.GetLineSpan().Path);
        var generated = output.SyntaxTrees.Skip(input.SyntaxTrees.Length).ToDictionary(t => System.IO.Path.GetFileName(t.FilePath));

        var failures = new List<string>();
        var candidates = new List<(Declaration Declaration, string Path, string Text, SyntaxTree[] Generated)>();
        int valid = 0, nngInvalid = 0, compilerInvalid = 0, invalidImages = 0;
        for (int i = 0; i < batch.Length; i++)
        {
            Declaration d = batch[i];
            var (file, source) = files[i];
            var fileErrors = errors[file].ToList();
            bool hasSource = generated.TryGetValue($"Samples.{Name(i)}.g.cs", out SyntaxTree? tree);
            if (d.NnGenError(version))
            {
                nngInvalid++;
                if (d.Image) invalidImages++;
                if (!fileErrors.Any(e => e.Id.StartsWith("NNG", StringComparison.Ordinal)) || hasSource)
                    failures.Add($"Invalid by NnGen's rules, but got {(hasSource ? "generated code" : "no NNG error")}:\n{source}{GeneratorHarness.Format(fileErrors)}");
            }
            else if (d.CompilerError)
            {
                compilerInvalid++;
                if (fileErrors.Count == 0 || hasSource)
                    failures.Add($"A compiler error in the declaration, but got {(hasSource ? "generated code" : "no error")}:\n{source}");
            }
            else
            {
                valid++;
                var syntaxErrors = tree?.GetDiagnostics().Where(x => x.Severity == DiagnosticSeverity.Error).ToList() ?? [];
                if (fileErrors.Count > 0 || tree is null || syntaxErrors.Count > 0)
                    failures.Add($"Valid, but got {(tree is null ? "no generated code" : "errors")}:\n{source}{GeneratorHarness.Format(fileErrors.Concat(syntaxErrors))}");
                else
                    candidates.Add((d, file, source, [tree]));
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {batch.Length} declarations went wrong (C# {version}):\n\n" + string.Join("\n\n", failures.Take(5)));

        // The sample, compiled in full: no error and no warning, in the declarations or in the generated code.
        var special = candidates.OrderBy(c => c.Declaration.Shadowing is null && c.Declaration.Base == BaseKind.None ? 1 : 0).Take(CompiledPerBatch - ImagesCompiledPerBatch).ToList();
        var images = candidates.Except(special).Where(c => c.Declaration.Image)
            .OrderByDescending(c => c.Declaration.Layers.Select(l => l.Kind).Distinct().Count()).Take(ImagesCompiledPerBatch);
        var sample = special.Concat(images).ToList();
        sample.AddRange(candidates.Except(sample).Take(CompiledPerBatch - sample.Count));
        var compilation = GeneratorHarness.CreateCompilation(options,
            sample.SelectMany(c => c.Generated.Select(t => (t.FilePath, t.GetText().ToString())).Prepend((c.Path, c.Text))).ToArray());
        var bad = compilation.GetDiagnostics().Where(d => d.Severity is DiagnosticSeverity.Error or DiagnosticSeverity.Warning).ToList();
        Assert.True(bad.Count == 0, $"The code of valid declarations does not compile cleanly under C# {version}:\n{GeneratorHarness.Format(bad.Take(10))}\n\n" +
            string.Join("\n\n", sample.Where(c => bad.Any(b => b.Location.GetLineSpan().Path == c.Path || c.Generated.Any(t => t.FilePath == b.Location.GetLineSpan().Path))).Take(2).Select(c => c.Text)));
        return (valid, nngInvalid, compilerInvalid, invalidImages, candidates.Select(c => c.Declaration).Where(d => d.Image).ToList(),
            sample.Select(c => c.Declaration).ToList());
    }
}
