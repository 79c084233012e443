namespace ControlPlane.Client;

/// <summary>How an object in a <see cref="ResourceInformer"/>'s cache changed.</summary>
public enum InformerEventType
{
    /// <summary>The object entered the cache.</summary>
    Added = 1,

    /// <summary>The object in the cache was replaced by a newer version.</summary>
    Updated = 2,

    /// <summary>The object left the cache: it was deleted, it stopped matching the selector, or a re-list no longer found it.</summary>
    Deleted = 3,
}
