namespace ControlPlane.Bench.Cli;

/// <summary>The workloads cpbench runs.</summary>
public enum ScenarioKind
{
    /// <summary>Unconditional writes over the key space: the first pass creates, later passes replace.</summary>
    Put,

    /// <summary>Reads of existing keys, linearizable or local (etcd: serializable).</summary>
    Get,

    /// <summary>One page of the whole kind (etcd: a prefix range).</summary>
    List,

    /// <summary>N watchers on one kind while a paced writer commits; delivery latency and completeness.</summary>
    Watch,

    /// <summary>A Kubernetes-like mix: optimistic read-modify-write, gets, lists, list-then-watch.</summary>
    Mixed,

    /// <summary>Creates every key of the key space once (to measure memory with N objects), then stops.</summary>
    Fill,
}
