namespace ControlPlane.Core.Watch;

public enum WatchEventType : byte
{
    Added = 1,
    Modified = 2,
    Deleted = 3,
}
