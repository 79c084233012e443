namespace ControlPlane.Bench.Targets;

/// <summary>One object read: its version and the size of its stored value.</summary>
public readonly record struct ReadResult(bool Found, long Version, int Bytes);
