using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NnGen.Tests.Analyzers;
using NnGen.Tests.Generator;

namespace NnGen.Tests.Docs;

/// <summary>
/// Every C# snippet of README.md, the packages' readmes and docs/*.md compiles, by the conventions of <see cref="Page"/>,
/// and the build output README shows for its compile-time errors is the real one.
/// </summary>
public class SnippetTests
{
    public static TheoryData<string> PagesWithCode => new(Page.All().Where(f => Page.Read(f).Program.Count > 0));

    public static TheoryData<string, int> Projects()
    {
        var data = new TheoryData<string, int>();
        foreach (string file in Page.All())
            for (int i = 0; i < Page.Read(file).Projects.Count; i++) data.Add(file, i);
        return data;
    }

    [Theory]
    [MemberData(nameof(PagesWithCode))]
    public void TheSnippetsOfThePageCompile(string file)
    {
        string program = Page.Assemble(Page.Read(file).Program);
        var problems = Build(("Program.cs", program)).ToList();
        Assert.True(problems.Count == 0,
            $"The C# snippets of {file} do not compile as one console program (the conventions: tests/NnGen.Tests/Docs/Snippets.cs):\n" +
            string.Join("\n", problems));
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void TheProjectBuildsAsThePageShows(string file, int index)
    {
        ProjectSnippet project = Page.Read(file).Projects[index];
        string actual = string.Join("\n", Build(project.Files().ToArray()));
        Assert.True(project.Output is not null || actual.Length == 0,
            $"The project snippet at {file}({project.Block.Line}) has diagnostics but the page shows no build output after it:\n{actual}");
        if (project.Output is not null)
            Assert.True(project.Output.Code.Trim() == actual,
                $"{file}({project.Output.Line}) shows another build output than the project at line {project.Block.Line} gives.\n" +
                $"The page shows:\n{project.Output.Code.Trim()}\nThe build gives:\n{actual}");
    }

    /// <summary>The SDK's implicit usings of a console project (Microsoft.NET.Sdk, ImplicitUsings enable).</summary>
    private const string ImplicitUsings =
        "global using System;\nglobal using System.Collections.Generic;\nglobal using System.IO;\nglobal using System.Linq;\n" +
        "global using System.Net.Http;\nglobal using System.Threading;\nglobal using System.Threading.Tasks;\n";

    /// <summary>What NnGen's extra packages bring: NnGen.Plots with ScottPlot, NnGen.Terminal with Spectre.Console, NnGen.Onnx.</summary>
    private static readonly MetadataReference[] PackageReferences =
        new[] { typeof(NnGen.Plots.Figures), typeof(ScottPlot.Plot), typeof(NnGen.Terminal.SpectreProgress), typeof(Spectre.Console.IAnsiConsole), typeof(NnGen.Onnx.OnnxExport) }
            .Select(t => (MetadataReference)MetadataReference.CreateFromFile(t.Assembly.Location))
            .ToArray();

    /// <summary>
    /// Compiles <paramref name="files"/> as a console program with the generator and the analyzers; returns the warnings
    /// and errors as <c>dotnet build</c> prints them, in file and line order, at the positions #line maps them to.
    /// </summary>
    private static IEnumerable<string> Build(params (string Path, string Text)[] files)
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation([.. files, ("ImplicitUsings.cs", ImplicitUsings)]);
        compilation = compilation.WithOptions(compilation.Options.WithOutputKind(OutputKind.ConsoleApplication)).AddReferences(PackageReferences);
        AnalysisRun run = AnalyzerRunner.Run(compilation);
        return run.Nng.Concat(run.CompilerWarningsAndErrors)
            .Where(d => d.Severity is DiagnosticSeverity.Warning or DiagnosticSeverity.Error)
            .Select(d => (Span: MappedSpan(d, run.Generator.OutputCompilation), Diagnostic: d))
            .OrderBy(p => p.Span.Path, StringComparer.Ordinal).ThenBy(p => p.Span.StartLinePosition)
            .Select(p => $"{p.Span.Path}({p.Span.StartLinePosition.Line + 1},{p.Span.StartLinePosition.Character + 1}): " +
                         $"{p.Diagnostic.Severity.ToString().ToLowerInvariant()} {p.Diagnostic.Id}: " +
                         p.Diagnostic.GetMessage(CultureInfo.InvariantCulture) +
                         (string.IsNullOrEmpty(p.Diagnostic.Descriptor.HelpLinkUri) || !p.Diagnostic.Id.StartsWith("NNG", StringComparison.Ordinal)
                             ? "" : $" ({p.Diagnostic.Descriptor.HelpLinkUri})"))
            .Distinct();
    }

    /// <summary>The position as #line maps it (generator diagnostics carry file locations, so their tree is found by path).</summary>
    private static FileLinePositionSpan MappedSpan(Diagnostic diagnostic, Compilation compilation)
    {
        Location location = diagnostic.Location;
        SyntaxTree? tree = location.SourceTree ?? compilation.SyntaxTrees.FirstOrDefault(t => t.FilePath == location.GetLineSpan().Path);
        return tree is null ? location.GetLineSpan() : tree.GetMappedLineSpan(location.SourceSpan);
    }
}
