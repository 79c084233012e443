namespace ControlPlane.Testing.Checkers;

/// <summary>A value and the resourceVersion it was stored at, as a final read returned it.</summary>
public sealed record VersionedValue(string Value, long ResourceVersion);
