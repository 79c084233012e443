using System.Net;

namespace ControlPlane.Replication.Membership;

/// <summary>A request to remove a member, named by its Raft endpoint or by its name (exactly one).</summary>
public sealed record MemberRemoval(IPEndPoint? RaftEndpoint, string? Name, string RequestId);
