namespace ControlPlane.Replication.Membership;

/// <summary>How far a joining member was behind the leader: its applied index (-1 when it could not be asked).</summary>
public sealed record CatchUpProgress(long MemberAppliedIndex, long LeaderCommitIndex, int Attempts, TimeSpan Elapsed)
{
    public override string ToString() =>
        $"{(MemberAppliedIndex < 0 ? "its applied index is unknown (it did not answer)" : $"it has applied up to {MemberAppliedIndex}")}, the leader has committed {LeaderCommitIndex}; {Attempts} catch-up attempt(s) in {Elapsed.TotalSeconds:0.0} s";
}
