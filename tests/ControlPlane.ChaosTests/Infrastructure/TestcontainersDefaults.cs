using System.Runtime.CompilerServices;

namespace ControlPlane.ChaosTests.Infrastructure;

/// <summary>
/// The three Testcontainers settings this tier needs on a plain Debian docker.io host, set before Testcontainers reads
/// any of them (it caches the API version in a static readonly field on first use). A value already in the
/// environment wins, so a developer can point the tests elsewhere.
/// </summary>
internal static class TestcontainersDefaults
{
    /// <summary>docker.io 20.10 speaks API 1.41 at most; Testcontainers 4.16 asks for 1.44 and calls every endpoint "unavailable".</summary>
    public const string DockerApiVersion = "1.41";

    [ModuleInitializer]
    internal static void Apply()
    {
        SetIfMissing("DOCKER_API_VERSION", DockerApiVersion);
        // Ryuk would be pulled from a registry this machine cannot reach; leftovers are reaped by label instead
        // (scripts/chaos-setup.sh and every fixture's own DisposeAsync).
        SetIfMissing("TESTCONTAINERS_RYUK_DISABLED", "true");
        // The host has /.dockerenv, so Testcontainers would otherwise report the bridge gateway as the host name.
        SetIfMissing("TESTCONTAINERS_HOST_OVERRIDE", "127.0.0.1");
    }

    private static void SetIfMissing(string name, string value)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)))
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
