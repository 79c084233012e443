namespace ControlPlane.Client;

/// <summary>The whole cluster as seen from the answering node, which asks every member for its own status.</summary>
/// <param name="LeaderRaftEndpoint">The leader's Raft endpoint; empty when no leader is known.</param>
/// <param name="LeaderGrpcEndpoint">The leader's client endpoint; empty when no leader is known.</param>
/// <param name="Term">The answering node's term.</param>
/// <param name="Members">Every member, reachable or not.</param>
public sealed record ClusterStatus(string LeaderRaftEndpoint, string LeaderGrpcEndpoint, long Term, IReadOnlyList<ClusterMember> Members)
{
    internal static ClusterStatus FromProto(Contracts.V1.GetClusterStatusResponse response) => new(
        response.LeaderRaftEndpoint,
        response.LeaderGrpcEndpoint,
        response.Term,
        response.Members.Select(m => new ClusterMember(
            m.RaftEndpoint,
            m.GrpcEndpoint,
            m.Reachable,
            m.IsLeader,
            m.Status is null ? null : NodeStatusInfo.FromProto(m.Status),
            m.Error)
        {
            Name = m.Name.Length > 0 ? m.Name : m.Status?.Name ?? string.Empty,
            LagEntries = ClusterMember.Lag(m.HasLagEntries, m.LagEntries),
            LastContact = ClusterMember.Contact(m.HasLastContactMs, m.LastContactMs),
        }).ToList());
}
