using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NnGen.Tests.Docs;

/// <summary>The repository this test run was built from (the folder holding NnGen.sln).</summary>
internal static class Repository
{
    public static readonly string Root = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "NnGen.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No NnGen.sln above {AppContext.BaseDirectory}.");
    }
}

/// <summary>A piece of C#: where it came from (a repository-relative file and its 1-based first line) and its text.</summary>
internal sealed record Chunk(string File, int Line, string Code);

/// <summary>
/// A <c>&lt;!-- snippet: project DIR --&gt;</c> block: files of their own, split at lines <c>// Name.cs</c>, and the
/// <c>dotnet build</c> output the page shows after it (null when the next fence is not a plain one).
/// </summary>
internal sealed record ProjectSnippet(Chunk Block, string Directory, Chunk? Output)
{
    /// <summary>The files of the project: (full path under <see cref="Directory"/>, text); each file starts after its marker line.</summary>
    public IEnumerable<(string Path, string Text)> Files()
    {
        string[] lines = Block.Code.Split('\n');
        var markers = lines.Select((line, index) => (Match: Regex.Match(line, @"^// (\w+\.cs)$"), Index: index)).Where(m => m.Match.Success).ToList();
        if (markers.Count == 0 || markers[0].Index != 0)
            throw new InvalidDataException($"{Block.File}({Block.Line}): a project snippet starts with a '// Name.cs' line, and each of its files does.");
        for (int k = 0; k < markers.Count; k++)
        {
            int end = k + 1 < markers.Count ? markers[k + 1].Index : lines.Length;
            yield return (Directory + "/" + markers[k].Match.Groups[1].Value, string.Join("\n", lines[(markers[k].Index + 1)..end]));
        }
    }
}

/// <summary>
/// The C# of one Markdown page, read by the conventions below. They exist so that every snippet a reader sees is
/// compiled as the reader would use it, and so that a fragment says what it assumes, visibly.
/// <list type="bullet">
/// <item>Every <c>```csharp</c> block of a page belongs to the page's program, in order, as a reader reads them: using
/// directives and types are shared by the whole page, statements run top to bottom as the top-level statements of one
/// console program (so a later block uses the variables of an earlier one). It is compiled like a fresh
/// <c>dotnet new console</c> project (implicit usings) that references NnGen, NnGen.Plots and NnGen.Terminal, with the
/// generator and the analyzers, and must give no warning and no error.</item>
/// <item><c>&lt;!-- snippet: preamble Name ... --&gt;</c> anywhere on the page puts
/// tests/NnGen.Tests/Docs/Preambles/Name.cs first: what the page takes from elsewhere (a network, a data set).</item>
/// <item><c>&lt;!-- snippet: project DIR --&gt;</c> right before a block makes that block a project of its own (not part of
/// the page's program): files split at lines <c>// Name.cs</c>, placed in DIR; the next plain <c>```</c> fence is the
/// page's copy of its <c>dotnet build</c> diagnostics, which must be exactly the real ones.</item>
/// </list>
/// </summary>
internal sealed record Page(string File, IReadOnlyList<Chunk> Program, IReadOnlyList<ProjectSnippet> Projects)
{
    public const string PreambleFolder = "tests/NnGen.Tests/Docs/Preambles";

    /// <summary>Every page whose snippets are checked here: README.md, the packages' readmes, docs/*.md (the diagnostics pages have their own test, DocumentationTests).</summary>
    public static IEnumerable<string> All() =>
        new[] { "README.md" }
            .Concat(System.IO.Directory.GetDirectories(Repository.PathOf("src")).Where(d => System.IO.File.Exists(Path.Combine(d, "README.md")))
                .Select(d => $"src/{Path.GetFileName(d)}/README.md").Order(StringComparer.Ordinal))
            .Concat(System.IO.Directory.GetFiles(Repository.PathOf("docs"), "*.md").Select(f => "docs/" + Path.GetFileName(f)).Order(StringComparer.Ordinal));

