namespace ControlPlane.Testing.Watch;

public enum ObservedEventType
{
    Added = 1,
    Modified = 2,
    Deleted = 3,
}
