namespace ControlPlane.Core.Resources;

/// <summary>What a successful write did.</summary>
public enum WriteOutcome : byte
{
    Created = 1,
    Replaced = 2,
    Patched = 3,
    Deleted = 4,

    /// <summary>Nothing changed: a delete of a missing resource, or a write identical to what is stored.</summary>
    NoOp = 5,
    StatusUpdated = 6,
}
