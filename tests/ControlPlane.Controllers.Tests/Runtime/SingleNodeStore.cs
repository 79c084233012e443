using System.Net;
using System.Net.Sockets;
using ControlPlane.Replication;
using Microsoft.Extensions.Logging.Abstractions;

namespace ControlPlane.Controllers.Tests.Runtime;

/// <summary>
/// A real one-member Raft node (WAL, state machine, watch hub, TCP transport on 127.0.0.1) in a temp folder,
/// deleted on dispose. Copied from ControlPlane.Replication.Tests so that this project needs no other test project.
/// </summary>
internal sealed class SingleNodeStore : IAsyncDisposable
{
    private SingleNodeStore(string directory, RaftNode node, RaftResourceStore store)
    {
        Directory = directory;
        Node = node;
        Store = store;
        Leadership = new RaftLeadership(node);
    }

    public string Directory { get; }

    public RaftNode Node { get; }

    public RaftResourceStore Store { get; }

    public RaftLeadership Leadership { get; }

    public static async Task<SingleNodeStore> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "cp-ctrl-" + Guid.NewGuid().ToString("N"));
        var endpoint = new IPEndPoint(IPAddress.Loopback, FreePort());
        var identity = new NodeIdentity
        {
            Name = "solo",
            RaftEndpoint = endpoint,
            RaftListenEndpoint = endpoint,
            GrpcEndpoint = "http://127.0.0.1:1",
            DataDirectory = directory,
            InitialMembers = [new ClusterMember("solo", endpoint, "http://127.0.0.1:1")],
        };
        var options = new RaftOptions { LowerElectionTimeoutMs = 150, UpperElectionTimeoutMs = 300, WalChunkSizeBytes = 1 << 20 };
        var node = await RaftNode.CreateAsync(identity, options, NullLoggerFactory.Instance, CancellationToken.None);
        await node.StartAsync(CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await node.Cluster.WaitForLeadershipAsync(timeout.Token);
        return new SingleNodeStore(directory, node, new RaftResourceStore(node, TimeProvider.System, NullLogger<RaftResourceStore>.Instance));
    }

    public async ValueTask DisposeAsync()
    {
        Store.Dispose();
        await Node.StopAsync(CancellationToken.None);
        await Node.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
