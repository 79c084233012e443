using System.ComponentModel.DataAnnotations;

namespace ControlPlane.Node.Configuration;

/// <summary>Section ControlPlane:Node: who this node is and where it listens.</summary>
public sealed class NodeOptions
{
    public const string Section = "ControlPlane:Node";

    [Required]
    public string Name { get; set; } = string.Empty;

    [Required]
    public string DataDirectory { get; set; } = string.Empty;

    /// <summary>IP:port peers use for Raft; it is this member's identity.</summary>
    [Required]
    public string RaftEndpoint { get; set; } = string.Empty;

    /// <summary>Where the Raft transport listens; defaults to <see cref="RaftEndpoint"/> (use 0.0.0.0:port in containers).</summary>
    public string? RaftListenEndpoint { get; set; }

    /// <summary>The gRPC URL clients and peers use (h2c), e.g. http://127.0.0.1:7101.</summary>
    [Required]
    public string GrpcEndpoint { get; set; } = string.Empty;

    public string? GrpcListenUrl { get; set; }

    /// <summary>HTTP/1.1 admin URL: /healthz, /readyz, /status, /metrics.</summary>
    [Required]
    public string AdminEndpoint { get; set; } = string.Empty;

    public string? AdminListenUrl { get; set; }

    /// <summary>
    /// The explicit switch for local development. False (the default: secure by default) demands TLS and client
    /// authentication: the node refuses to start without a certificate and a token file. True accepts plaintext
    /// links and unauthenticated calls: the node warns at start and refuses to listen on a non-loopback address
    /// unless <see cref="AllowInsecureRemote"/> is also set. The shipped cluster-configs set it.
    /// </summary>
    public bool Insecure { get; set; }

    /// <summary>Allows plaintext links on non-loopback addresses (containers on a private test network).</summary>
    public bool AllowInsecureRemote { get; set; }

    /// <summary>
    /// A snapshot file (cpctl snapshot save) to rebuild a fresh cluster from: it seeds an empty data directory
    /// before the log starts, so every object keeps its resourceVersion and new writes continue above it.
    /// Also accepted as <c>--restore-snapshot &lt;file&gt;</c>.
    /// </summary>
    public string? RestoreFromSnapshot { get; set; }
}

/// <summary>Section ControlPlane:Cluster: the members a fresh data directory starts with.</summary>
public sealed class ClusterOptions
{
    public const string Section = "ControlPlane:Cluster";

    public List<MemberOptions> InitialMembers { get; set; } = [];

    /// <summary>
    /// Start as a node to be added to a running cluster: ignore <see cref="InitialMembers"/> and stand by until the
    /// leader adds it (cpctl member add). For bringing back a former initial member on a wiped data directory.
    /// </summary>
    public bool Join { get; set; }
}

public sealed class MemberOptions
{
    public string Name { get; set; } = string.Empty;

    public string RaftEndpoint { get; set; } = string.Empty;

    public string GrpcEndpoint { get; set; } = string.Empty;
}

/// <summary>Section ControlPlane:Storage: object and snapshot sizes.</summary>
public sealed class StorageOptions
{
    public const string Section = "ControlPlane:Storage";

    [Range(1024, 64 << 20)]
    public int MaxObjectBytes { get; set; } = Core.Validation.ResourceLimits.DefaultMaxObjectBytes;

    /// <summary>Overrides ControlPlane:Raft:SnapshotThresholdBytes when set.</summary>
    public long? SnapshotThresholdBytes { get; set; }
}

/// <summary>Section ControlPlane:Telemetry.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "ControlPlane:Telemetry";

    /// <summary>OTLP endpoint for traces and metrics; also honoured: OTEL_EXPORTER_OTLP_ENDPOINT.</summary>
    public string? OtlpEndpoint { get; set; }
}
