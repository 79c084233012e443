namespace ControlPlane.Bench.Targets;

/// <summary>The answer to a conditional write: applied at <see cref="Version"/>, or refused as a conflict.</summary>
public readonly record struct UpdateResult(bool Succeeded, long Version);
