using System.Text.Json;
using System.Text.Json.Nodes;
using ControlPlane.Contracts.V1;
using Grpc.Core;

namespace ControlPlane.MembershipTests.Infrastructure;

/// <summary>
/// A minimal private launcher for real node processes (the shared ControlPlane.Testing process cluster had not
/// landed when these tests were written): config files, data directories and logs under one temp folder,
/// 300/600 ms election timeouts, nodes named node1, node2, ... in creation order.
/// </summary>
internal sealed class TestCluster : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly List<TestNode> _nodes = [];

    private TestCluster(string root) => Root = root;

    public string Root { get; }

    public IReadOnlyList<TestNode> Nodes => _nodes;

    public TestNode this[string name] => _nodes.Single(n => n.Name == name);

    /// <summary>Starts <paramref name="size"/> nodes seeded with each other as initial members and waits for a leader.</summary>
    public static async Task<TestCluster> StartAsync(int size, params string[] extraArguments)
    {
        var cluster = Create();
        var initial = Enumerable.Range(0, size).Select(_ => cluster.NewNode()).ToList();
        foreach (var node in initial)
        {
            cluster.WriteConfig(node, initial);
            node.Start(extraArguments);
        }

        await cluster.WaitForLeaderAsync(initial, StartTimeout);
        return cluster;
    }

    /// <summary>An empty cluster folder; add nodes with <see cref="NewNode"/>.</summary>
    public static TestCluster Create() =>
        new(Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "cp-membership-" + Guid.NewGuid().ToString("N")[..12])).FullName);

    public TestNode NewNode()
    {
        var node = new TestNode($"node{_nodes.Count + 1}", Root, Ports.Next(), Ports.Next(), Ports.Next());
        _nodes.Add(node);
        return node;
    }

    /// <summary>
    /// Starts a node that will be added to a running cluster (no initial members, so it stands by until added)
    /// and waits until it answers, as an operator would before adding it.
    /// </summary>
    public async Task<TestNode> StartJoiningNodeAsync()
    {
        var node = NewNode();
        WriteConfig(node, []);
        node.Start();
        await Eventually.WaitAsync($"{node.Name} to answer status calls", StartTimeout, async () =>
        {
            var status = await node.Cluster.GetNodeStatusAsync(new GetNodeStatusRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
            return (true, 0, status.Role.ToString());
        });
        return node;
    }

    public void WriteConfig(TestNode node, IReadOnlyList<TestNode> initialMembers)
    {
        var members = new JsonArray();
        foreach (var m in initialMembers) members.Add(new JsonObject { ["Name"] = m.Name, ["RaftEndpoint"] = m.RaftEndpoint, ["GrpcEndpoint"] = m.GrpcEndpoint });
        var config = new JsonObject
        {
            ["ControlPlane"] = new JsonObject
            {
                ["Node"] = new JsonObject
                {
                    ["Name"] = node.Name,
                    ["DataDirectory"] = node.DataDirectory,
                    ["RaftEndpoint"] = node.RaftEndpoint,
                    ["GrpcEndpoint"] = node.GrpcEndpoint,
                    ["AdminEndpoint"] = $"http://127.0.0.1:{node.AdminPort}",
                    ["Insecure"] = true,
                },
                ["Cluster"] = new JsonObject { ["InitialMembers"] = members },
                ["Raft"] = new JsonObject { ["LowerElectionTimeoutMs"] = 300, ["UpperElectionTimeoutMs"] = 600, ["WalChunkSizeBytes"] = 1 << 20 },
            },
            ["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Information", ["Microsoft.AspNetCore"] = "Warning" } },
        };
        File.WriteAllText(node.ConfigPath, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>The node that <paramref name="among"/> (running ones) agree leads, waiting up to <paramref name="timeout"/>.</summary>
    public Task<TestNode> WaitForLeaderAsync(IEnumerable<TestNode> among, TimeSpan timeout)
    {
        var candidates = among.ToList();
        return Eventually.WaitAsync($"one leader agreed on by {string.Join(", ", candidates.Select(n => n.Name))}", timeout, async () =>
        {
            var statuses = new List<(TestNode Node, NodeStatus? Status)>();
            foreach (var node in candidates.Where(n => n.IsRunning))
            {
                try
                {
                    statuses.Add((node, await node.Cluster.GetNodeStatusAsync(new GetNodeStatusRequest(), deadline: DateTime.UtcNow.AddSeconds(2))));
                }
                catch (RpcException)
                {
                    statuses.Add((node, null));
                }
            }

            var leaders = statuses.Where(s => s.Status?.Role == NodeRole.Leader).ToList();
            var seen = string.Join("; ", statuses.Select(s => $"{s.Node.Name}: {(s.Status is null ? "no answer" : $"{s.Status.Role} term {s.Status.Term} leader {s.Status.LeaderRaftEndpoint}")}"));
            if (leaders.Count != 1) return (false, null!, seen);
            var leader = leaders[0].Node;
            var agreed = statuses.All(s => s.Status is not null && s.Status.LeaderRaftEndpoint == leader.RaftEndpoint);
            return (agreed, leader, seen);
        });
    }

    /// <summary>Every node's log tail, for failure messages.</summary>
    public string Logs(int lines = 20) =>
        string.Join(Environment.NewLine, _nodes.Select(n => $"----- {n.Name} ({n.LogPath}){Environment.NewLine}{n.LogTail(lines)}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes) await node.DisposeAsync();
        if (Environment.GetEnvironmentVariable("CP_KEEP_TEST_DATA") is null)
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open by a dying process; the temp folder is reclaimed later.
            }
        }
    }
}
