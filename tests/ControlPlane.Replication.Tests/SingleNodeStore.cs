using System.Net;
using System.Net.Sockets;
using ControlPlane.Core.Resources;
using ControlPlane.Core.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace ControlPlane.Replication.Tests;

/// <summary>A real one-member Raft node (WAL, snapshots, TCP transport on 127.0.0.1) in a temp folder.</summary>
internal sealed class SingleNodeStore : IAsyncDisposable
{
    private SingleNodeStore(string directory, RaftNode node, RaftResourceStore store)
    {
        Directory = directory;
        Node = node;
        Store = store;
    }

    public string Directory { get; }

    public RaftNode Node { get; }

    public RaftResourceStore Store { get; }

    public static async Task<SingleNodeStore> StartAsync(string? directory = null, long snapshotThresholdBytes = 32L << 20, int? port = null, string? restoreFromSnapshot = null)
    {
        directory ??= Path.Combine(Path.GetTempPath(), "cp-repl-" + Guid.NewGuid().ToString("N"));
        var endpoint = new IPEndPoint(IPAddress.Loopback, port ?? FreePort());
        var identity = new NodeIdentity
        {
            Name = "solo",
            RaftEndpoint = endpoint,
            RaftListenEndpoint = endpoint,
            GrpcEndpoint = "http://127.0.0.1:1",
            DataDirectory = directory,
            InitialMembers = [new ClusterMember("solo", endpoint, "http://127.0.0.1:1")],
            RestoreFromSnapshot = restoreFromSnapshot,
        };
        var options = new RaftOptions { LowerElectionTimeoutMs = 150, UpperElectionTimeoutMs = 300, SnapshotThresholdBytes = snapshotThresholdBytes, WalChunkSizeBytes = 1 << 20 };
        var node = await RaftNode.CreateAsync(identity, options, NullLoggerFactory.Instance, CancellationToken.None);
        await node.StartAsync(CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await node.Cluster.WaitForLeadershipAsync(timeout.Token);
        return new SingleNodeStore(directory, node, new RaftResourceStore(node, TimeProvider.System, NullLogger<RaftResourceStore>.Instance));
    }

    public int Port => Node.Identity.RaftEndpoint.Port;

    public async Task<SingleNodeStore> RestartAsync()
    {
        await StopAsync();
        return await StartAsync(Directory, port: Port);
    }

    public async Task StopAsync()
    {
        Store.Dispose();
        await Node.StopAsync(CancellationToken.None);
        await Node.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (ObjectDisposedException)
        {
            // Already stopped by a restart.
        }
    }

    public static WriteRequest Put(string name, string spec, string? requestId = null) => new()
    {
        Kind = WriteKind.Put,
        Key = ResourceKey.Create("example.com/v1", "Widget", "default", name),
        Body = System.Text.Json.Nodes.JsonNode.Parse($$"""{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"{{name}}","namespace":"default"},"spec":{{spec}}}"""),
        RequestId = requestId ?? string.Empty,
    };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
