using System.Net;
using ControlPlane.Replication.Membership;
using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.Membership;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Replication;

public sealed partial class RaftNode
{
    private readonly Lock _removalGate = new();
    private RemovalMarker? _removal;

    /// <summary>Names and gRPC endpoints of the members this node knows of, including removed ones.</summary>
    public MemberDirectory KnownMembers { get; }

    /// <summary>Set once this node was removed from the cluster; it then serves no client traffic.</summary>
    public RemovalMarker? Removal => Volatile.Read(ref _removal);

    public bool IsRemoved => Removal is not null;

    /// <summary>This node as a member: name, Raft endpoint, gRPC endpoint.</summary>
    public ClusterMember Self => new(_identity.Name, _identity.RaftEndpoint, _identity.GrpcEndpoint);

    /// <summary>The committed configuration: its members' Raft endpoints and the log index of its entry.</summary>
    public async ValueTask<MemberConfiguration> LoadConfigurationAsync(CancellationToken cancellationToken)
    {
        IClusterConfigurationStorage storage = _members;
        var (configuration, version) = await storage.LoadConfigurationAsync(cancellationToken).ConfigureAwait(false);
        var members = ((IClusterConfiguration<EndPoint>)configuration).Members;
        return new MemberConfiguration([.. members.Cast<IPEndPoint>().OrderBy(e => e.ToString(), StringComparer.Ordinal)], version);
    }

    /// <summary>A member as this node knows it: the directory, else its Raft metadata, else just its endpoint.</summary>
    public async ValueTask<ClusterMember> DescribeAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        if (endpoint.Equals(_identity.RaftEndpoint)) return Self;
        if (KnownMembers.Find(endpoint) is { } known) return known;
        var member = Cluster.Members.FirstOrDefault(m => m.EndPoint.Equals(endpoint));
        if (member is not null && await TryLearnAsync(member, cancellationToken).ConfigureAwait(false) is { } learned) return learned;
        return new ClusterMember(string.Empty, endpoint, string.Empty);
    }

    /// <summary>
    /// Marks this node removed: durably in its data directory first (so a restart on this data is refused),
    /// then in memory (so it refuses client traffic), ends its watches and stops it from standing for election.
    /// Returns false when it was already marked.
    /// </summary>
    public async Task<bool> MarkRemovedAsync(RemovalMarker marker, CancellationToken cancellationToken)
    {
        lock (_removalGate)
        {
            if (_removal is not null) return false;
            marker.WriteTo(_identity.DataDirectory);
            Volatile.Write(ref _removal, marker);
        }

        LogRemoved(marker.Describe());
        Watches.Reset(StateMachine.State.AppliedIndex, "this node was removed from the cluster");
        try
        {
            await Cluster.EnableStandbyModeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException or OperationCanceledException)
        {
            // Standby is only a courtesy: a removed member's vote requests are refused by the others anyway.
        }

        return true;
    }

    /// <summary>
    /// Judges a removal notice from a leader: accepted when it names this node and this node is not a member
    /// of a configuration at least as new as the removal (a node wiped and added again ignores a stale notice).
    /// </summary>
    public async Task<(bool Accepted, string Detail)> AcceptRemovalNoticeAsync(RemovalNotice notice, CancellationToken cancellationToken)
    {
        if (!IPEndPoint.TryParse(notice.RemovedRaftEndpoint, out var endpoint) || !endpoint.Equals(_identity.RaftEndpoint))
        {
            return (false, $"this node is {_identity.Name} at {_identity.RaftEndpoint}, not {notice.RemovedRaftEndpoint}");
        }

        if (Removal is { } already) return (true, $"already {already.Describe()}");
        var configuration = await LoadConfigurationAsync(cancellationToken).ConfigureAwait(false);
        if (configuration.Contains(_identity.RaftEndpoint) && configuration.Index >= notice.ConfigurationIndex)
        {
            return (false, $"this node is a member of configuration {configuration.Index}, newer than the removal at {notice.ConfigurationIndex}");
        }

        await MarkRemovedAsync(new RemovalMarker(notice.ConfigurationIndex, $"{notice.LeaderName} ({notice.LeaderRaftEndpoint}, term {notice.Term})", "told by the leader", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), cancellationToken).ConfigureAwait(false);
        return (true, "removed");
    }

    private static MemberDirectory LoadDirectory(NodeIdentity identity)
    {
        var directory = MemberDirectory.Load(identity.DataDirectory);
        foreach (var member in identity.InitialMembers) directory.Record(member);
        directory.Record(new ClusterMember(identity.Name, identity.RaftEndpoint, identity.GrpcEndpoint));
        return directory;
    }

    private static void RefuseIfRemoved(string dataDirectory)
    {
        if (RemovalMarker.TryRead(dataDirectory, out var marker)) throw new RemovedMemberException(dataDirectory, marker);
    }

    private void OnMemberAdded(RaftCluster<RaftClusterMember> cluster, RaftClusterMemberEventArgs<RaftClusterMember> args)
    {
        var member = args.Member;
        if (!member.IsRemote || KnownMembers.Find(member.EndPoint) is { GrpcEndpoint.Length: > 0 }) return;
        _ = Task.Run(async () =>
        {
            // A member that was just added is alive (it caught up), so its metadata is one round trip away.
            for (var attempt = 0; attempt < 5 && !_lifetime.IsCancellationRequested; attempt++)
            {
                if (await TryLearnAsync(member, _lifetime.Token).ConfigureAwait(false) is not null) return;
                await Task.Delay(TimeSpan.FromMilliseconds(200 << attempt), _lifetime.Token).ConfigureAwait(false);
            }
        });
    }

    private void OnMemberRemoved(RaftCluster<RaftClusterMember> cluster, RaftClusterMemberEventArgs<RaftClusterMember> args)
    {
        // DotNext also reports the local member as removed when it stops; only remote members are recorded here.
        if (!args.Member.IsRemote || _lifetime.IsCancellationRequested) return;
        var endpoint = args.Member.EndPoint;
        _ = Task.Run(async () =>
        {
            var configuration = await LoadConfigurationAsync(_lifetime.Token).ConfigureAwait(false);
            if (!configuration.Contains(endpoint)) KnownMembers.RecordRemoved(endpoint, configuration.Index);
        });
    }

    private async ValueTask<ClusterMember?> TryLearnAsync(RaftClusterMember member, CancellationToken cancellationToken)
    {
        try
        {
            var metadata = await member.GetMetadataAsync(refresh: false, cancellationToken).ConfigureAwait(false);
            if (!metadata.TryGetValue(MetadataKeys.Name, out var name) || !metadata.TryGetValue(MetadataKeys.Grpc, out var grpc)) return null;
            var learned = new ClusterMember(name, (IPEndPoint)member.EndPoint, grpc);
            KnownMembers.Record(learned);
            return learned;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    [LoggerMessage(EventId = 1020, Level = LogLevel.Warning, Message = "This node was {Removal}. It refuses client traffic from now on and will refuse to start again on this data directory")]
    private partial void LogRemoved(string removal);
}
