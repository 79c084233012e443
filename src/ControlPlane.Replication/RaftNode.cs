using System.Net;
using System.Net.Security;
using ControlPlane.Replication.Log;
using ControlPlane.Replication.Membership;
using ControlPlane.Storage.Watch;
using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.Membership;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using DotNext.Net.Security;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Replication;

/// <summary>
/// One Raft member: the state machine, its write-ahead log, the durable member list and the TCP transport.
/// Bootstraps a fresh data directory from the configured initial members (ColdStart is never used, so a
/// node that lost its data cannot crown itself leader of a one-node cluster).
/// </summary>
public sealed partial class RaftNode : IAsyncDisposable
{
    private readonly NodeIdentity _identity;
    private readonly RaftOptions _options;
    private readonly ILogger _logger;
    private readonly EndPointConfigurationStorage _members;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Func<CancellationToken, Task> _runCatchUpGuard;
    private Task _catchUpGuard = Task.CompletedTask;
    private Exception? _failure;

    private RaftNode(NodeIdentity identity, RaftOptions options, ILoggerFactory loggerFactory, Func<CancellationToken, Task> runCatchUpGuard, ResourceStateMachine stateMachine, WatchHub watches, IReplicatedLog wal, EndPointConfigurationStorage members, MemberDirectory knownMembers, RaftCluster cluster)
    {
        _runCatchUpGuard = runCatchUpGuard;
        KnownMembers = knownMembers;
        Watches = watches;
        _identity = identity;
        _options = options;
        _logger = loggerFactory.CreateLogger<RaftNode>();
        StateMachine = stateMachine;
        Log = wal;
        _members = members;
        Cluster = cluster;
        Log.Faulted += e => Interlocked.CompareExchange(ref _failure, e, null);
        StateMachine.Faulted += e => Interlocked.CompareExchange(ref _failure, e, null);
    }

    public NodeIdentity Identity => _identity;

    public RaftCluster Cluster { get; }

    public ResourceStateMachine StateMachine { get; }

    /// <summary>The Raft log, kept by the engine <see cref="RaftOptions.LogEngine"/> names.</summary>
    public IReplicatedLog Log { get; }

    /// <summary>Applied changes fanned out to watchers, with the resumable history.</summary>
    public WatchHub Watches { get; }

    public RaftOptions Options => _options;

    /// <summary>
    /// Builds the node and replays its log. Start it with <see cref="StartAsync"/>. Throws
    /// <see cref="RemovedMemberException"/> for the data directory of a member that was removed, and seeds a
    /// fresh directory from <see cref="NodeIdentity.RestoreFromSnapshot"/> when that is set.
    /// </summary>
    public static async Task<RaftNode> CreateAsync(NodeIdentity identity, RaftOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken, WatchHubOptions? watchOptions = null, TimeProvider? time = null)
    {
        RefuseIfRemoved(identity.DataDirectory);
        if (!string.IsNullOrEmpty(identity.RestoreFromSnapshot))
        {
            await SnapshotRestore.SeedAsync(identity.RestoreFromSnapshot, identity.DataDirectory, loggerFactory.CreateLogger<RaftNode>(), cancellationToken).ConfigureAwait(false);
        }

        var root = Directory.CreateDirectory(identity.DataDirectory);
        var phase = SnapshotPhase(identity);
        var stateMachine = new ResourceStateMachine(
            root.CreateSubdirectory("snapshots"), options.SnapshotThresholdBytes, loggerFactory.CreateLogger<ResourceStateMachine>(), phase);
        LogSnapshotSchedule(loggerFactory.CreateLogger<RaftNode>(), options.SnapshotThresholdBytes, stateMachine.SnapshotOffsetBytes, phase);

        // Attach the watch hub before anything is applied, so the replay after a restart refills the history.
        time ??= TimeProvider.System;
        var watches = new WatchHub(watchOptions ?? new WatchHubOptions(), time);
        stateMachine.Changed += watches.Publish;
        stateMachine.AppliedWithoutChange += watches.NoteApplied;
        stateMachine.Restored += state => watches.Reset(state.AppliedIndex, $"this node installed a snapshot at {state.AppliedIndex}");

        // Order matters: restore the snapshot before the WAL exists, because its constructor starts replaying.
        await stateMachine.RestoreAsync(cancellationToken).ConfigureAwait(false);
        var wal = OpenLog(root, options, stateMachine);

        var members = new EndPointConfigurationStorage(Path.Combine(root.FullName, "members"));
        await SeedMembersAsync(members, identity, loggerFactory.CreateLogger<RaftNode>(), cancellationToken).ConfigureAwait(false);

        var configuration = new RaftCluster.TcpConfiguration(identity.RaftListenEndpoint)
        {
            PublicEndPoint = identity.RaftEndpoint,
            LowerElectionTimeout = options.LowerElectionTimeoutMs,
            UpperElectionTimeout = options.UpperElectionTimeoutMs,
            HeartbeatThreshold = options.HeartbeatThreshold,
            // Not longer: a candidate waits for every vote within its election timeout, so a longer request timeout
            // fails every election while one peer is silent (paused, partitioned). A snapshot install can take longer
            // than this; SnapshotCatchUpGuard repairs what DotNext makes of that timeout.
            RequestTimeout = TimeSpan.FromMilliseconds(options.LowerElectionTimeoutMs),
            ColdStart = false,
            ConfigurationStorage = members,
            LoggerFactory = new QuietRaftLoggerFactory(loggerFactory),
            SslOptions = identity.RaftTls is { } tls ? MutualTls(tls) : null,
        };
        configuration.Metadata[MetadataKeys.Name] = identity.Name;
        configuration.Metadata[MetadataKeys.Grpc] = identity.GrpcEndpoint;
        var cluster = new RaftCluster(configuration) { AuditTrail = wal };
        var guard = new SnapshotCatchUpGuard(cluster, stateMachine, wal, loggerFactory.CreateLogger<SnapshotCatchUpGuard>());
        var period = TimeSpan.FromMilliseconds(options.UpperElectionTimeoutMs);
        return new RaftNode(identity, options, loggerFactory, token => guard.RunAsync(period, time, token), stateMachine, watches, wal, members, LoadDirectory(identity), cluster);
    }

