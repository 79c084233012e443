namespace ControlPlane.Testing.Watch;

/// <summary>One broken promise in one watcher's stream.</summary>
public sealed record WatchViolation(string Watcher, WatchRule Rule, long ResourceVersion, string Message)
{
    public override string ToString() => $"{Watcher}: {Rule} at {ResourceVersion}: {Message}";
}