    public static Page Read(string file)
    {
        string[] lines = System.IO.File.ReadAllText(Repository.PathOf(file)).Replace("\r\n", "\n").Split('\n');
        var program = new List<Chunk>();
        var projects = new List<ProjectSnippet>();
        string? project = null;
        for (int i = 0; i < lines.Length; i++)
        {
            Match directive = Regex.Match(lines[i], @"^<!-- snippet: (preamble|project) (.+?) -->$");
            if (directive.Success && directive.Groups[1].Value == "preamble")
                program.InsertRange(0, directive.Groups[2].Value.Split(' ').Select(Preamble));
            else if (directive.Success)
                project = directive.Groups[2].Value;
            else if (lines[i].StartsWith("<!-- snippet:", StringComparison.Ordinal))
                throw new InvalidDataException($"{file}({i + 1}): unknown snippet directive '{lines[i]}': use 'preamble Name' or 'project DIR'.");
            if (lines[i] != "```csharp") continue;

            Chunk block = Fence(file, lines, ref i);
            if (project is null)
            {
                program.Add(block);
                continue;
            }
            int next = Array.FindIndex(lines, i + 1, l => l.StartsWith("```", StringComparison.Ordinal));
            projects.Add(new ProjectSnippet(block, project, next >= 0 && lines[next] == "```" ? Fence(file, lines, ref next) : null));
            project = null;
        }
        return new Page(file, program, projects);
    }

    /// <summary>The block whose opening fence is at <paramref name="i"/>; leaves <paramref name="i"/> at its closing fence.</summary>
    private static Chunk Fence(string file, string[] lines, ref int i)
    {
        int first = i + 1;
        int end = Array.FindIndex(lines, first, l => l.StartsWith("```", StringComparison.Ordinal));
        if (end < 0) throw new InvalidDataException($"{file}({i + 1}): the code block is never closed.");
        i = end;
        return new Chunk(file, first + 1, string.Join("\n", lines[first..end]));
    }

    private static Chunk Preamble(string name)
    {
        string file = $"{PreambleFolder}/{name}.cs";
        if (!System.IO.File.Exists(Repository.PathOf(file))) throw new FileNotFoundException($"No preamble '{name}': expected {file}.");
        return new Chunk(file, 1, System.IO.File.ReadAllText(Repository.PathOf(file)).Replace("\r\n", "\n"));
    }

    /// <summary>
    /// One C# file of <paramref name="chunks"/>: their using directives (once each), then their statements, then their
    /// types, each under a <c>#line</c> directive so that the compiler reports the page's file and line.
    /// </summary>
    public static string Assemble(IEnumerable<Chunk> chunks)
    {
        var usings = new List<string>();
        var statements = new StringBuilder();
        var types = new StringBuilder();
        foreach (Chunk chunk in chunks)
        {
            CompilationUnitSyntax root = CSharpSyntaxTree.ParseText(chunk.Code).GetCompilationUnitRoot();
            foreach (UsingDirectiveSyntax u in root.Usings)
                if (!usings.Any(seen => seen.EndsWith("\n" + u, StringComparison.Ordinal)))
                    usings.Add($"#line {chunk.Line + u.GetLocation().GetLineSpan().StartLinePosition.Line} \"{chunk.File}\"\n{u}");
            foreach (MemberDeclarationSyntax member in root.Members)
            {
                StringBuilder target = member is GlobalStatementSyntax ? statements : types;
                int line = member.GetLocation().GetLineSpan().StartLinePosition.Line;
                int lineStart = root.GetText().Lines[line].Start;
                target.Append($"#line {chunk.Line + line} \"{chunk.File}\"\n")
                      .Append(chunk.Code, lineStart, member.FullSpan.End - lineStart).Append('\n');
            }
        }
        return string.Join("\n", usings) + "\n" + statements + types;
    }
}
