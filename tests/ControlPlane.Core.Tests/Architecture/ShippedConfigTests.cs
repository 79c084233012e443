using System.Text.Json;

namespace ControlPlane.Core.Tests.Architecture;

/// <summary>The node configs that scripts/cluster.sh starts, as users copy them.</summary>
public sealed class ShippedConfigTests
{
    public static TheoryData<string> Configs() => [.. Files()];

    private static IEnumerable<string> Files() =>
        Directory.GetFiles(Path.Combine(Repository.Root(), "cluster-configs"), "*.json").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(Configs))]
    public void Config_NamesItsEndpoints_AndLeavesRaftTimingToTheNodeDefaults(string file)
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root(), "cluster-configs", file)));
        var root = config.RootElement.GetProperty("ControlPlane");
        var node = root.GetProperty("Node");
        foreach (var field in new[] { "Name", "DataDirectory", "RaftEndpoint", "GrpcEndpoint", "AdminEndpoint" })
        {
            Assert.False(string.IsNullOrEmpty(node.GetProperty(field).GetString()), $"{file}: ControlPlane:Node:{field} is empty");
        }

        // The defaults are etcd's timing, measured under load (docs/README-bench.md); a config that overrides them
        // would quietly run the local cluster with timing nobody benchmarked.
        Assert.False(root.TryGetProperty("Raft", out _), $"{file} sets ControlPlane:Raft; leave Raft timing to the node's defaults");
    }

    [Fact]
    public void ThreeNodeCluster_IsShippedWithTwoSpareNodesToAdd()
    {
        Assert.Equal(["node1.json", "node2.json", "node3.json", "node4.json", "node5.json"], Files());
    }
}
