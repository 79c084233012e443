using System.Reflection;
using DotNext.Net.Cluster.Consensus.Raft;

namespace ControlPlane.Replication;

/// <summary>
/// Reads and resets the leader's next-index for one member, which DotNext 6.12 keeps in a private field
/// (<c>RaftClusterMember.state</c>, a <c>protected internal</c> struct with a public <c>NextIndex</c>). Only
/// <see cref="SnapshotCatchUpGuard"/> uses it. Raft allows the leader to set a follower's next index to anything
/// (a new leader sets it to its last index + 1), because the AppendEntries consistency check walks it back; so a
/// reset can cost a round trip, never safety. When a DotNext upgrade renames the field, <see cref="IsAvailable"/>
/// turns false and a unit test fails.
/// </summary>
internal static class ReplicationStateAccess
{
    private static readonly FieldInfo? _state = typeof(RaftClusterMember).GetField("state", BindingFlags.Instance | BindingFlags.NonPublic);
    private static readonly FieldInfo? _nextIndex = _state?.FieldType.GetField("NextIndex", BindingFlags.Instance | BindingFlags.Public);

    public static bool IsAvailable => _state is { FieldType.IsValueType: true } && _nextIndex?.FieldType == typeof(long);

    public static long GetNextIndex(RaftClusterMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        EnsureAvailable();
        return (long)_nextIndex!.GetValueDirect(TypedReference.MakeTypedReference(member, [_state!]))!;
    }

    public static void SetNextIndex(RaftClusterMember member, long nextIndex)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentOutOfRangeException.ThrowIfNegative(nextIndex);
        EnsureAvailable();
        _nextIndex!.SetValueDirect(TypedReference.MakeTypedReference(member, [_state!]), nextIndex);
    }

    private static void EnsureAvailable()
    {
        if (!IsAvailable)
        {
            throw new InvalidOperationException("this DotNext version has no RaftClusterMember.state.NextIndex; SnapshotCatchUpGuard must be revisited");
        }
    }
}
