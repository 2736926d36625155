using System.IO;
using System.Linq;
using System.Xml.Linq;
using NnGen.Generators;

namespace NnGen.Tests.Docs;

/// <summary>
/// The diagnostics' help links name the repository the packages name (RepositoryUrl in Directory.Build.props), and a
/// page of docs/diagnostics that exists there; that the pages match their descriptors is DocumentationTests' part.
/// </summary>
public class HelpLinkTests
{
    private static string Property(string name) =>
        XDocument.Load(Repository.PathOf("Directory.Build.props")).Descendants(name).Single().Value;

    [Fact]
    public void EveryHelpLinkIsADiagnosticsPageOfThePackagesRepository()
    {
        string repository = Property("RepositoryUrl");
        Assert.Equal("$(RepositoryUrl)", Property("PackageProjectUrl"));
        Assert.True(DiagnosticDescriptors.HelpBase == repository + "/blob/main/docs/diagnostics/",
            $"The help links start {DiagnosticDescriptors.HelpBase}, but the packages name the repository {repository}.");
        foreach (var descriptor in DiagnosticDescriptors.Descriptors)
        {
            string page = $"docs/diagnostics/{descriptor.Id}.md";
            Assert.True(descriptor.HelpLinkUri == $"{repository}/blob/main/{page}" && File.Exists(Repository.PathOf(page)),
                $"{descriptor.Id} links to {descriptor.HelpLinkUri}: expected {repository}/blob/main/{page}, a page of this repository.");
        }
    }
}
