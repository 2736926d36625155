using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NnGen.Generators;

namespace NnGen.Tests.Generator;

/// <summary>The outcome of one run of <see cref="NetworkGenerator"/> over an in-memory compilation.</summary>
internal sealed record GeneratorRun(
    CSharpCompilation InputCompilation,
    Compilation OutputCompilation,
    GeneratorDriver Driver,
    GeneratorDriverRunResult RunResult,
    ImmutableArray<GeneratedSourceResult> GeneratedSources,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    ImmutableArray<Diagnostic> OutputDiagnostics)
{
    /// <summary>The generator's own result (there is one generator).</summary>
    public GeneratorRunResult Result => RunResult.Results.Single();

    /// <summary>The text of the one generated source; fails when there is not exactly one.</summary>
    public string SingleSource
    {
        get
        {
            Assert.True(GeneratedSources.Length == 1,
                $"Expected exactly one generated source, got {GeneratedSources.Length}: {string.Join(", ", GeneratedSources.Select(s => s.HintName))}.\n" +
                GeneratorHarness.Format(GeneratorDiagnostics));
            return GeneratedSources[0].SourceText.ToString();
        }
    }

    /// <summary>Generated source by hint name (e.g. <c>Samples.MnistMlp.g.cs</c>).</summary>
    public string Source(string hintName) => GeneratedSources.Single(s => s.HintName == hintName).SourceText.ToString();

    /// <summary>Diagnostics of the output compilation at warning or error severity.</summary>
    public IEnumerable<Diagnostic> OutputWarningsAndErrors =>
        OutputDiagnostics.Where(d => d.Severity is DiagnosticSeverity.Warning or DiagnosticSeverity.Error);

    /// <summary>The generator's diagnostics whose ID starts with NNG.</summary>
    public IEnumerable<Diagnostic> NngDiagnostics => GeneratorDiagnostics.Where(d => d.Id.StartsWith("NNG", StringComparison.Ordinal));

    /// <summary>Asserts the generator neither threw nor reported an internal failure (NNG0999).</summary>
    public GeneratorRun AssertNoGeneratorFailure()
    {
        foreach (GeneratorRunResult result in RunResult.Results)
            Assert.True(result.Exception is null, $"The generator threw: {result.Exception}");
        Assert.DoesNotContain(GeneratorDiagnostics, d => d.Id == "NNG0999");
        // A generator exception surfaces in the output compilation as CS8784/CS8785.
        Assert.DoesNotContain(OutputDiagnostics, d => d.Id is "CS8784" or "CS8785");
        return this;
    }

    /// <summary>Asserts the output compilation (user code plus generated code) has no warnings or errors.</summary>
    public GeneratorRun AssertCompilesCleanly()
    {
        var bad = OutputWarningsAndErrors.ToList();
        Assert.True(bad.Count == 0, "The output compilation has diagnostics:\n" + GeneratorHarness.Format(bad));
        return this;
    }
}

