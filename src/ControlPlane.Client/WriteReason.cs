namespace ControlPlane.Client;

/// <summary>Why a write is made; the cluster records it with every command for audit.</summary>
public enum WriteReason
{
    /// <summary>A person or a script acting for one (cpctl uses this).</summary>
    Operator = 1,

    /// <summary>A controller reconciling state.</summary>
    Controller = 2,

    /// <summary>Garbage collection of dependents.</summary>
    GarbageCollector = 3,

    /// <summary>Admission: defaulting or mutation on the way in.</summary>
    Admission = 4,

    /// <summary>A scheduler placing work.</summary>
    Scheduler = 5,
}
