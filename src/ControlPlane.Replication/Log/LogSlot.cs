namespace ControlPlane.Replication.Log;

/// <summary>
/// An entry of <see cref="SegmentedLog"/> in memory, kept in a list of structs: no object per entry survives to the
/// older GC generations, only the arena blocks its payload lives in.
/// </summary>
internal struct LogSlot
{
    public long Term;

    /// <summary>The number of the record that wrote this entry; the entry is on disk once that record is.</summary>
    public long Sequence;

    public ReadOnlyMemory<byte> Payload;

    /// <summary>What the leader's writer waits on (handed to apply once, then cleared).</summary>
    public object? Context;

    public bool IsConfiguration;

    /// <summary>
    /// Where the record that wrote this entry is on disk; unknown until it is written. Reads take the payload from here
    /// once it has been dropped from memory.
    /// </summary>
    public RecordPosition Position;
}
