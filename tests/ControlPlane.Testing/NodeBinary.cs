using System.Reflection;

namespace ControlPlane.Testing;

/// <summary>Finds the built ControlPlane.Node.dll that process clusters run.</summary>
public static class NodeBinary
{
    /// <summary>Names a node dll to run instead of the one in this checkout.</summary>
    public const string OverrideVariable = "CONTROLPLANE_NODE_DLL";

    public const string SolutionFile = "ControlPlane.sln";

    private const string DllName = "ControlPlane.Node.dll";

    /// <summary>The configuration (Debug or Release) this assembly, and so the tests using it, was built with.</summary>
    public static string BuildConfiguration { get; } =
        typeof(NodeBinary).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration is { Length: > 0 } configuration
            ? configuration
            : "Release";

    /// <summary>
    /// The node dll: <see cref="OverrideVariable"/> when set; otherwise src/ControlPlane.Node/bin/{configuration}/{tfm}/
    /// under the repository root found above <see cref="AppContext.BaseDirectory"/>, preferring the configuration the
    /// tests were built with. Throws <see cref="FileNotFoundException"/> naming every path it looked at.
    /// </summary>
    public static string Locate() =>
        Locate(AppContext.BaseDirectory, BuildConfiguration, Environment.GetEnvironmentVariable(OverrideVariable));

    internal static string Locate(string startDirectory, string preferredConfiguration, string? overridePath)
    {
        if (!string.IsNullOrEmpty(overridePath))
        {
            var full = Path.GetFullPath(overridePath);
            return File.Exists(full)
                ? full
                : throw new FileNotFoundException($"{OverrideVariable} names {full}, which does not exist.", full);
        }

        var root = FindRepositoryRoot(startDirectory);
        var targetFramework = TargetFrameworkFolder();
        string[] configurations = string.Equals(preferredConfiguration, "Debug", StringComparison.OrdinalIgnoreCase)
            ? ["Debug", "Release"]
            : [preferredConfiguration, "Debug"];
        var candidates = configurations
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(c => Path.Combine(root, "src", "ControlPlane.Node", "bin", c, targetFramework, DllName))
            .ToArray();
        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(
            $"{DllName} is not built. Looked for:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", candidates)}{Environment.NewLine}" +
            $"Build it with `dotnet build src/ControlPlane.Node -c {preferredConfiguration}` (scripts/test.sh builds the whole solution), or set {OverrideVariable}.",
            candidates[0]);
    }

    /// <summary>The nearest folder at or above <paramref name="startDirectory"/> holding ControlPlane.sln.</summary>
    public static string FindRepositoryRoot(string startDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(startDirectory);
        for (var directory = new DirectoryInfo(Path.GetFullPath(startDirectory)); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException(
            $"No {SolutionFile} in {startDirectory} or any folder above it: cannot find the repository root, so cannot find {DllName}. Set {OverrideVariable} to run a node build from elsewhere.");
    }

    /// <summary>"net10.0" for the runtime this runs on, the folder name the SDK builds into.</summary>
    private static string TargetFrameworkFolder() => $"net{Environment.Version.Major}.{Environment.Version.Minor}";
}
