namespace ControlPlane.Core.Tests.Architecture;

/// <summary>Where the checkout is, for tests that read the repository's own files.</summary>
internal static class Repository
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ControlPlane.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException($"ControlPlane.sln not found above {AppContext.BaseDirectory}");
    }
}
