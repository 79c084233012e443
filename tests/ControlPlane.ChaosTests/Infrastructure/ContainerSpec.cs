namespace ControlPlane.ChaosTests.Infrastructure;

/// <summary>What one member of a <see cref="ContainerGroup"/> runs, and where.</summary>
public sealed record ContainerSpec
{
    /// <summary>Member name; also its network alias. Lowercase letters, digits and '-'.</summary>
    public required string Name { get; init; }

    public required string Image { get; init; }

    /// <summary>Pinned IPv4 address inside the group's network (see <see cref="ChaosNetwork.Address"/>).</summary>
    public required string Ip { get; init; }

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Command (arguments to the image's entrypoint); empty keeps the image's own.</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    /// <summary>Container ports published on 127.0.0.1, each on a fixed free host port.</summary>
    public IReadOnlyList<int> PublishedPorts { get; init; } = [];

    /// <summary>A published container port and path that answer HTTP 200 once the member is up.</summary>
    public required (int Port, string Path) Readiness { get; init; }

    /// <summary>A directory kept (as &lt;results&gt;/data/&lt;member&gt;.tar) when a scenario fails; null keeps none.</summary>
    public string? DataPath { get; init; }

    /// <summary>Memory limit; keeps a runaway node from starving the shared two-core machine.</summary>
    public long MemoryBytes { get; init; } = 512L << 20;
}
