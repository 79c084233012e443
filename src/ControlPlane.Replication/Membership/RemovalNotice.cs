namespace ControlPlane.Replication.Membership;

/// <summary>What the leader tells a member it removed.</summary>
public sealed record RemovalNotice(string RemovedRaftEndpoint, long ConfigurationIndex, string LeaderName, string LeaderRaftEndpoint, long Term);
