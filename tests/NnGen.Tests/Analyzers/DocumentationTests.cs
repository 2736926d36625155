using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using NnGen.CodeFixes;
using NnGen.Generators;
using NnGen.Tests.Generator;

namespace NnGen.Tests.Analyzers;

/// <summary>
/// docs/diagnostics has one page per ID, linked from the descriptor and listed in the index, and each page's examples
/// are true: the wrong one reports its ID, the fixed one reports nothing and compiles.
/// </summary>
public class DocumentationTests
{
    private static readonly string Folder = Path.Combine(RepositoryRoot(), "docs", "diagnostics");

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "NnGen.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No NnGen.sln above {AppContext.BaseDirectory}.");
    }

    public static TheoryData<string> Ids => new(DiagnosticDescriptors.Descriptors.Select(d => d.Id).Order());

    private static readonly string[] FixableIds = typeof(MakePartialCodeFix).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(CodeFixProvider)) && !t.IsAbstract)
        .SelectMany(t => ((CodeFixProvider)Activator.CreateInstance(t)!).FixableDiagnosticIds)
        .ToArray();

    [Theory]
    [MemberData(nameof(Ids))]
    public void EveryIdHasAPageThatMatchesItsDescriptor(string id)
    {
        var descriptor = DiagnosticDescriptors.ById(id);
        string page = File.ReadAllText(Path.Combine(Folder, id + ".md"));
        Assert.StartsWith($"# {id}: {descriptor.Title}\n", page);
        Assert.Contains($"**Severity:** {descriptor.DefaultSeverity}", page);
        Assert.Contains($"**Category:** {descriptor.Category}", page);
        Assert.Equal(FixableIds.Contains(id), page.Contains("**Code fix:**"));
        Assert.Equal(DiagnosticDescriptors.HelpBase + id + ".md", descriptor.HelpLinkUri);
        Assert.Contains($"| [{id}]({id}.md) |", File.ReadAllText(Path.Combine(Folder, "README.md")));
    }

    [Fact]
    public void EveryPageIsAnId()
    {
        var pages = Directory.GetFiles(Folder, "NNG*.md").Select(Path.GetFileNameWithoutExtension);
        Assert.Equal(DiagnosticDescriptors.Descriptors.Select(d => d.Id).Order(), pages.Order());
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void TheExamplesAreTrue(string id)
    {
        string page = File.ReadAllText(Path.Combine(Folder, id + ".md"));
        string? wrong = Example(page, "Wrong"), right = Example(page, "Fixed");
        if (id == DiagnosticDescriptors.InternalFailure.Id)
        {
            Assert.Null(wrong); // nothing should trigger it
            return;
        }
        Assert.NotNull(wrong);
        Assert.NotNull(right);

        AnalysisRun wrongRun = AnalyzerRunner.Run(ParseOptions(wrong), wrong);
        Assert.True(wrongRun.Nng.Any(d => d.Id == id), $"The wrong example of {id} reports:\n{GeneratorHarness.Format(wrongRun.Nng)}");
        AnalysisRun rightRun = AnalyzerRunner.Run(ParseOptions(right), right);
        Assert.True(!rightRun.Nng.Any(), $"The fixed example of {id} reports:\n{GeneratorHarness.Format(rightRun.Nng)}");
        rightRun.Generator.AssertCompilesCleanly();
    }

    /// <summary>The language version an example states on its first line (<c>// LangVersion: 7.3</c>); the latest otherwise.</summary>
    private static CSharpParseOptions ParseOptions(string example)
    {
        Match m = Regex.Match(example, @"\A// LangVersion: (\S+)\n");
        if (!m.Success) return GeneratorHarness.ParseOptions;
        Assert.True(LanguageVersionFacts.TryParse(m.Groups[1].Value, out LanguageVersion version), $"Unknown language version '{m.Groups[1].Value}'");
        return GeneratorHarness.ParseOptions.WithLanguageVersion(version);
    }

    private static string? Example(string page, string section)
    {
        Match m = Regex.Match(page, $"## {section}\\n\\n```csharp\\n(.*?)```", RegexOptions.Singleline);
        return m.Success ? m.Groups[1].Value : null;
    }
}
