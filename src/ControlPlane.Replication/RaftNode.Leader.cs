using System.Net;
using DotNext.Net.Cluster.Consensus.Raft;

namespace ControlPlane.Replication;

public sealed partial class RaftNode
{
    /// <summary>True while this node leads (its leadership token is live).</summary>
    public bool IsLeader => !Cluster.LeadershipToken.IsCancellationRequested;

    /// <summary>The gRPC endpoint of a member: from its Raft metadata, else from the configured initial members.</summary>
    public async ValueTask<string?> GetGrpcEndpointAsync(RaftClusterMember member, CancellationToken cancellationToken)
    {
        if (!member.IsRemote) return _identity.GrpcEndpoint;
        var cached = member.TryGetMetadata();
        if (cached is not null && cached.TryGetValue(MetadataKeys.Grpc, out var endpoint)) return endpoint;
        try
        {
            var metadata = await member.GetMetadataAsync(refresh: false, cancellationToken).ConfigureAwait(false);
            if (metadata.TryGetValue(MetadataKeys.Grpc, out endpoint)) return endpoint;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Fall back to the static configuration below.
        }

        return FindConfigured(member.EndPoint)?.GrpcEndpoint;
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

    private ClusterMember? FindConfigured(EndPoint endpoint) =>
        _identity.InitialMembers.FirstOrDefault(m => m.RaftEndpoint.Equals(endpoint));
}
