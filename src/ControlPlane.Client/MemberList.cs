namespace ControlPlane.Client;

/// <summary>The members of the committed configuration, as the leader (or, when asked for, the answering node) sees them.</summary>
/// <param name="Members">Every member, with its name and endpoints, and its status when it answered.</param>
/// <param name="LeaderRaftEndpoint">The leader's Raft endpoint; empty when none is known.</param>
/// <param name="Term">The answering node's term.</param>
/// <param name="ConfigurationIndex">The log index of the configuration entry the list comes from.</param>
/// <param name="ChangeInProgress">The membership change running on the answering node; empty when none.</param>
/// <param name="AnsweredBy">The name of the node that answered.</param>
public sealed record MemberList(
    IReadOnlyList<ClusterMember> Members,
    string LeaderRaftEndpoint,
    long Term,
    long ConfigurationIndex,
    string ChangeInProgress,
    string AnsweredBy)
{
    internal static MemberList FromProto(Contracts.V1.ListMembersResponse response) => new(
        [.. response.Members.Select(ClusterMember.FromProto)],
        response.LeaderRaftEndpoint,
        response.Term,
        response.ConfigurationIndex,
        response.ChangeInProgress,
        response.AnsweredBy);
}
