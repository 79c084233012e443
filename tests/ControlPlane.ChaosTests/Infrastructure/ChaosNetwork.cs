using Docker.DotNet;
using Docker.DotNet.Models;

namespace ControlPlane.ChaosTests.Infrastructure;

/// <summary>
/// A user-defined bridge network with its own /24 inside 10.231.0.0/16. An explicit subnet is what lets members keep
/// pinned IPs across restarts, and a distinct one per group keeps concurrent or leaked networks from colliding
/// ("Pool overlaps with other one on this address space").
/// </summary>
public sealed class ChaosNetwork
{
    private const string Prefix = "10.231";
    private const int MaxAttempts = 16;

    private ChaosNetwork(string id, string name, int thirdOctet)
    {
        Id = id;
        Name = name;
        ThirdOctet = thirdOctet;
    }

    public string Id { get; }

    public string Name { get; }

    public int ThirdOctet { get; }

    public string Subnet => $"{Prefix}.{ThirdOctet}.0/24";

    public string Gateway => $"{Prefix}.{ThirdOctet}.1";

    /// <summary>The address of host number <paramref name="host"/> (2..254) in this network.</summary>
    public string Address(int host)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(host, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(host, 254);
        return $"{Prefix}.{ThirdOctet}.{host}";
    }

    /// <summary>Creates the network on a /24 no other Docker network uses; retries on a race with another creator.</summary>
    public static async Task<ChaosNetwork> CreateAsync(
        IDockerClient docker, string name, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        var start = Random.Shared.Next(1, 255);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var used = await UsedThirdOctetsAsync(docker, cancellationToken);
            var free = Enumerable.Range(0, 254).Select(i => (start + i) % 254 + 1).Where(o => !used.Contains(o)).ToList();
            if (free.Count == 0)
            {
                throw new InvalidOperationException(
                    $"Every /24 of {Prefix}.0.0/16 is taken by a Docker network; remove leftovers with scripts/chaos-setup.sh.");
            }

            var octet = free[attempt % free.Count];
            try
            {
                var created = await docker.Networks.CreateNetworkAsync(
                    new NetworksCreateParameters
                    {
                        Name = name,
                        Driver = "bridge",
                        Labels = new Dictionary<string, string>(labels),
                        IPAM = new IPAM
                        {
                            Driver = "default",
                            Config = [new IPAMConfig { Subnet = $"{Prefix}.{octet}.0/24", Gateway = $"{Prefix}.{octet}.1" }],
                        },
                    },
                    cancellationToken);
                return new ChaosNetwork(created.ID, name, octet);
            }
            catch (DockerApiException e) when (e.Message.Contains("overlaps", StringComparison.OrdinalIgnoreCase))
            {
                // Another process took this /24 between the listing and the create: look again.
            }
        }

        throw new InvalidOperationException($"Could not create network {name}: {MaxAttempts} subnets in a row were taken concurrently.");
    }

    public async Task DeleteAsync(IDockerClient docker, CancellationToken cancellationToken)
    {
        try
        {
            await docker.Networks.DeleteNetworkAsync(Id, cancellationToken);
        }
        catch (DockerNetworkNotFoundException)
        {
            // Already gone (a cleanup by label ran meanwhile).
        }
    }

    private static async Task<HashSet<int>> UsedThirdOctetsAsync(IDockerClient docker, CancellationToken cancellationToken)
    {
        var networks = await docker.Networks.ListNetworksAsync(new NetworksListParameters(), cancellationToken);
        var used = new HashSet<int>();
        foreach (var config in networks.SelectMany(n => n.IPAM?.Config ?? []))
        {
            var parts = config.Subnet?.Split('.', '/') ?? [];
            if (parts.Length >= 3 && $"{parts[0]}.{parts[1]}" == Prefix && int.TryParse(parts[2], out var octet))
            {
                used.Add(octet);
            }
        }

        return used;
    }
}
