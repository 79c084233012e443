using System.Text.Json;

namespace ControlPlane.Testing.Tests;

public class NodeConfigFileTests
{
    private static NodeOptions[] ThreeNodes() =>
    [
        new(0, 7201, 7101, 7301, "/data/node0"),
        new(1, 7202, 7102, 7302, "/data/node1"),
        new(2, 7203, 7103, 7303, "/data/node2"),
    ];

    private static JsonElement Section(string json, string name) =>
        JsonDocument.Parse(json).RootElement.GetProperty("ControlPlane").GetProperty(name);

    [Fact]
    public void Render_NodeSection_DescribesTheRenderedNode()
    {
        var nodes = ThreeNodes();

        var node = Section(NodeConfigFile.Render(nodes[1], nodes), "Node");

        Assert.Equal("node1", node.GetProperty("Name").GetString());
        Assert.Equal("/data/node1", node.GetProperty("DataDirectory").GetString());
        Assert.Equal("127.0.0.1:7202", node.GetProperty("RaftEndpoint").GetString());
        Assert.Equal("http://127.0.0.1:7102", node.GetProperty("GrpcEndpoint").GetString());
        Assert.Equal("http://127.0.0.1:7302", node.GetProperty("AdminEndpoint").GetString());
        Assert.True(node.GetProperty("Insecure").GetBoolean());
    }

    [Fact]
    public void Render_InitialMembers_ListsEveryNodeInOrder()
    {
        var nodes = ThreeNodes();
        nodes[2].Name = "renamed";

        var members = Section(NodeConfigFile.Render(nodes[0], nodes), "Cluster").GetProperty("InitialMembers").EnumerateArray().ToArray();

        Assert.Equal(["node0", "node1", "renamed"], members.Select(m => m.GetProperty("Name").GetString()));
        Assert.Equal(["127.0.0.1:7201", "127.0.0.1:7202", "127.0.0.1:7203"], members.Select(m => m.GetProperty("RaftEndpoint").GetString()));
        Assert.Equal(
            ["http://127.0.0.1:7101", "http://127.0.0.1:7102", "http://127.0.0.1:7103"],
            members.Select(m => m.GetProperty("GrpcEndpoint").GetString()));
    }

    [Fact]
    public void Render_Raft_CarriesTheElectionTimeouts()
    {
        var nodes = ThreeNodes();
        nodes[0].LowerElectionTimeoutMs = 150;
        nodes[0].UpperElectionTimeoutMs = 300;

        var raft = Section(NodeConfigFile.Render(nodes[0], nodes), "Raft");

        Assert.Equal(150, raft.GetProperty("LowerElectionTimeoutMs").GetInt32());
        Assert.Equal(300, raft.GetProperty("UpperElectionTimeoutMs").GetInt32());
    }

    [Fact]
    public void Render_Storage_OnlyWhenATestSetsIt()
    {
        var nodes = ThreeNodes();
        nodes[1].SnapshotThresholdBytes = 4096;
        nodes[1].MaxObjectBytes = 2048;

        var root = JsonDocument.Parse(NodeConfigFile.Render(nodes[0], nodes)).RootElement.GetProperty("ControlPlane");
        var storage = Section(NodeConfigFile.Render(nodes[1], nodes), "Storage");

        Assert.False(root.TryGetProperty("Storage", out _));
        Assert.Equal(4096, storage.GetProperty("SnapshotThresholdBytes").GetInt64());
        Assert.Equal(2048, storage.GetProperty("MaxObjectBytes").GetInt32());
    }

    [Fact]
    public void Render_NoMembers_IsAJoiningNodeWithNoInitialMembers()
    {
        var joining = new NodeOptions(3, 7204, 7104, 7304, "/data/node3");

        var members = Section(NodeConfigFile.Render(joining, []), "Cluster").GetProperty("InitialMembers");

        Assert.Equal(0, members.GetArrayLength());
    }

    [Fact]
    public void Render_NodeNotAmongMembers_Throws()
    {
        var nodes = ThreeNodes();
        var stranger = new NodeOptions(3, 7204, 7104, 7304, "/data/node3");

        var error = Assert.Throws<ArgumentException>(() => NodeConfigFile.Render(stranger, nodes));

        Assert.Contains("node3", error.Message, StringComparison.Ordinal);
    }
}
