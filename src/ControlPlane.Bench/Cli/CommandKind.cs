namespace ControlPlane.Bench.Cli;

/// <summary>The cpbench subcommands.</summary>
public enum CommandKind
{
    Help,

    /// <summary>Run one scenario and report.</summary>
    Run,

    /// <summary>Wait until a write through every endpoint succeeds (the cluster is ready).</summary>
    Wait,
}
