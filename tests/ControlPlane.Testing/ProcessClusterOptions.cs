namespace ControlPlane.Testing;

/// <summary>How a <see cref="ProcessCluster"/> is started, waited on and cleaned up.</summary>
public sealed class ProcessClusterOptions
{
    /// <summary>Root folder for cluster folders; default: $TMPDIR/controlplane-clusters. scripts/test.sh sets artifacts/clusters.</summary>
    public const string ArtifactsRootVariable = "CONTROLPLANE_TEST_ARTIFACTS";

    /// <summary>Set to 1 to keep every cluster folder, failed or not.</summary>
    public const string KeepArtifactsVariable = "CONTROLPLANE_KEEP_TEST_ARTIFACTS";

    public int Nodes { get; set; } = 3;

    /// <summary>
    /// Extra nodes, after the <see cref="Nodes"/> initial members, configured with no initial members and not started:
    /// each stands by until it is added to the cluster (AdminService.AddMember). Start one with
    /// <see cref="ProcessCluster.RestartAsync"/>.
    /// </summary>
    public int Joining { get; set; }

    /// <summary>Called once per node after its ports and folders are allocated and before any config is written.</summary>
    public Action<NodeOptions>? Configure { get; set; }

    /// <summary>Part of the cluster folder's name: the test's name makes kept folders easy to find.</summary>
    public string Name { get; set; } = "cluster";

    /// <summary>For the first leader after start, and for a restarted node to answer /healthz.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Time a node gets to exit after SIGTERM (or SIGKILL) before the harness escalates or fails.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Default deadline of the Wait* methods.</summary>
    public TimeSpan WaitTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Deadline of one admin HTTP request; a paused node never answers.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>The node dll to run; default: <see cref="NodeBinary.Locate()"/>.</summary>
    public string? NodeDllPath { get; set; }

    /// <summary>Folder under which this cluster's folder is created; default: <see cref="ArtifactsRootVariable"/> or the temp folder.</summary>
    public string? ArtifactsRoot { get; set; }

    /// <summary>Keep the cluster folder even when the test passes (also: <see cref="KeepArtifactsVariable"/>=1).</summary>
    public bool KeepArtifacts { get; set; }

    /// <summary>Where harness messages go (the folder path, start and stop): e.g. ITestOutputHelper.WriteLine. Default: stdout.</summary>
    public Action<string>? Log { get; set; }
}
