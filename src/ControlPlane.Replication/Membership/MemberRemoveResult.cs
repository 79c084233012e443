namespace ControlPlane.Replication.Membership;

/// <summary>The outcome of a successful removal.</summary>
public sealed record MemberRemoveResult(ClusterMember Member, bool AlreadyRemoved, bool RemovedNodeNotified, MemberConfiguration Configuration)
{
    /// <summary>True when this answers a retry of a request id that was already handled.</summary>
    public bool Replayed { get; init; }
}
