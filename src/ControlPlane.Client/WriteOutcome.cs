namespace ControlPlane.Client;

/// <summary>What a write did to the stored object.</summary>
public enum WriteOutcome
{
    /// <summary>The server named no outcome (an older or newer server than this SDK).</summary>
    Unspecified = 0,

    /// <summary>The object did not exist and was created.</summary>
    Created = 1,

    /// <summary>The object existed and was replaced.</summary>
    Replaced = 2,

    /// <summary>A merge patch changed the object.</summary>
    Patched = 3,

    /// <summary>The object was deleted.</summary>
    Deleted = 4,

    /// <summary>Nothing changed: the write equals the stored object, or the object to delete does not exist.</summary>
    NoOp = 5,

    /// <summary>The status was replaced.</summary>
    StatusUpdated = 6,
}
