namespace ControlPlane.Replication.Membership;

/// <summary>
/// How the membership logic talks to other nodes outside Raft (the host implements it over gRPC): asking a
/// node for its status, and telling a removed node that it was removed, which Raft itself never does.
/// </summary>
public interface IMemberClient
{
    /// <summary>Asks a node for its status, giving up after <paramref name="timeout"/>. Never throws for an unreachable node.</summary>
    Task<MemberProbe> ProbeAsync(ClusterMember member, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Tells <paramref name="member"/> it was removed; true when it acknowledged. Never throws for an unreachable node.</summary>
    Task<bool> NotifyRemovedAsync(ClusterMember member, RemovalNotice notice, TimeSpan timeout, CancellationToken cancellationToken);
}
