namespace ControlPlane.Client;

/// <summary>One node's own view of itself.</summary>
/// <param name="Name">The node's configured name.</param>
/// <param name="RaftEndpoint">Its Raft endpoint (its member identity).</param>
/// <param name="GrpcEndpoint">Its client endpoint.</param>
/// <param name="Role">Its Raft role.</param>
/// <param name="Term">Its current term.</param>
/// <param name="LeaderRaftEndpoint">The leader it knows, by Raft endpoint; empty when none.</param>
/// <param name="LastLogIndex">The index of its last log entry.</param>
/// <param name="CommitIndex">The highest index it knows to be committed.</param>
/// <param name="AppliedIndex">The highest index it has applied.</param>
/// <param name="ObjectCount">How many objects its store holds.</param>
/// <param name="StateHash">Hex digest of its state at <paramref name="AppliedIndex"/>: equal on converged replicas.</param>
/// <param name="Version">The node's software version.</param>
public sealed record NodeStatusInfo(
    string Name,
    string RaftEndpoint,
    string GrpcEndpoint,
    MemberRole Role,
    long Term,
    string LeaderRaftEndpoint,
    long LastLogIndex,
    long CommitIndex,
    long AppliedIndex,
    long ObjectCount,
    string StateHash,
    string Version)
{
    internal static NodeStatusInfo FromProto(Contracts.V1.NodeStatus status) => new(
        status.Name,
        status.RaftEndpoint,
        status.GrpcEndpoint,
        status.Role switch
        {
            Contracts.V1.NodeRole.Leader => MemberRole.Leader,
            Contracts.V1.NodeRole.Follower => MemberRole.Follower,
            Contracts.V1.NodeRole.Candidate => MemberRole.Candidate,
            Contracts.V1.NodeRole.Standby => MemberRole.Standby,
            _ => MemberRole.Unknown,
        },
        status.Term,
        status.LeaderRaftEndpoint,
        status.LastLogIndex,
        status.CommitIndex,
        status.AppliedIndex,
        status.ObjectCount,
        status.StateHash,
        status.Version);
}
