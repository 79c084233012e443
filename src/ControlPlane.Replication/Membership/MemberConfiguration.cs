using System.Net;

namespace ControlPlane.Replication.Membership;

/// <summary>A committed Raft configuration: its members' Raft endpoints (sorted) and the log index of its entry.</summary>
public sealed record MemberConfiguration(IReadOnlyList<IPEndPoint> Members, long Index)
{
    public bool Contains(EndPoint endpoint) => Members.Any(m => m.Equals(endpoint));

    public override string ToString() => $"[{string.Join(", ", Members)}] at index {Index}";
}
