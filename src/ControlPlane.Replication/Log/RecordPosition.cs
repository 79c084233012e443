namespace ControlPlane.Replication.Log;

/// <summary>Where a record of <see cref="LogSegments"/> starts: the segment's sequence number and the byte offset in it.</summary>
internal readonly record struct RecordPosition(long Segment, long Offset)
{
    /// <summary>Not written yet (segment numbers start at 1).</summary>
    public bool IsKnown => Segment > 0;
}
