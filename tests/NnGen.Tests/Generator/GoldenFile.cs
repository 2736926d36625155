using System;
using System.IO;
using System.Runtime.CompilerServices;
using Xunit.Sdk;

namespace NnGen.Tests.Generator;

/// <summary>
/// Golden-file comparison: <c>tests/NnGen.Tests/Golden/&lt;name&gt;</c> in the source tree holds the expected text.
/// Set <c>NNGEN_UPDATE_GOLDEN=1</c> to (re)write the files from the actual text instead of comparing.
/// </summary>
internal static class GoldenFile
{
    public const string UpdateVariable = "NNGEN_UPDATE_GOLDEN";

    /// <summary>Compares <paramref name="actual"/> with the golden file <paramref name="name"/> (line endings normalised).</summary>
    public static void Verify(string name, string actual, [CallerFilePath] string callerFilePath = "")
    {
        string path = Path.Combine(GoldenDirectory(callerFilePath), name);
        actual = Normalize(actual);

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }

        if (!File.Exists(path))
            throw new XunitException(
                $"Golden file '{path}' does not exist. Create it by running the tests once with {UpdateVariable}=1, e.g.\n" +
                $"  {UpdateVariable}=1 dotnet test tests/NnGen.Tests --filter \"FullyQualifiedName~NnGen.Tests.Generator\"\n" +
                "then review the file and commit it.");

        string expected = Normalize(File.ReadAllText(path));
        if (expected == actual) return;

        string[] expectedLines = expected.Split('\n'), actualLines = actual.Split('\n');
        int line = 0;
        while (line < expectedLines.Length && line < actualLines.Length && expectedLines[line] == actualLines[line]) line++;
        string Show(string[] lines) => line < lines.Length ? $"\"{lines[line]}\"" : "<end of file>";
        throw new XunitException(
            $"Generated text differs from golden file '{path}' at line {line + 1}:\n" +
            $"  expected: {Show(expectedLines)}\n" +
            $"  actual:   {Show(actualLines)}\n" +
            $"(expected {expectedLines.Length} lines, actual {actualLines.Length}). " +
            $"If the change is intended, rerun with {UpdateVariable}=1 and review the diff.");
    }

    /// <summary>\r\n and \r become \n.</summary>
    public static string Normalize(string text) => text.Replace("\r\n", "\n").Replace('\r', '\n');

    /// <summary>The Golden folder of the test project, found from a test source file's path (not the bin folder).</summary>
    private static string GoldenDirectory(string callerFilePath)
    {
        for (string? dir = Path.GetDirectoryName(callerFilePath); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "NnGen.Tests.csproj")))
                return Path.Combine(dir, "Golden");
        }
        throw new XunitException(
            $"Cannot find the test project (NnGen.Tests.csproj) above '{callerFilePath}'. Golden files live in the source tree; " +
            "run the tests from a build whose source paths are not mapped (no PathMap/ContinuousIntegrationBuild).");
    }
}
