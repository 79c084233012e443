namespace ControlPlane.Testing.Tests;

public sealed class NodeBinaryTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "controlplane-nodebinary-" + Guid.NewGuid().ToString("N"));

    public NodeBinaryTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static string TargetFramework => $"net{Environment.Version.Major}.{Environment.Version.Minor}";

    private string TestBinDirectory()
    {
        var directory = Path.Combine(_root, "tests", "X.Tests", "bin", "Release", TargetFramework);
        Directory.CreateDirectory(directory);
        return directory;
    }

    private string BuildNode(string configuration)
    {
        var directory = Path.Combine(_root, "src", "ControlPlane.Node", "bin", configuration, TargetFramework);
        Directory.CreateDirectory(directory);
        var dll = Path.Combine(directory, "ControlPlane.Node.dll");
        File.WriteAllText(dll, "");
        return dll;
    }

    private void MakeRepositoryRoot() => File.WriteAllText(Path.Combine(_root, NodeBinary.SolutionFile), "");

    [Fact]
    public void Locate_NoSolutionAbove_NamesTheStartFolder()
    {
        var start = TestBinDirectory();

        var error = Assert.Throws<DirectoryNotFoundException>(() => NodeBinary.Locate(start, "Release", overridePath: null));

        Assert.Contains(start, error.Message, StringComparison.Ordinal);
        Assert.Contains(NodeBinary.SolutionFile, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Locate_NodeNotBuilt_NamesEveryPathLookedAtAndHowToBuild()
    {
        MakeRepositoryRoot();

        var error = Assert.Throws<FileNotFoundException>(() => NodeBinary.Locate(TestBinDirectory(), "Release", overridePath: null));

        var release = Path.Combine(_root, "src", "ControlPlane.Node", "bin", "Release", TargetFramework, "ControlPlane.Node.dll");
        var debug = Path.Combine(_root, "src", "ControlPlane.Node", "bin", "Debug", TargetFramework, "ControlPlane.Node.dll");
        Assert.Contains(release, error.Message, StringComparison.Ordinal);
        Assert.Contains(debug, error.Message, StringComparison.Ordinal);
        Assert.Contains("dotnet build src/ControlPlane.Node -c Release", error.Message, StringComparison.Ordinal);
        Assert.Equal(release, error.FileName);
    }

    [Theory]
    [InlineData("Release")]
    [InlineData("Debug")]
    public void Locate_BothConfigurationsBuilt_PrefersTheTestsOwn(string configuration)
    {
        MakeRepositoryRoot();
        var release = BuildNode("Release");
        var debug = BuildNode("Debug");

        var found = NodeBinary.Locate(TestBinDirectory(), configuration, overridePath: null);

        Assert.Equal(configuration == "Release" ? release : debug, found);
    }

    [Fact]
    public void Locate_OnlyTheOtherConfigurationBuilt_FallsBackToIt()
    {
        MakeRepositoryRoot();
        var debug = BuildNode("Debug");

        Assert.Equal(debug, NodeBinary.Locate(TestBinDirectory(), "Release", overridePath: null));
    }

    [Fact]
    public void Locate_Override_WinsOverTheCheckout()
    {
        MakeRepositoryRoot();
        BuildNode("Release");
        var elsewhere = Path.Combine(_root, "elsewhere.dll");
        File.WriteAllText(elsewhere, "");

        Assert.Equal(elsewhere, NodeBinary.Locate(TestBinDirectory(), "Release", elsewhere));
    }

    [Fact]
    public void Locate_OverrideMissing_NamesTheVariableAndThePath()
    {
        var missing = Path.Combine(_root, "missing.dll");

        var error = Assert.Throws<FileNotFoundException>(() => NodeBinary.Locate(TestBinDirectory(), "Release", missing));

        Assert.Contains(NodeBinary.OverrideVariable, error.Message, StringComparison.Ordinal);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildConfiguration_IsTheOneTheseTestsWereBuiltWith()
    {
        var binFolder = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

        Assert.Equal(binFolder, NodeBinary.BuildConfiguration);
    }
}
