namespace ControlPlane.Replication.Membership;

/// <summary>The outcome of a successful add.</summary>
public sealed record MemberAddResult(ClusterMember Member, bool AlreadyMember, CatchUpProgress Progress, MemberConfiguration Configuration)
{
    /// <summary>True when this answers a retry of a request id that was already handled.</summary>
    public bool Replayed { get; init; }
}
