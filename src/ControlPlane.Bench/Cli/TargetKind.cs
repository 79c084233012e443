namespace ControlPlane.Bench.Cli;

/// <summary>The system a run drives.</summary>
public enum TargetKind
{
    /// <summary>ControlPlane through the SDK (ControlPlane.Client), as applications use it.</summary>
    ControlPlane,

    /// <summary>ControlPlane through the raw generated gRPC client: the baseline for the SDK's own cost.</summary>
    ControlPlaneGrpc,

    Etcd,
}
