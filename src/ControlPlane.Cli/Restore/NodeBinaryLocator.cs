namespace ControlPlane.Cli.Restore;

/// <summary>
/// Finds the ControlPlane node binary whose offline restore mode <c>cpctl snapshot restore</c> runs: --node-binary,
/// else $CONTROLPLANE_NODE_DLL, else ControlPlane.Node.dll next to cpctl, else the Release (then Debug) build of
/// src/ControlPlane.Node in the checkout cpctl was built in.
/// </summary>
internal static class NodeBinaryLocator
{
    public const string Variable = "CONTROLPLANE_NODE_DLL";

    private const string DllName = "ControlPlane.Node.dll";

    /// <exception cref="FileNotFoundException">No node binary was found; the message lists where cpctl looked.</exception>
    public static string Locate(string? explicitPath, Func<string, string?> getEnvironmentVariable, string cpctlDirectory)
    {
        if (!string.IsNullOrEmpty(explicitPath)) return Require(explicitPath, "--node-binary");
        if (getEnvironmentVariable(Variable) is { Length: > 0 } fromEnvironment) return Require(fromEnvironment, "$" + Variable);
        var candidates = new List<string> { Path.Combine(cpctlDirectory, DllName) };
        for (var directory = new DirectoryInfo(cpctlDirectory); directory is not null; directory = directory.Parent)
        {
            if (!File.Exists(Path.Combine(directory.FullName, "ControlPlane.sln"))) continue;
            var framework = $"net{Environment.Version.Major}.{Environment.Version.Minor}";
            candidates.Add(Path.Combine(directory.FullName, "src", "ControlPlane.Node", "bin", "Release", framework, DllName));
            candidates.Add(Path.Combine(directory.FullName, "src", "ControlPlane.Node", "bin", "Debug", framework, DllName));
            break;
        }

        return candidates.FirstOrDefault(File.Exists) ?? throw new FileNotFoundException(
            $"cpctl snapshot restore runs the node binary's offline restore mode, and found no {DllName}; looked at {string.Join(", ", candidates)}. " +
            $"Build it (dotnet build src/ControlPlane.Node -c Release) or name it with --node-binary or ${Variable}");
    }

    private static string Require(string path, string source)
    {
        var full = Path.GetFullPath(path);
        return File.Exists(full) ? full : throw new FileNotFoundException($"{source} names {full}, which does not exist");
    }
}
