using DotNext.Net.Cluster.Consensus.Raft;

namespace ControlPlane.Replication;

public sealed partial class RaftNode
{
    /// <summary>True while this node leads (its leadership token is live).</summary>
    public bool IsLeader => !Cluster.LeadershipToken.IsCancellationRequested;

    /// <summary>The current term, as this node's log records it.</summary>
    public long Term => ((IPersistentState)Log).Term;

    /// <summary>Steps down if this node leads; a normal election follows. False when it was not the leader.</summary>
    public async Task<bool> ResignAsync(CancellationToken cancellationToken) =>
        await ((DotNext.Net.Cluster.ICluster)Cluster).ResignAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>The gRPC endpoint of a member: from the member directory, else from its Raft metadata.</summary>
    public async ValueTask<string?> GetGrpcEndpointAsync(RaftClusterMember member, CancellationToken cancellationToken)
    {
        if (!member.IsRemote) return _identity.GrpcEndpoint;
        if (KnownMembers.Find(member.EndPoint) is { GrpcEndpoint.Length: > 0 } known) return known.GrpcEndpoint;
        var cached = member.TryGetMetadata();
        if (cached is not null && cached.TryGetValue(MetadataKeys.Grpc, out var endpoint)) return endpoint;
        return (await TryLearnAsync(member, cancellationToken).ConfigureAwait(false))?.GrpcEndpoint;
    }

    /// <summary>The leader's gRPC endpoint, or null when no leader is known.</summary>
    public async ValueTask<string?> GetLeaderGrpcEndpointAsync(CancellationToken cancellationToken) =>
        Cluster.Leader is { } leader ? await GetGrpcEndpointAsync(leader, cancellationToken).ConfigureAwait(false) : null;

    /// <summary>Waits, at most <paramref name="timeout"/>, for any leader to be known.</summary>
    public async ValueTask<RaftClusterMember?> WaitForLeaderAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (Cluster.Leader is { } known) return known;
        try
        {
            return await Cluster.WaitForLeaderAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }
}
