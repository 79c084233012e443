using ControlPlane.Core.Store;

namespace ControlPlane.Replication;

/// <summary><see cref="ILeadership"/> over DotNext: leadership counts only once the new term's barrier is applied.</summary>
public sealed class RaftLeadership(RaftNode node) : ILeadership
{
    public bool IsLeader => node.IsLeader;

    public Task<CancellationToken> WaitForLeadershipAsync(CancellationToken cancellationToken) =>
        node.Cluster.WaitForLeadershipAsync(cancellationToken);
}
