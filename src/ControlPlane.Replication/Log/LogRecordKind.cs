namespace ControlPlane.Replication.Log;

/// <summary>What a record of <see cref="SegmentedLog"/> says.</summary>
internal enum LogRecordKind : byte
{
    /// <summary>A command entry.</summary>
    Command = 0,

    /// <summary>A membership entry (DotNext's configuration).</summary>
    Configuration = 1,

    /// <summary>
    /// A snapshot a leader sent was installed at the record's index: every entry before it is gone, and the log goes
    /// on after that index.
    /// </summary>
    Reset = 2,

    /// <summary>No entry: the commit index at a clean stop, so a restart applies everything that was committed.</summary>
    Commit = 4,
}
