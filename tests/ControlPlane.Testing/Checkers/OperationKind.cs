namespace ControlPlane.Testing.Checkers;

/// <summary>What a recorded operation asked of one key.</summary>
public enum OperationKind
{
    /// <summary>A linearizable Get: the output is the value and resourceVersion seen, or absent.</summary>
    Read,

    /// <summary>An unconditional Put (create or replace).</summary>
    Write,

    /// <summary>A Put carrying an expected resourceVersion (optimistic concurrency).</summary>
    ConditionalWrite,

    /// <summary>A Create: fails AlreadyExists when the key is present.</summary>
    Create,

    /// <summary>A Delete, optionally with an expected resourceVersion; deleting an absent key is a NoOp.</summary>
    Delete,
}
