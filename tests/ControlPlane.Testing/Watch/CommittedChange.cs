namespace ControlPlane.Testing.Watch;

/// <summary>One commit of the model: the object it changed, its version before (null: absent) and after (null: deleted).</summary>
public sealed record CommittedChange(long ResourceVersion, ObjectKey Key, ObjectVersion? Before, ObjectVersion? After)
{
    public override string ToString() => $"{ResourceVersion}: {Key} {(Before is null ? "created" : After is null ? "deleted" : "changed")}";
}
