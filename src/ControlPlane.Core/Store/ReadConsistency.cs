namespace ControlPlane.Core.Store;

public enum ReadMode : byte
{
    /// <summary>Confirm with the leader, then read at or after its commit index.</summary>
    Linearizable = 0,

    /// <summary>Wait until this node has applied <see cref="ReadConsistency.MinResourceVersion"/>.</summary>
    NotOlderThan = 1,

    /// <summary>Whatever this node has applied.</summary>
    Local = 2,
}

/// <summary>How fresh a read must be.</summary>
public readonly record struct ReadConsistency(ReadMode Mode, long MinResourceVersion = 0)
{
    public static ReadConsistency Linearizable => new(ReadMode.Linearizable);

    public static ReadConsistency Local => new(ReadMode.Local);

    public static ReadConsistency NotOlderThan(long resourceVersion) => new(ReadMode.NotOlderThan, resourceVersion);
}
