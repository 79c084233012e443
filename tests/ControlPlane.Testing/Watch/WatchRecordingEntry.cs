namespace ControlPlane.Testing.Watch;

/// <summary>One entry of a recording: a message received, or the watcher resuming from a position.</summary>
public sealed record WatchRecordingEntry(ObservedMessage? Message, long? ResumedFrom)
{
    public override string ToString() => Message?.ToString() ?? $"resumed from {ResumedFrom}";
}
