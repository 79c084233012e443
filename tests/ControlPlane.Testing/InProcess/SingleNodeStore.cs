using System.Net;
using ControlPlane.Core.Resources;
using ControlPlane.Core.Store;
using ControlPlane.Replication;
using Microsoft.Extensions.Logging.Abstractions;

namespace ControlPlane.Testing.InProcess;

/// <summary>
/// A real one-member Raft node (WAL, snapshots, state machine, watch hub, TCP transport on 127.0.0.1) in a temp
/// folder, behind the real <see cref="RaftResourceStore"/>: for tests of the store itself and of controllers against
/// the real state machine without a cluster. The folder is deleted on dispose when this instance created it.
/// </summary>
public sealed class SingleNodeStore : IAsyncDisposable
{
    private readonly bool _ownsDirectory;

    private SingleNodeStore(string directory, bool ownsDirectory, RaftNode node)
    {
        Directory = directory;
        _ownsDirectory = ownsDirectory;
        Node = node;
        Store = new RaftResourceStore(node, TimeProvider.System, NullLogger<RaftResourceStore>.Instance);
        Leadership = new RaftLeadership(node);
    }

    public string Directory { get; }

    public RaftNode Node { get; }

    public RaftResourceStore Store { get; }

    public RaftLeadership Leadership { get; }

    public int Port => Node.Identity.RaftEndpoint.Port;

    /// <summary>
    /// Starts a member in <paramref name="directory"/> (a new temp folder, deleted on dispose, when null) and waits
    /// up to 30 s for it to lead. The log engine is <paramref name="logEngine"/>, else the one the environment names
    /// (<c>ControlPlane__Raft__LogEngine</c>, as process clusters and chaos containers take it), else the default.
    /// </summary>
    public static async Task<SingleNodeStore> StartAsync(string? directory = null, long snapshotThresholdBytes = 32L << 20, int? port = null, string? restoreFromSnapshot = null, LogEngine? logEngine = null)
    {
        var owns = directory is null;
        directory ??= Path.Combine(Path.GetTempPath(), "cp-solo-" + Guid.NewGuid().ToString("N"));
        var endpoint = new IPEndPoint(IPAddress.Loopback, port ?? PortAllocator.Allocate());
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
        var options = new RaftOptions
        {
            LowerElectionTimeoutMs = 150,
            UpperElectionTimeoutMs = 300,
            SnapshotThresholdBytes = snapshotThresholdBytes,
            WalChunkSizeBytes = 1 << 20,

            LogEngine = logEngine ?? (Environment.GetEnvironmentVariable("ControlPlane__Raft__LogEngine") is { Length: > 0 } engine ? Enum.Parse<LogEngine>(engine, ignoreCase: true) : null),
        };
        var node = await RaftNode.CreateAsync(identity, options, NullLoggerFactory.Instance, CancellationToken.None);
        await node.StartAsync(CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await node.Cluster.WaitForLeadershipAsync(timeout.Token);
        return new SingleNodeStore(directory, owns, node);
    }

    /// <summary>A Put of an example.com/v1 Widget in "default" with the given spec JSON.</summary>
    public static WriteRequest Put(string name, string spec, string? requestId = null) => new()
    {
        Kind = WriteKind.Put,
        Key = ResourceKey.Create("example.com/v1", "Widget", "default", name),
        Body = System.Text.Encoding.UTF8.GetBytes($$"""{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"{{name}}","namespace":"default"},"spec":{{spec}}}"""),
        RequestId = requestId ?? string.Empty,
    };

    /// <summary>Stops this member and starts a new one on the same folder and port; the folder is kept on dispose.</summary>
    public async Task<SingleNodeStore> RestartAsync()
    {
        await StopAsync();
        return await StartAsync(Directory, port: Port);
    }

    /// <summary>Stops the member and keeps its folder.</summary>
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
            // Already stopped by a restart or by the test.
        }

        if (!_ownsDirectory) return;
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }
}
