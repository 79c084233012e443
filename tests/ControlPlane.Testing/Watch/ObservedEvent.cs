namespace ControlPlane.Testing.Watch;

/// <summary>One event as a watcher received it.</summary>
public sealed record ObservedEvent(ObservedEventType Type, ObservedObject Object, ObservedObject? Previous)
{
    public override string ToString() => $"{Type} {Object}" + (Previous is null ? "" : $" (previous @{Previous.ResourceVersion})");
}
