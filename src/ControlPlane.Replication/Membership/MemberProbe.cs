namespace ControlPlane.Replication.Membership;

/// <summary>What a node said about itself when asked, or why it could not be asked.</summary>
public sealed record MemberProbe
{
    public bool Reachable { get; init; }

    /// <summary>Why it was unreachable.</summary>
    public string Error { get; init; } = string.Empty;

    public string Name { get; init; } = string.Empty;

    public string RaftEndpoint { get; init; } = string.Empty;

    public long AppliedIndex { get; init; } = -1;

    public string LeaderRaftEndpoint { get; init; } = string.Empty;

    public bool Removed { get; init; }

    public static MemberProbe Unreachable(string error) => new() { Error = error };
}