    /// <summary>
    /// Opens the log with the engine that wrote it, or the configured one (the segmented log unless set) for a new data directory. A data directory
    /// holds one engine's log only: the other engine would start from an empty log above the same snapshot and term,
    /// so a configured engine that differs from the one on disk is refused, naming the folder.
    /// </summary>
    internal static IReplicatedLog OpenLog(DirectoryInfo root, RaftOptions options, ResourceStateMachine stateMachine)
    {
        var folders = new Dictionary<LogEngine, DirectoryInfo>
        {
            [LogEngine.DotNext] = new(Path.Combine(root.FullName, "wal")),
            [LogEngine.Segmented] = new(Path.Combine(root.FullName, SegmentedLog.RecordsFolder)),
        };
        var written = folders.Where(f => f.Value.Exists && f.Value.EnumerateFileSystemInfos().Any()).Select(f => (LogEngine?)f.Key).FirstOrDefault();
        var engine = options.LogEngine ?? written ?? LogEngine.Segmented;
        if (written is { } onDisk && onDisk != engine)
        {
            throw new InvalidOperationException($"{RaftOptions.Section}:LogEngine is {engine}, but this data directory's log was written by {onDisk} ({folders[onDisk].FullName}); a data directory keeps the engine that created it (leave LogEngine unset to use it)");
        }

        if (engine == LogEngine.Segmented) return new SegmentedLog(root, stateMachine, options.LogSegmentBytes, options.LogResidentBytes);
        return new DurableWriteAheadLog(
            new WriteAheadLog.Options
            {
                Location = folders[LogEngine.DotNext].FullName,
                ChunkSize = options.WalChunkSizeBytes,
                HashAlgorithm = WriteAheadLog.IntegrityHashAlgorithm.Crc32,
            },
            stateMachine);
    }

