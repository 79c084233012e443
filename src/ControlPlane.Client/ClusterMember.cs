namespace ControlPlane.Client;

/// <summary>One member of the cluster as the answering node sees it.</summary>
/// <param name="RaftEndpoint">The member's Raft endpoint (its identity).</param>
/// <param name="GrpcEndpoint">The member's client endpoint.</param>
/// <param name="Reachable">Whether the answering node could get the member's status.</param>
/// <param name="IsLeader">Whether the member is the leader the answering node knows.</param>
/// <param name="Status">The member's own status; null when it is unreachable.</param>
/// <param name="Error">Why the member is unreachable; empty otherwise.</param>
public sealed record ClusterMember(
    string RaftEndpoint,
    string GrpcEndpoint,
    bool Reachable,
    bool IsLeader,
    NodeStatusInfo? Status,
    string Error)
{
    /// <summary>The member's name, known to every node (also while the member is unreachable); empty when unknown.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>
    /// Entries the member has yet to apply: the leader's commit index minus the member's applied index (0 when caught
    /// up); null when the answering node has no status from the leader or from the member.
    /// </summary>
    public long? LagEntries { get; init; }

    /// <summary>
    /// How long ago the member last answered a status request from the answering node (about zero when it answers
    /// now, growing while it is down); null when it has not answered since that node started.
    /// </summary>
    public TimeSpan? LastContact { get; init; }

    internal static long? Lag(bool present, long value) => present ? value : null;

    internal static TimeSpan? Contact(bool present, long milliseconds) => present ? TimeSpan.FromMilliseconds(milliseconds) : null;

    internal static ClusterMember FromProto(Contracts.V1.Member member) => new(
        member.RaftEndpoint,
        member.GrpcEndpoint,
        member.Reachable,
        member.IsLeader,
        member.Status is null ? null : NodeStatusInfo.FromProto(member.Status),
        member.Error)
    {
        Name = member.Name,
        LagEntries = Lag(member.HasLagEntries, member.LagEntries),
        LastContact = Contact(member.HasLastContactMs, member.LastContactMs),
    };
}
