namespace ControlPlane.Replication;

/// <summary>What <see cref="SnapshotRestore.SeedAsync"/> put into a data directory (or found already there).</summary>
/// <param name="Source">The snapshot file, as a full path.</param>
/// <param name="DataDirectory">The seeded data directory, as a full path.</param>
/// <param name="Sha256">Hex SHA-256 of the whole snapshot file, as <c>cpctl snapshot save</c> reports it.</param>
/// <param name="AppliedIndex">The snapshot's index: every restored object's resourceVersion is at or below it.</param>
/// <param name="ObjectCount">How many objects the snapshot holds.</param>
/// <param name="StateHash">The state hash the snapshot carries, checked against its contents.</param>
/// <param name="AlreadyRestored">True when the directory had been seeded from the same bytes before and was left as it was.</param>
public sealed record SnapshotSeed(string Source, string DataDirectory, string Sha256, long AppliedIndex, long ObjectCount, string StateHash, bool AlreadyRestored);
