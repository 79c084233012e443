namespace ControlPlane.Client;

/// <summary>How far a joining member was behind the leader.</summary>
/// <param name="MemberAppliedIndex">The member's applied index as it reported it; -1 when it could not be asked.</param>
/// <param name="LeaderCommitIndex">The leader's commit index.</param>
/// <param name="Attempts">Catch-up attempts the leader made.</param>
/// <param name="Elapsed">How long the add took on the leader.</param>
public sealed record CatchUpProgress(long MemberAppliedIndex, long LeaderCommitIndex, int Attempts, TimeSpan Elapsed);
