namespace ControlPlane.Testing;

/// <summary>
/// One node of a <see cref="ProcessCluster"/>: its allocated ports and folders, and the settings a test may change
/// in the configure callback of <see cref="ProcessCluster.StartAsync(int, Action{NodeOptions}?, CancellationToken)"/>.
/// </summary>
public sealed class NodeOptions
{
    public NodeOptions(int index, int raftPort, int grpcPort, int adminPort, string dataDirectory)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        Index = index;
        Name = $"node{index}";
        RaftPort = raftPort;
        GrpcPort = grpcPort;
        AdminPort = adminPort;
        DataDirectory = dataDirectory;
    }

    /// <summary>The node's index in the cluster, from 0; the default name is <c>node{Index}</c>.</summary>
    public int Index { get; }

    public string Name { get; set; }

    public int RaftPort { get; }

    public int GrpcPort { get; }

    public int AdminPort { get; }

    public string DataDirectory { get; }

    /// <summary>The member identity: <c>127.0.0.1:{RaftPort}</c>.</summary>
    public string RaftEndpoint => $"127.0.0.1:{RaftPort}";

    public Uri GrpcEndpoint => new($"{GrpcScheme}://127.0.0.1:{GrpcPort}");

    /// <summary>http, or https for a node with ControlPlane:Security:Tls settings.</summary>
    public string GrpcScheme { get; set; } = Uri.UriSchemeHttp;

    public Uri AdminEndpoint => new($"http://127.0.0.1:{AdminPort}");

    public int LowerElectionTimeoutMs { get; set; } = 500;

    public int UpperElectionTimeoutMs { get; set; } = 1000;

    /// <summary>ControlPlane:Storage:SnapshotThresholdBytes; the node's default when null.</summary>
    public long? SnapshotThresholdBytes { get; set; }

    /// <summary>ControlPlane:Storage:MaxObjectBytes; the node's default when null.</summary>
    public int? MaxObjectBytes { get; set; }

    /// <summary>Further configuration passed on the command line as <c>--Key=Value</c>, e.g. <c>["ControlPlane:Raft:X"] = "1"</c>.</summary>
    public IDictionary<string, string> Settings { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Environment variables for the node process, on top of the test process's own.</summary>
    public IDictionary<string, string> Environment { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
