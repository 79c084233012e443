namespace ControlPlane.Bench.Cli;

/// <summary>The system a run drives.</summary>
public enum TargetKind
{
    ControlPlane,
    Etcd,
}
