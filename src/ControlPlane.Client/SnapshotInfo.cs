namespace ControlPlane.Client;

/// <summary>What a saved snapshot holds, from the header the server sent (the bytes were checked against it).</summary>
/// <param name="Format">The snapshot format version.</param>
/// <param name="AppliedIndex">The index of the last write it reflects; every object's resourceVersion is at or below it.</param>
/// <param name="StateHash">The state hash at that index, as node status reports it.</param>
/// <param name="ObjectCount">How many objects it holds.</param>
/// <param name="SizeBytes">Its size.</param>
/// <param name="Sha256">The lower-case hex SHA-256 of its bytes.</param>
/// <param name="NodeName">The node that took it.</param>
/// <param name="TakenAt">When it was taken.</param>
public sealed record SnapshotInfo(int Format, long AppliedIndex, string StateHash, long ObjectCount, long SizeBytes, string Sha256, string NodeName, DateTimeOffset TakenAt);
