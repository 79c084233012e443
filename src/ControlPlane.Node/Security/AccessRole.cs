namespace ControlPlane.Node.Security;

/// <summary>The roles a token grants; each allows a fixed set of <see cref="AccessVerb"/>s.</summary>
public enum AccessRole
{
    /// <summary>Read only.</summary>
    Reader,

    /// <summary>Read, and write resources (not their status).</summary>
    Writer,

    /// <summary>Read, and write status: what a controller outside the cluster needs.</summary>
    StatusWriter,

    /// <summary>Everything a client can do, membership and snapshots included.</summary>
    Admin,

    /// <summary>The cluster's own members: everything, and a forwarded call may name the principal it acts for.</summary>
    Member,
}