    /// <summary>
    /// This member's place among the initial members (ordered by name, then Raft endpoint; itself found by its Raft
    /// endpoint, as the configuration checks it), as a fraction: with three members 0, 1/3 and 2/3, so they write
    /// their snapshots a third of the threshold apart instead of all at once. A member that is not among them (one
    /// that joins later) takes 0.
    /// </summary>
    internal static double SnapshotPhase(NodeIdentity identity)
    {
        var members = identity.InitialMembers.OrderBy(m => m.Name, StringComparer.Ordinal).ThenBy(m => m.RaftEndpoint.ToString(), StringComparer.Ordinal).ToList();
        var position = members.FindIndex(m => m.RaftEndpoint.Equals(identity.RaftEndpoint));
        return position < 0 ? 0 : (double)position / members.Count;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Cluster.LeaderChanged += OnLeaderChanged;
        Cluster.MemberAdded += OnMemberAdded;
        Cluster.MemberRemoved += OnMemberRemoved;
        await Cluster.StartAsync(cancellationToken).ConfigureAwait(false);
        _catchUpGuard = _runCatchUpGuard(_lifetime.Token);
        LogStarted(_identity.Name, _identity.RaftEndpoint, Log.LastCommittedEntryIndex, StateMachine.State.AppliedIndex);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _lifetime.CancelAsync().ConfigureAwait(false);
        await _catchUpGuard.ConfigureAwait(false);
        await Cluster.StopAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Log.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Volatile.Read(ref _failure) is not null && e is not OperationCanceledException)
        {
            // The log or apply failed, which is why the node stops, and it was reported then: nothing can be flushed
            // any more, and an exception escaping the host's stop would crash the process instead of its exit code.
        }
    }

    /// <summary>The current members' Raft endpoints, as DotNext sees them.</summary>
    public IReadOnlyList<RaftClusterMember> Members => [.. Cluster.Members];

    public async ValueTask DisposeAsync()
    {
        await _lifetime.CancelAsync().ConfigureAwait(false);
        await Cluster.DisposeAsync().ConfigureAwait(false);
        await Log.DisposeAsync().ConfigureAwait(false);
        await StateMachine.DisposeAsync().ConfigureAwait(false);
        _members.Dispose();
        _lifetime.Dispose();
    }

    private void OnLeaderChanged(RaftCluster<RaftClusterMember> cluster, RaftClusterMember? leader)
    {
        var term = ((IPersistentState)Log).Term;
        if (leader is null) LogLeaderLost(term);
        else if (!leader.IsRemote) LogBecameLeader(term);
        else LogFollowing(leader.EndPoint, term);
    }

    private static async Task SeedMembersAsync(EndPointConfigurationStorage storage, NodeIdentity identity, ILogger logger, CancellationToken cancellationToken)
    {
        IClusterConfigurationStorage<EndPoint> members = storage;
        var current = await members.LoadConfigurationAsync(cancellationToken).ConfigureAwait(false);
        if (current.Members.Count > 0 || identity.InitialMembers.Count == 0) return;
        foreach (var member in identity.InitialMembers)
        {
            current = current.Add(member.RaftEndpoint);
        }

        await members.SaveConfigurationAsync(current, 0L, cancellationToken).ConfigureAwait(false);
        LogSeeded(logger, identity.InitialMembers.Count, string.Join(", ", identity.InitialMembers.Select(m => $"{m.Name}={m.RaftEndpoint}")));
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Raft member {Name} started at {Endpoint}: commit index {Commit}, applied {Applied}")]
    private partial void LogStarted(string name, EndPoint endpoint, long commit, long applied);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "This node is the leader for term {Term}")]
    private partial void LogBecameLeader(long term);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Following leader {Leader} in term {Term}")]
    private partial void LogFollowing(EndPoint leader, long term);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "No leader known (term {Term}); an election is under way")]
    private partial void LogLeaderLost(long term);

    /// <summary>Both ends of every Raft connection present the member certificate and check the other's.</summary>
    private static SslOptions MutualTls(RaftTls tls) => new()
    {
        ServerOptions = new SslServerAuthenticationOptions
        {
            ServerCertificate = tls.Certificate,
            ClientCertificateRequired = true,
            RemoteCertificateValidationCallback = tls.ValidatePeer,
        },
        ClientOptions = new SslClientAuthenticationOptions
        {
            TargetHost = "controlplane-member",
            ClientCertificates = [tls.Certificate],
            RemoteCertificateValidationCallback = tls.ValidatePeer,
        },
    };

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Fresh data directory: seeded {Count} initial members ({Members})")]
    private static partial void LogSeeded(ILogger logger, int count, string members);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Snapshots every {Threshold} bytes of commands, this member {Offset} bytes after the first initial member (phase {Phase:0.###})")]
    private static partial void LogSnapshotSchedule(ILogger logger, long threshold, long offset, double phase);
}

/// <summary>Keys this project puts into DotNext member metadata.</summary>
public static class MetadataKeys
{
    public const string Name = "name";
    public const string Grpc = "grpc";
}
