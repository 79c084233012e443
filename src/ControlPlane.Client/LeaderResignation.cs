namespace ControlPlane.Client;

/// <summary>The outcome of asking the leader to step down.</summary>
/// <param name="PreviousLeaderRaftEndpoint">The leader that stepped down; empty when the node asked was no longer leading.</param>
/// <param name="LeaderRaftEndpoint">The leader known when the answer was made (possibly the previous one, re-elected); empty when none yet.</param>
/// <param name="LeaderGrpcEndpoint">That leader's client endpoint.</param>
/// <param name="Term">The term then.</param>
/// <param name="Elapsed">How long until a leader was known again.</param>
public sealed record LeaderResignation(string PreviousLeaderRaftEndpoint, string LeaderRaftEndpoint, string LeaderGrpcEndpoint, long Term, TimeSpan Elapsed);
