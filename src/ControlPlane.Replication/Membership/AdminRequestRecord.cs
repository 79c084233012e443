namespace ControlPlane.Replication.Membership;

/// <summary>
/// One membership request as the replicated store remembers it (a <c>MembershipRequest</c> object in namespace
/// <c>controlplane-system</c>): which change the request id named, and whether it is still running or succeeded.
/// </summary>
/// <param name="RequestId">The caller's request id.</param>
/// <param name="Change">The change it named, e.g. "add node4 (127.0.0.1:7204, http://127.0.0.1:7104)": a retry must name the same.</param>
/// <param name="Operation"><see cref="Add"/> or <see cref="Remove"/>.</param>
/// <param name="Phase"><see cref="Pending"/> while the leader runs it, <see cref="Succeeded"/> once it answered.</param>
/// <param name="MemberName">The member added or removed; empty when not known yet.</param>
/// <param name="RaftEndpoint">Its Raft endpoint; empty when not known (a removal by a name that is not a member).</param>
/// <param name="GrpcEndpoint">Its gRPC endpoint; empty when not known.</param>
/// <param name="NoChange">The request succeeded without a change (already a member, already removed).</param>
/// <param name="Notified">A removal: whether the removed node acknowledged it.</param>
public sealed record AdminRequestRecord(
    string RequestId,
    string Change,
    string Operation,
    string Phase,
    string MemberName,
    string RaftEndpoint,
    string GrpcEndpoint,
    bool NoChange = false,
    bool Notified = false)
{
    public const string Add = "add";

    public const string Remove = "remove";

    public const string Pending = "Pending";

    public const string Succeeded = "Succeeded";
}
