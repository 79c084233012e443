namespace ControlPlane.Testing.Checkers;

/// <summary>One reading of a node's /status: the index it had applied and the hash of its state there.</summary>
public sealed record ReplicaSample(string Node, long AppliedIndex, string StateHash);
