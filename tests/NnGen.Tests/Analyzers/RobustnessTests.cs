using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using CsCheck;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using NnGen.Tests.Generator;

namespace NnGen.Tests.Analyzers;

/// <summary>
/// Random declarations (random attribute arguments, missing pieces, wrong types, non-partial, static and generic classes,
/// member collisions, layers split over declarations) through the generator and both analyzers. Nothing throws; every
/// declaration the rules below call invalid gets an NNG error and no generated code; one with a compiler error of its own
/// (a wrong argument type) gets an error and no generated code; every valid one generates code that compiles.
/// The rules are an independent statement of what NnGen accepts, written from the catalogue, not from the parser.
/// </summary>
public class RobustnessTests
{
    private const int Batches = 10, PerBatch = 200; // 2,000 declarations, 200 per compilation

    private enum InputsMode { None, Correct, Value }

    private sealed record Layer(int Units, bool UnitsWrongType, int Activation, string? Name, InputsMode Inputs, int InputsValue);

    private sealed record Declaration(
        int? Input, bool InputWrongType, int? Loss, int? Optimizer, string? LearningRate, double? Momentum, int? Classes,
        Layer[] Layers, bool Partial, bool Static, bool Generic, bool Collision, bool Split)
    {
        public string Source(string name)
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
                if (i == onFirst) sb.Append($"{modifiers} {type};\n\n");
                sb.Append(Render(Layers[i], previous));
                previous = Layers[i].Units;
            }
            sb.Append($"{modifiers} {type}");
            sb.Append(Collision ? "\n{\n    public const int InputSize = 1;\n}\n" : ";\n");
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

        /// <summary>NnGen's rules, from the catalogue: does the declaration deserve an NNG error?</summary>
        public bool NnGenError()
        {
            if (!Partial || Static || Generic || Collision) return true;                                    // NNG0001, 0012, 0007, 0009
            if (!InputWrongType && (Input is null || Input <= 0)) return true;                                // NNG0002, 0005
            if (Loss is not (null or (>= 0 and <= 3)) || Optimizer is not (null or (>= 0 and <= 3))) return true;      // NNG0006
            if (LearningRate is "double.NaN" or "double.PositiveInfinity" or "1e300") return true;             // NNG0011: not a finite float
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
        (head, layers, partial, isStatic, generic, collision, split) => new Declaration(
            head.Item1, head.Item2, head.Item3, head.Item4, head.Item5, head.Item6,
            head.Item7 == int.MaxValue ? (layers.Length > 0 ? layers[^1].Units : 3) : head.Item7,
            layers, partial, isStatic, generic, collision, split && layers.Length >= 2));

    [Fact]
    public void RandomDeclarationsAreDiagnosedOrCompile()
    {
        int valid = 0, nngInvalid = 0, compilerInvalid = 0, batches = 0;
        var compiled = new List<(string Path, string Text)>();
        DeclarationGen.Array[PerBatch].Sample(batch =>
        {
            var (v, n, c, sample) = CheckBatch(batch, PerBatch * batches++); // unique class names across batches
            valid += v; nngInvalid += n; compilerInvalid += c;
            compiled.AddRange(sample);
        }, iter: Batches, threads: 1, print: batch => $"{batch.Length} declarations");
        // Every kind is well represented.
        Assert.True(valid >= Batches * PerBatch / 5 && nngInvalid >= Batches * PerBatch / 5 && compilerInvalid >= 10,
            $"valid {valid}, invalid by NnGen's rules {nngInvalid}, with compiler errors {compilerInvalid}");

        // Binding generated method bodies costs about 0.2 s a network, so the bodies of a sample of the valid networks,
        // the first few of every batch, are compiled in full: declarations and generated code together, with no error.
        var compilation = GeneratorHarness.CreateCompilation(compiled.ToArray());
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, $"The generated code of valid declarations does not compile:\n{GeneratorHarness.Format(errors.Take(10))}");
    }

    private const int CompiledPerBatch = 4;

    /// <summary>
    /// One compilation of the batch, one file per declaration (diagnostics are attributed by file). The analyzers run on
    /// the declarations alone: what they report about a declaration does not depend on the generated code (which is
    /// what the catalogue tests check, with it), and binding every generated body would cost minutes.
    /// </summary>
    private static (int Valid, int NnGenInvalid, int CompilerInvalid, List<(string Path, string Text)> Compiled) CheckBatch(Declaration[] batch, int seed)
    {
        string Name(int i) => $"Net{seed + i}";
        var files = batch.Select((d, i) => ($"{Name(i)}.cs", NnGenTest.Usings + d.Source(Name(i)))).ToArray();
        var input = GeneratorHarness.CreateCompilation(files);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(input, out Compilation output, out var generatorDiagnostics);
        Assert.All(driver.GetRunResult().Results, r => Assert.True(r.Exception is null, $"The generator threw: {r.Exception}"));
        Assert.Empty(generatorDiagnostics); // neither an internal failure (NNG0999) nor a generator exception (CS8784/CS8785)
        var analyzerDiagnostics = input.WithAnalyzers(NnGenTest.Analyzers).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        Assert.DoesNotContain(analyzerDiagnostics, d => d.Id is "AD0001" or "NNG0999"); // AD0001: an analyzer threw

        var errors = analyzerDiagnostics.Concat(input.GetDiagnostics())
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .ToLookup(d => d.Location.GetLineSpan().Path);
        var generated = output.SyntaxTrees.Skip(input.SyntaxTrees.Length).ToDictionary(t => System.IO.Path.GetFileName(t.FilePath));

        var failures = new List<string>();
        var compiled = new List<(string Path, string Text)>();
        int valid = 0, nngInvalid = 0, compilerInvalid = 0;
        for (int i = 0; i < batch.Length; i++)
        {
            Declaration d = batch[i];
            var (file, source) = files[i];
            var fileErrors = errors[file].ToList();
            bool hasSource = generated.TryGetValue($"Samples.{Name(i)}.g.cs", out SyntaxTree? tree);
            if (d.NnGenError())
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
                else if (compiled.Count < 2 * CompiledPerBatch)
                    compiled.AddRange([(file, source), (tree.FilePath, tree.GetText().ToString())]);
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {batch.Length} declarations went wrong:\n\n" + string.Join("\n\n", failures.Take(5)));
        return (valid, nngInvalid, compilerInvalid, compiled);
    }
}
