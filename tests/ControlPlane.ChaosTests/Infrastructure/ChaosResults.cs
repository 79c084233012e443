using System.Globalization;
using System.Text.RegularExpressions;

namespace ControlPlane.ChaosTests.Infrastructure;

/// <summary>
/// Where failed scenarios keep their evidence: artifacts/chaos/&lt;test&gt;-&lt;timestamp&gt; under the repository root,
/// or under CHAOS_RESULTS_DIR when set.
/// </summary>
public static class ChaosResults
{
    private static readonly Regex _unsafe = new("[^A-Za-z0-9._-]+", RegexOptions.CultureInvariant);

    public static string Root =>
        Environment.GetEnvironmentVariable("CHAOS_RESULTS_DIR") is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(RepositoryRoot(), "artifacts", "chaos");

    /// <summary>Creates a fresh folder for one failure of <paramref name="testName"/>.</summary>
    public static string CreateFolder(string testName)
    {
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture);
        var folder = Path.Combine(Root, $"{_unsafe.Replace(testName, "_")}-{stamp}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ControlPlane.sln")))
            {
                return dir.FullName;
            }
        }

        // Running from a copied test output: keep results beside it rather than fail the failure path.
        return AppContext.BaseDirectory;
    }
}
