using System.Xml.Linq;

namespace ControlPlane.Core.Tests.Architecture;

/// <summary>The dependency rules of the style note, enforced on the project files themselves.</summary>
public sealed class DependencyRulesTests
{
    /// <summary>Project -> the ControlPlane projects and package prefixes it must not reference.</summary>
    public static TheoryData<string, string[], string[]> Rules => new()
    {
        { "ControlPlane.Contracts", ["ControlPlane."], ["DotNext", "Microsoft.AspNetCore", "Grpc.AspNetCore"] },
        { "ControlPlane.Core", ["ControlPlane."], ["DotNext", "Grpc", "Microsoft.AspNetCore", "Google.Protobuf"] },
        { "ControlPlane.Storage", ["ControlPlane.Replication", "ControlPlane.Node", "ControlPlane.Contracts", "ControlPlane.Controllers", "ControlPlane.Client", "ControlPlane.Cli"], ["DotNext", "Grpc", "Microsoft.AspNetCore"] },
        { "ControlPlane.Replication", ["ControlPlane.Controllers", "ControlPlane.Node", "ControlPlane.Client", "ControlPlane.Cli", "ControlPlane.Contracts"], ["Grpc", "Microsoft.AspNetCore"] },
        { "ControlPlane.Controllers", ["ControlPlane.Storage", "ControlPlane.Replication", "ControlPlane.Node", "ControlPlane.Client", "ControlPlane.Cli"], ["DotNext"] },
        { "ControlPlane.Node", ["ControlPlane.Client", "ControlPlane.Cli"], [] },
        { "ControlPlane.Client", ["ControlPlane.Core", "ControlPlane.Storage", "ControlPlane.Replication", "ControlPlane.Controllers", "ControlPlane.Node", "ControlPlane.Cli"], ["DotNext"] },
        { "ControlPlane.Cli", ["ControlPlane.Core", "ControlPlane.Storage", "ControlPlane.Replication", "ControlPlane.Controllers", "ControlPlane.Node", "ControlPlane.Contracts"], ["DotNext", "Grpc.AspNetCore"] },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Project_ReferencesOnlyWhatTheLayeringAllows(string project, string[] forbiddenProjects, string[] forbiddenPackages)
    {
        var file = Path.Combine(Repository.Root(), "src", project, project + ".csproj");
        Assert.True(File.Exists(file), $"expected {file}");
        var xml = XDocument.Load(file);
        var projects = xml.Descendants("ProjectReference").Select(e => Path.GetFileNameWithoutExtension((string)e.Attribute("Include")!)).ToList();
        var packages = xml.Descendants("PackageReference").Select(e => (string)e.Attribute("Include")!).ToList();

        var badProjects = projects.Where(p => forbiddenProjects.Any(f => f.EndsWith('.') ? p.StartsWith(f, StringComparison.Ordinal) : p == f)).ToList();
        var badPackages = packages.Where(p => forbiddenPackages.Any(f => p.StartsWith(f, StringComparison.Ordinal))).ToList();
        Assert.True(badProjects.Count == 0, $"{project} must not reference {string.Join(", ", badProjects)}");
        Assert.True(badPackages.Count == 0, $"{project} must not reference the packages {string.Join(", ", badPackages)}");
    }

    [Fact]
    public void OnlyReplication_ReferencesDotNext()
    {
        var root = Path.Combine(Repository.Root(), "src");
        var users = Directory.GetFiles(root, "*.csproj", SearchOption.AllDirectories)
            .Where(f => XDocument.Load(f).Descendants("PackageReference").Any(e => ((string)e.Attribute("Include")!).StartsWith("DotNext", StringComparison.Ordinal)))
            .Select(Path.GetFileNameWithoutExtension)
            .ToList();
        Assert.Equal(["ControlPlane.Replication"], users);
    }
}
