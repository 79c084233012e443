namespace ControlPlane.Client;

/// <summary>What happened to an object, as a watch reports it.</summary>
public enum WatchEventType
{
    /// <summary>The object was created, or it entered the watch's label selector.</summary>
    Added = 1,

    /// <summary>The object changed and still matches the watch.</summary>
    Modified = 2,

    /// <summary>The object was deleted, or it left the watch's label selector.</summary>
    Deleted = 3,
}
