namespace ControlPlane.Testing.Watch;

/// <summary>The watch promises (P5, P6) the validator checks.</summary>
public enum WatchRule
{
    /// <summary>Messages arrive in strictly increasing resourceVersion order (bookmarks never go back).</summary>
    Ordered,

    /// <summary>No event is delivered twice.</summary>
    Unique,

    /// <summary>Every matching commit after the start and before the next delivered one appears.</summary>
    NoGap,

    /// <summary>One message carries exactly the matching changes of one commit.</summary>
    Atomic,

    /// <summary>A resume starts from the last position delivered.</summary>
    Resume,

    /// <summary>A bookmark at r comes after every matching event up to r.</summary>
    Bookmark,

    /// <summary>The event's type is what the change means for the filter.</summary>
    EventType,

    /// <summary>The event's object is the version the commit left (the last version, for Deleted).</summary>
    Object,

    /// <summary>The previous object is the version before the commit; none for Added.</summary>
    PreviousObject,

    /// <summary>The event belongs to no commit of the model, or to one the filter does not select.</summary>
    Unexpected,

    /// <summary>The stream reached the end of the model: no matching commit after its last position was left out.</summary>
    Complete,
}
