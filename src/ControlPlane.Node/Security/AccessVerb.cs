namespace ControlPlane.Node.Security;

/// <summary>What a call does, as authorization sees it. A status write is its own verb, as in Kubernetes.</summary>
public enum AccessVerb
{
    /// <summary>Reads, lists, watches, cluster and member status.</summary>
    Read,

    /// <summary>Creates, updates, patches and deletes resources.</summary>
    Write,

    /// <summary>Writes a resource's status (UpdateResourceStatus).</summary>
    WriteStatus,

    /// <summary>Membership changes, leader resignation, snapshots.</summary>
    Admin,

    /// <summary>Calls only members make to each other (a removal notice).</summary>
    Member,
}
