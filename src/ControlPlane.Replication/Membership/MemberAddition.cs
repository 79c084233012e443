namespace ControlPlane.Replication.Membership;

/// <summary>A request to add a started, empty node as a member.</summary>
public sealed record MemberAddition(ClusterMember Member, string RequestId, TimeSpan CatchUpTimeout);
