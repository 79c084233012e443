namespace ControlPlane.Client;

/// <summary>The outcome of adding or removing a member.</summary>
/// <param name="Member">The member added or removed.</param>
/// <param name="NothingChanged">True when it already was a member (add) or already gone (remove).</param>
/// <param name="ConfigurationIndex">The log index of the configuration entry after the change.</param>
/// <param name="Members">The members after the change.</param>
/// <param name="Replayed">True when the server answered a retry of the same request id with the original outcome.</param>
public sealed record MemberChange(
    ClusterMember Member,
    bool NothingChanged,
    long ConfigurationIndex,
    IReadOnlyList<ClusterMember> Members,
    bool Replayed)
{
    /// <summary>For an add: how far the new member had got when it was added (null for a removal).</summary>
    public CatchUpProgress? Progress { get; init; }

    /// <summary>For a removal: whether the removed node acknowledged that it was removed (null for an add).</summary>
    public bool? RemovedNodeNotified { get; init; }

    internal static MemberChange FromProto(Contracts.V1.AddMemberResponse response) => new(
        ClusterMember.FromProto(response.Member),
        response.AlreadyMember,
        response.ConfigurationIndex,
        [.. response.Members.Select(ClusterMember.FromProto)],
        response.Replayed)
    {
        Progress = response.Progress is { } p
            ? new CatchUpProgress(p.MemberAppliedIndex, p.LeaderCommitIndex, p.Attempts, TimeSpan.FromMilliseconds(p.ElapsedMs))
            : null,
    };

    internal static MemberChange FromProto(Contracts.V1.RemoveMemberResponse response) => new(
        ClusterMember.FromProto(response.Member),
        response.AlreadyRemoved,
        response.ConfigurationIndex,
        [.. response.Members.Select(ClusterMember.FromProto)],
        response.Replayed)
    {
        RemovedNodeNotified = response.RemovedNodeNotified,
    };
}