/// <summary>
/// Runs <see cref="NetworkGenerator"/> over in-memory source (net10.0 reference assemblies, the NnGen runtime and
/// System.Numerics.Tensors), and loads the result into a collectible load context so tests can call it.
/// </summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.Parse);

    public static readonly CSharpCompilationOptions CompilationOptions = new(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable,
        allowUnsafe: false,
        warningLevel: 9999,
        deterministic: true);

    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        MetadataReference.CreateFromFile(typeof(NnGen.INetwork).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(System.Numerics.Tensors.TensorPrimitives).Assembly.Location),
    ];

    private static int _assemblyCounter;

    /// <summary>A compilation of the given sources; each becomes <c>File{i}.cs</c> unless given as (path, text).</summary>
    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CreateCompilation(sources.Select((s, i) => ($"File{i}.cs", s)).ToArray());

    public static CSharpCompilation CreateCompilation(params (string Path, string Text)[] sources) =>
        CreateCompilation(ParseOptions, sources);

    public static CSharpCompilation CreateCompilation(CSharpParseOptions parseOptions, params (string Path, string Text)[] sources) =>
        CSharpCompilation.Create(
            $"NnGenInMemory{System.Threading.Interlocked.Increment(ref _assemblyCounter)}",
            sources.Select(s => Parse(s.Text, s.Path, parseOptions)),
            References,
            CompilationOptions);

    public static SyntaxTree Parse(string text, string path, CSharpParseOptions? parseOptions = null) =>
        CSharpSyntaxTree.ParseText(text, parseOptions ?? ParseOptions, path, System.Text.Encoding.UTF8);

    /// <summary>A fresh driver that tracks incremental steps.</summary>
    public static GeneratorDriver CreateDriver(CSharpParseOptions? parseOptions = null) =>
        CSharpGeneratorDriver.Create(
            [new NetworkGenerator().AsSourceGenerator()],
            additionalTexts: null,
            parseOptions: parseOptions ?? ParseOptions,
            optionsProvider: null,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Compiles <paramref name="sources"/> and runs the generator once on a new driver.</summary>
    public static GeneratorRun Run(params string[] sources) => Run(CreateDriver(), CreateCompilation(sources));

    /// <summary>Like <see cref="Run(string[])"/> with other parse options (e.g. documentation comments diagnosed, as with GenerateDocumentationFile).</summary>
    public static GeneratorRun RunWith(CSharpParseOptions parseOptions, params string[] sources) =>
        Run(CreateDriver(parseOptions), CreateCompilation(parseOptions, sources.Select((s, i) => ($"File{i}.cs", s)).ToArray()));

    /// <summary>Runs <paramref name="driver"/> (fresh, or returned by an earlier run for an incremental run) on <paramref name="compilation"/>.</summary>
    public static GeneratorRun Run(GeneratorDriver driver, CSharpCompilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        GeneratorDriverRunResult runResult = driver.GetRunResult();
        return new GeneratorRun(
            compilation,
            output,
            driver,
            runResult,
            runResult.Results.SelectMany(r => r.GeneratedSources).ToImmutableArray(),
            generatorDiagnostics,
            output.GetDiagnostics());
    }

    /// <summary>Emits <paramref name="compilation"/> and loads it into a new collectible load context (dispose to unload).</summary>
    public static LoadedAssembly Load(Compilation compilation)
    {
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        Assert.True(result.Success, "Emit failed:\n" + Format(result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        stream.Position = 0;
        var context = new TestLoadContext();
        return new LoadedAssembly(context, context.LoadFromStream(stream));
    }

    /// <summary>One diagnostic per line, with its file position, for failure messages.</summary>
    public static string Format(IEnumerable<Diagnostic> diagnostics) =>
        string.Join("\n", diagnostics.Select(d => $"  {d.Location.GetLineSpan()}: {d.Id} {d.Severity}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}"));

    /// <summary>The source text a diagnostic points at (generator diagnostics use file locations, so look the tree up by path).</summary>
    public static string SpanText(Diagnostic diagnostic, Compilation compilation)
    {
        Location location = diagnostic.Location;
        SyntaxTree? tree = location.SourceTree ?? compilation.SyntaxTrees.SingleOrDefault(t => t.FilePath == location.GetLineSpan().Path);
        Assert.True(tree is not null, $"{diagnostic.Id} has no location in a source file: {location}");
        return tree.GetText().ToString(location.SourceSpan);
    }

    /// <summary>
    /// Resolves NnGen and System.Numerics.Tensors to the test's own copies, so a generated network is an
    /// <see cref="INetwork"/> of the test's NnGen and the extension methods apply to it.
    /// </summary>
    private sealed class TestLoadContext() : AssemblyLoadContext("NnGen generated network", isCollectible: true)
    {
        private static readonly Assembly[] Shared = [typeof(NnGen.INetwork).Assembly, typeof(System.Numerics.Tensors.TensorPrimitives).Assembly];

        protected override Assembly? Load(AssemblyName assemblyName) =>
            Shared.FirstOrDefault(a => AssemblyName.ReferenceMatchesDefinition(assemblyName, a.GetName()))
            ?? Default.Assemblies.FirstOrDefault(a => a.GetName().Name == assemblyName.Name);
    }
}

/// <summary>An in-memory assembly in a collectible load context; disposing unloads it.</summary>
internal sealed class LoadedAssembly(AssemblyLoadContext context, Assembly assembly) : IDisposable
{
    public Assembly Assembly { get; } = assembly;

    /// <summary>Creates an instance of the generated network <paramref name="typeName"/> (full metadata name, nested types with '+').</summary>
    public NnGen.INetwork CreateNetwork(string typeName, params object[] constructorArguments)
    {
        Type? type = Assembly.GetType(typeName);
        Assert.True(type is not null, $"Type '{typeName}' not found; the assembly has: {string.Join(", ", Assembly.GetTypes().Select(t => t.FullName))}");
        object instance = Activator.CreateInstance(type, constructorArguments)!;
        return Assert.IsAssignableFrom<NnGen.INetwork>(instance);
    }

    public void Dispose() => context.Unload();
}
