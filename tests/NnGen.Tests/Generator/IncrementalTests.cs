using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using NnGen.Generators;
using NnGen.Generators.Layers;
using NnGen.Generators.Model;

namespace NnGen.Tests.Generator;

/// <summary>The generator's pipeline caches: unrelated edits re-emit nothing, relevant edits re-emit the network.</summary>
public class IncrementalTests
{
    private static readonly string[] TrackedSteps = [NetworkGenerator.Steps.Parse, NetworkGenerator.Steps.Spec, NetworkGenerator.Steps.Diagnostics];

    private const string Unrelated = """
        namespace Samples;

        public class Unrelated
        {
            public int Value => 1;
        }
        """;

    private static IEnumerable<(object Value, IncrementalStepRunReason Reason)> Outputs(GeneratorRun run, string step)
    {
        Assert.True(run.Result.TrackedSteps.TryGetValue(step, out var steps),
            $"No tracked step '{step}'; the generator tracks: {string.Join(", ", run.Result.TrackedSteps.Keys)}");
        return steps.SelectMany(s => s.Outputs);
    }

    private static void AssertAllCached(GeneratorRun run)
    {
        foreach (string step in TrackedSteps)
        {
            var outputs = Outputs(run, step).ToList();
            Assert.NotEmpty(outputs);
            Assert.All(outputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"Step {step} output was {o.Reason}: {o.Value}"));
        }
    }

    [Fact]
    public void AddingAnUnrelatedSyntaxTreeReusesEveryStep()
    {
        var compilation = GeneratorHarness.CreateCompilation(Declarations.MnistMlp, Declarations.OddNet);
        GeneratorRun first = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation).AssertCompilesCleanly();

        GeneratorRun second = GeneratorHarness.Run(first.Driver, compilation.AddSyntaxTrees(GeneratorHarness.Parse(Unrelated, "Unrelated.cs")));

        AssertAllCached(second);
        Assert.Equal(first.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())),
                     second.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())));
    }

    [Fact]
    public void EditingAnUnrelatedClassReusesEveryStep()
    {
        var compilation = GeneratorHarness.CreateCompilation(("Mnist.cs", Declarations.MnistMlp), ("Unrelated.cs", Unrelated));
        GeneratorRun first = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation).AssertCompilesCleanly();

        SyntaxTree old = compilation.SyntaxTrees.Single(t => t.FilePath == "Unrelated.cs");
        var edited = compilation.ReplaceSyntaxTree(old, GeneratorHarness.Parse(Unrelated.Replace("=> 1", "=> 2"), "Unrelated.cs"));
        GeneratorRun second = GeneratorHarness.Run(first.Driver, edited);

        AssertAllCached(second);
        Assert.Equal(first.SingleSource, second.SingleSource);
    }

    [Fact]
    public void MovingTheDeclarationWithoutChangingItKeepsTheSpec()
    {
        // A comment above the class shifts every location; the spec holds no locations, so nothing is re-emitted.
        var compilation = GeneratorHarness.CreateCompilation(("Mnist.cs", Declarations.MnistMlp));
        GeneratorRun first = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);

        SyntaxTree old = compilation.SyntaxTrees.Single();
        var edited = compilation.ReplaceSyntaxTree(old, GeneratorHarness.Parse("// a comment\n// and another\n" + Declarations.MnistMlp, "Mnist.cs"));
        GeneratorRun second = GeneratorHarness.Run(first.Driver, edited);

        Assert.All(Outputs(second, NetworkGenerator.Steps.Spec), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
        Assert.Equal(first.SingleSource, second.SingleSource);
    }

    [Fact]
    public void ChangingUnitsModifiesTheSpec()
    {
        var compilation = GeneratorHarness.CreateCompilation(("Mnist.cs", Declarations.MnistMlp), ("Unrelated.cs", Unrelated));
        GeneratorRun first = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);

        SyntaxTree old = compilation.SyntaxTrees.Single(t => t.FilePath == "Mnist.cs");
        var edited = compilation.ReplaceSyntaxTree(old, GeneratorHarness.Parse(Declarations.MnistMlp.Replace("Dense(128,", "Dense(64,"), "Mnist.cs"));
        GeneratorRun second = GeneratorHarness.Run(first.Driver, edited).AssertCompilesCleanly();

        Assert.Equal(IncrementalStepRunReason.Modified, Assert.Single(Outputs(second, NetworkGenerator.Steps.Spec)).Reason);
        Assert.NotEqual(first.SingleSource, second.SingleSource);
        Assert.Contains("Dense(64, Relu)", second.SingleSource);
    }

    [Fact]
    public void ChangingOneNetworkLeavesTheOtherCached()
    {
        var compilation = GeneratorHarness.CreateCompilation(("Mnist.cs", Declarations.MnistMlp), ("Odd.cs", Declarations.OddNet));
        GeneratorRun first = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);

        SyntaxTree old = compilation.SyntaxTrees.Single(t => t.FilePath == "Mnist.cs");
        var edited = compilation.ReplaceSyntaxTree(old, GeneratorHarness.Parse(Declarations.MnistMlp.Replace("Dense(128,", "Dense(64,"), "Mnist.cs"));
        GeneratorRun second = GeneratorHarness.Run(first.Driver, edited);

        var reasons = Outputs(second, NetworkGenerator.Steps.Spec).ToList();
        Assert.Equal(2, reasons.Count);
        Assert.Single(reasons, r => r.Reason == IncrementalStepRunReason.Modified && ((NetworkSpec)r.Value).TypeName == "MnistMlp");
        Assert.Single(reasons, r => r.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged && ((NetworkSpec)r.Value).TypeName == "OddNet");
        Assert.Equal(first.Source("Samples.Odd.OddNet.g.cs"), second.Source("Samples.Odd.OddNet.g.cs"));
    }

    // ---- The model holds plain values only ----------------------------------------------------------------

    private static readonly Type[] Forbidden =
    [
        typeof(ISymbol), typeof(SyntaxNode), typeof(Compilation), typeof(SemanticModel), typeof(Location),
        typeof(SyntaxTree), typeof(SyntaxReference), typeof(AttributeData),
    ];

    [Fact]
    public void ModelTypesHoldNoSymbolsSyntaxOrCompilations()
    {
        var visited = new HashSet<Type>();
        var problems = new List<string>();
        Walk(typeof(NetworkSpec), "NetworkSpec", visited, problems);
        Walk(typeof(ParseResult), "ParseResult", visited, problems);
        Walk(typeof(LayerShape), "LayerShape", visited, problems);
        // A spec holds its layers as LayerSpec: each kind's record is walked too.
        Type[] kinds = typeof(LayerSpec).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(LayerSpec))).ToArray();
        foreach (Type kind in kinds) Walk(kind, kind.Name, visited, problems);
        Assert.True(problems.Count == 0, string.Join("\n", problems));

        // The walk reached the nested model types, including EquatableArray element types.
        Assert.Contains(typeof(LayerSpec), visited);
        Assert.Contains(typeof(DenseSpec), kinds);
        Assert.Contains(typeof(Shape), visited);
        Assert.Contains(typeof(OptimizerSpec), visited);
        Assert.Contains(typeof(ContainingType), visited);
        Assert.Contains(typeof(DiagnosticInfo), visited);
        Assert.Contains(typeof(LocationInfo), visited);
    }

    [Fact]
    public void ModelWalkerDetectsForbiddenTypes()
    {
        var problems = new List<string>();
        Walk(typeof(BadModel), "BadModel", new HashSet<Type>(), problems);
        Assert.Contains(problems, p => p.Contains("Location"));
        Assert.Contains(problems, p => p.Contains("ISymbol"));
        Assert.Contains(problems, p => p.Contains("SyntaxNode"));
    }

    private sealed record BadModel(Location Where, EquatableArray<Wrapped> Items, List<SyntaxNode>[] Nodes);

    private sealed record Wrapped(INamedTypeSymbol Symbol);

    private static void Walk(Type type, string path, HashSet<Type> visited, List<string> problems)
    {
        foreach (Type bad in Forbidden)
        {
            if (bad.IsAssignableFrom(type))
            {
                problems.Add($"{path} is {type.Name}, a {bad.Name}: the incremental model must hold plain values.");
                return;
            }
        }
        if (type == typeof(object))
        {
            problems.Add($"{path} is object: the model's contents must be statically known values.");
            return;
        }
        if (!visited.Add(type)) return;

        if (type.HasElementType) Walk(type.GetElementType()!, path + "[]", visited, problems);
        if (type.IsGenericType)
            foreach (Type argument in type.GetGenericArguments())
                Walk(argument, $"{path}<{argument.Name}>", visited, problems);

        // Only our own types (the model, EquatableArray, test models) are opened up; framework and Roslyn value
        // types such as TextSpan and string are leaves.
        bool own = !type.HasElementType && (type.Assembly == typeof(NetworkSpec).Assembly || type.DeclaringType == typeof(IncrementalTests));
        if (!own) return;

        if (!type.IsValueType && !type.IsEnum && type.GetMethod("Equals", [type]) is null)
            problems.Add($"{path} ({type.Name}) has no typed Equals: pipeline values must have value equality.");

        // What a value holds is its fields (auto-properties' backing fields included); computed properties (a layer
        // spec's Kind, say) hold nothing and take no part in equality.
        const BindingFlags all = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        for (Type? t = type; t is not null && t.Assembly == type.Assembly; t = t.BaseType)
        {
            foreach (FieldInfo field in t.GetFields(all))
            {
                if (field.Name == "<EqualityContract>k__BackingField") continue;
                string name = field.Name.StartsWith('<') ? field.Name[1..field.Name.IndexOf('>')] : field.Name;
                Walk(field.FieldType, $"{path}.{name}", visited, problems);
            }
        }
    }
}
