using ControlPlane.Testing;

namespace ControlPlane.IntegrationTests;

/// <summary>One three-node cluster shared by the tests that do not kill or restart nodes.</summary>
public sealed class SharedClusterFixture : IAsyncLifetime
{
    /// <summary>Small, so the oversized-object case needs no megabyte payloads.</summary>
    public const int MaxObjectBytes = 8192;

    public ProcessCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await ProcessCluster.StartAsync(3, node => node.MaxObjectBytes = MaxObjectBytes);
        await Cluster.WaitForLeaderAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
