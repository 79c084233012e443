namespace ControlPlane.Testing.Watch;

/// <summary>The event a change must produce for a filter: its type, the object's version and the previous version.</summary>
internal sealed record ExpectedEvent(CommittedChange Change, ObservedEventType Type, long ObjectResourceVersion, long? PreviousResourceVersion)
{
    public override string ToString() =>
        $"{Type} {Change.Key}@{ObjectResourceVersion}" + (PreviousResourceVersion is { } p ? $" (previous @{p})" : "") + $" at {Change.ResourceVersion}";
}
