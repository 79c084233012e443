using System.Reflection;

namespace ControlPlane.MembershipTests.Infrastructure;

/// <summary>The ControlPlane.Node.dll of this checkout, built with the tests' configuration (the project reference builds it).</summary>
internal static class NodeBinary
{
    private static readonly Lazy<string> Located = new(Locate);

    public static string Path => Located.Value;

    private static string Locate()
    {
        var configuration = typeof(NodeBinary).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (!File.Exists(System.IO.Path.Combine(directory.FullName, "ControlPlane.sln"))) continue;
            var dll = System.IO.Path.Combine(directory.FullName, "src", "ControlPlane.Node", "bin", configuration, "net10.0", "ControlPlane.Node.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException($"{dll} is not built; build tests/ControlPlane.MembershipTests (it builds the node) with -c {configuration}", dll);
        }

        throw new DirectoryNotFoundException($"no ControlPlane.sln above {AppContext.BaseDirectory}");
    }
}
