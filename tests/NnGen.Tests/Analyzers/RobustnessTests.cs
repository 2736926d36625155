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
/// classes plain, colliding or networks themselves, primary constructors) through the generator and both analyzers, under
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

    private sealed record Layer(int Units, bool UnitsWrongType, int Activation, string? Name, InputsMode Inputs, int InputsValue);

    private sealed record Declaration(
        int? Input, bool InputWrongType, int? Loss, int? Optimizer, string? LearningRate, double? Momentum, int? Classes,
        Layer[] Layers, bool Partial, bool Static, bool Generic, bool Collision, bool Split,
        string? Shadowing, BaseKind Base, int BaseMember, bool PrimaryConstructor)
    {
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
            if (Loss is { } loss) args.Add($"Loss = (Loss)({loss})");
            if (Optimizer is { } optimizer) args.Add($"Optimizer = (Optimizer)({optimizer})");
            if (LearningRate is { } lr) args.Add($"LearningRate = {lr}");
            if (Momentum is { } momentum) args.Add($"Momentum = {momentum.ToString("R", CultureInfo.InvariantCulture)}");
            if (Classes is { } classes) args.Add($"Classes = {classes}");

            string type = $"{name}{(Generic ? "<T>" : "")}", modifiers = $"public {(Static ? "static " : "")}{(Partial ? "partial " : "")}class";
            var sb = new StringBuilder($"[Sequential({string.Join(", ", args)})]\n");
            int onFirst = Split ? Layers.Length - 1 : Layers.Length;
            int previous = Input ?? 0;
            for (int i = 0; i < Layers.Length; i++)
            {
                if (i == onFirst) sb.Append($"{modifiers} {type}\n{{\n}}\n\n");
                sb.Append(Render(Layers[i], previous));
                previous = Layers[i].Units;
            }
            sb.Append($"{modifiers} {type}{(PrimaryConstructor ? "(string label)" : "")}{(baseName is null ? "" : " : " + baseName)}\n{{\n");
            if (Collision) sb.Append("    public const int InputSize = 1;\n");
            if (Shadowing is not null) sb.Append($"    {Shadowing}\n");
            if (PrimaryConstructor) sb.Append("    public string Label => label;\n");
            sb.Append("}\n");
            return sb.ToString();
        }

        private static string Render(Layer layer, int previous)
        {
            var args = new List<string> { layer.UnitsWrongType ? "\"two\"" : layer.Units.ToString(CultureInfo.InvariantCulture), $"(Activation)({layer.Activation})" };
            if (layer.Name is { } name) args.Add($"Name = \"{name}\"");
            if (layer.Inputs == InputsMode.Correct) args.Add($"Inputs = {previous}");
            if (layer.Inputs == InputsMode.Value) args.Add($"Inputs = {layer.InputsValue}");
            return $"[Dense({string.Join(", ", args)})]\n";
        }

        /// <summary>A compiler error in the declaration itself: NnGen must generate nothing and need not add its own.</summary>
        public bool CompilerError => InputWrongType || Layers.Any(l => l.UnitsWrongType) || (Split && !Partial);

        /// <summary>NnGen's rules, from the catalogue: does the declaration deserve an NNG error under <paramref name="version"/>?</summary>
        public bool NnGenError(LanguageVersion version)
        {
            if (!Partial || Static || Generic || Collision) return true;                                    // NNG0001, 0012, 0007, 0009
            if (version.MapSpecifiedToEffectiveVersion() < LanguageVersion.CSharp8) return true;            // NNG0018
            if (PrimaryConstructor || Base is BaseKind.Colliding or BaseKind.Network) return true;         // NNG0016, 0009, 0015
            if (!InputWrongType && (Input is null || Input <= 0)) return true;                                // NNG0002, 0005
            if (Loss is not (null or (>= 0 and <= 3)) || Optimizer is not (null or (>= 0 and <= 3))) return true;      // NNG0006
            if (LearningRate is "double.NaN" or "double.PositiveInfinity" or "1e300" or "-1" or "0") return true; // NNG0011: not a finite float, or cannot train
            bool sgd = Optimizer == 0;
            if ((sgd || Optimizer == 3) && Momentum is { } m && !(m >= 0 && m < 1)) return true;             // NNG0011: Sgd and RMSprop reject it
            if (Classes <= 0) return true;                                                                     // NNG0005
            if (Layers.Length == 0 || Split) return true;                                                      // NNG0003, 0004
            // A layer with a compiler error is left to the compiler; the others are still checked.
            var names = Layers.Select((l, i) => l.UnitsWrongType ? null : l.Name ?? (i == 0 ? "dense" : $"dense_{i}")).ToList();
            for (int i = 0; i < Layers.Length; i++)
            {
                Layer l = Layers[i];
                if (l.UnitsWrongType) continue;
                if (l.Units <= 0 || l.Activation is < 0 or > 6) return true;                                  // NNG0005, 0006
                if (l.Inputs == InputsMode.Value && l.InputsValue <= 0) return true;                           // NNG0005
                if (names.IndexOf(names[i]) < i) return true;                                                  // NNG0010
            }
            if (CompilerError || Input is not int input) return false;                                         // shapes need every size

            int previous = input;
            foreach (Layer l in Layers)
            {
                if (l.Inputs == InputsMode.Value && l.InputsValue != previous) return true;                    // NNG0101
                previous = l.Units;
            }
            Layer output = Layers[^1];
            int lossKind = Loss ?? 0;
            if (Classes is { } classes && !(output.Units == classes || (lossKind == 2 && classes == 2 && output.Units == 1))) return true; // NNG0104
            if (lossKind is 0 or 1 && output.Units < 2) return true;                                           // NNG0102
            return lossKind == 2 && output.Units > 1 && output.Activation != 2;                                // NNG0103
        }
    }

    private static Gen<T?> Maybe<T>(int absent, Gen<T> present) where T : struct =>
        Gen.Frequency((absent, Gen.Const((T?)null)), (10, present.Select(v => (T?)v)));

    private static readonly Gen<Layer> LayerGen = Gen.Select(
        Gen.Frequency((1, Gen.Int[-3, 0]), (40, Gen.Int[1, 24])),
        Gen.Frequency((60, Gen.Const(false)), (1, Gen.Const(true))),
        Gen.Frequency((40, Gen.Int[0, 6]), (1, Gen.Int[-2, 9])),
        Gen.Frequency((12, Gen.Const((string?)null)), (1, Gen.OneOf<string?>("a", "b", "dense", "dense_1"))),
        Gen.Frequency((16, Gen.Const(InputsMode.None)), (4, Gen.Const(InputsMode.Correct)), (1, Gen.Const(InputsMode.Value))),
        Gen.Int[-1, 30],
        (units, wrong, activation, name, inputs, value) => new Layer(units, wrong, activation, name, inputs, value));

    private static readonly Gen<Declaration> DeclarationGen = Gen.Select(
        Gen.Select(
            Gen.Frequency((1, Gen.Const((int?)null)), (1, Gen.Int[-3, 0].Select(v => (int?)v)), (30, Gen.Int[1, 40].Select(v => (int?)v))),
            Gen.Frequency((40, Gen.Const(false)), (1, Gen.Const(true))),
            Maybe(4, Gen.Frequency((30, Gen.Int[0, 3]), (1, Gen.Int[-1, 6]))),
            Maybe(4, Gen.Frequency((30, Gen.Int[0, 3]), (1, Gen.Int[-1, 5]))),
            Gen.Frequency((16, Gen.Const((string?)null)), (6, Gen.OneOf<string?>("0.001", "0.05")), (1, Gen.OneOf<string?>("-1", "0", "double.NaN", "double.PositiveInfinity", "1e300"))),
            Gen.Frequency((16, Gen.Const((double?)null)), (6, Gen.OneOf<double?>(0.0, 0.5, 0.9)), (1, Gen.OneOf<double?>(1.0, -0.5))),
            // Classes: absent, equal to the output width (set below), any width, or not positive.
            Gen.Frequency((20, Gen.Const((int?)null)), (4, Gen.Const((int?)int.MaxValue)), (2, Gen.Int[1, 12].Select(v => (int?)v)), (1, Gen.Int[-1, 0].Select(v => (int?)v)))),
        Gen.Frequency((1, Gen.Const(0)), (30, Gen.Int[1, 5])).SelectMany(n => LayerGen.Array[n]),
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
        (head, layers, partial, isStatic, generic, collision, split, tail) => new Declaration(
            head.Item1, head.Item2, head.Item3, head.Item4, head.Item5, head.Item6,
            head.Item7 == int.MaxValue ? (layers.Length > 0 ? layers[^1].Units : 3) : head.Item7,
            layers, partial, isStatic, generic, collision, split && layers.Length >= 2, tail.Item1, tail.Item2, tail.Item3, tail.Item4));

    [Fact]
    public void RandomDeclarationsAreDiagnosedOrCompile()
    {
        int valid = 0, nngInvalid = 0, compilerInvalid = 0, compiled = 0;
        var validByVersion = new Dictionary<LanguageVersion, int>();
        foreach (LanguageVersion version in Versions)
        {
            DeclarationGen.Array[PerBatch].Sample(batch =>
            {
                var (v, n, c, k) = CheckBatch(batch, version);
                valid += v; nngInvalid += n; compilerInvalid += c; compiled += k;
                validByVersion[version] = validByVersion.GetValueOrDefault(version) + v;
            }, iter: Rounds, threads: 1, print: batch => $"{batch.Length} declarations under C# {version.ToDisplayString()}");
        }
        // Every kind is well represented, and every language version from C# 8 has valid declarations, compiled.
        Assert.True(valid >= Batches * PerBatch / 6 && nngInvalid >= Batches * PerBatch / 5 && compilerInvalid >= 10,
            $"valid {valid}, invalid by NnGen's rules {nngInvalid}, with compiler errors {compilerInvalid}");
        Assert.All(Versions.Skip(1), v => Assert.True(validByVersion[v] >= CompiledPerBatch, $"C# {v}: {validByVersion[v]} valid declarations"));
        Assert.True(compiled >= (Batches - 2) * CompiledPerBatch, $"{compiled} valid declarations compiled in full");
    }

    /// <summary>
    /// Valid declarations per batch whose generated method bodies are compiled in full, with their declaration, under the
    /// batch's language version (binding them costs about 0.2 s a network; every valid one is parsed). Those with a
    /// shadowing member or a base class come first.
    /// </summary>
    private const int CompiledPerBatch = 5;

    /// <summary>
    /// One compilation of the batch, one file per declaration (diagnostics are attributed by file). The analyzers run on
    /// the declarations alone: what they report about a declaration does not depend on the generated code (which is
    /// what the catalogue tests check, with it), and binding every generated body would cost minutes.
    /// </summary>
    private static (int Valid, int NnGenInvalid, int CompilerInvalid, int Compiled) CheckBatch(Declaration[] batch, LanguageVersion version)
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
        int valid = 0, nngInvalid = 0, compilerInvalid = 0;
        for (int i = 0; i < batch.Length; i++)
        {
            Declaration d = batch[i];
            var (file, source) = files[i];
            var fileErrors = errors[file].ToList();
            bool hasSource = generated.TryGetValue($"Samples.{Name(i)}.g.cs", out SyntaxTree? tree);
            if (d.NnGenError(version))
            {
                nngInvalid++;
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
        var sample = candidates.OrderBy(c => c.Declaration.Shadowing is null && c.Declaration.Base == BaseKind.None ? 1 : 0).Take(CompiledPerBatch).ToList();
        var compilation = GeneratorHarness.CreateCompilation(options,
            sample.SelectMany(c => c.Generated.Select(t => (t.FilePath, t.GetText().ToString())).Prepend((c.Path, c.Text))).ToArray());
        var bad = compilation.GetDiagnostics().Where(d => d.Severity is DiagnosticSeverity.Error or DiagnosticSeverity.Warning).ToList();
        Assert.True(bad.Count == 0, $"The code of valid declarations does not compile cleanly under C# {version}:\n{GeneratorHarness.Format(bad.Take(10))}\n\n" +
            string.Join("\n\n", sample.Where(c => bad.Any(b => b.Location.GetLineSpan().Path == c.Path || c.Generated.Any(t => t.FilePath == b.Location.GetLineSpan().Path))).Take(2).Select(c => c.Text)));
        return (valid, nngInvalid, compilerInvalid, sample.Count);
    }
}
