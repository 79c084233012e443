namespace ControlPlane.Client;

/// <summary>A member's Raft role as it reports it.</summary>
public enum MemberRole
{
    /// <summary>Not known: the member did not answer, or named no role.</summary>
    Unknown = 0,

    /// <summary>The leader of its term.</summary>
    Leader = 1,

    /// <summary>A follower.</summary>
    Follower = 2,

    /// <summary>Running an election.</summary>
    Candidate = 3,

    /// <summary>A member that does not take part in elections.</summary>
    Standby = 4,
}
