using System.Globalization;
using System.Text;
using System.Text.Json;
using Grpc.Net.Client;
using Xunit.Abstractions;

namespace ControlPlane.ChaosTests.Infrastructure;

/// <summary>
/// A ControlPlane cluster of <see cref="NodeCount"/> nodes (node1..nodeN) from the node image
/// (<see cref="ChaosImages.NodeImage"/>), configured entirely through environment variables: pinned IPs, Raft on
/// 7000, gRPC on 8080 and admin HTTP on 8081 inside each container, the last two published on fixed 127.0.0.1 ports.
/// Data lives in /data inside each container, so it survives kill, stop and restart of that container.
/// Subclass it to change the node count, election timeouts or any other setting (<see cref="ConfigureNode"/>).
/// </summary>
public class ContainerCluster(IMessageSink diagnostics) : ContainerGroup("cluster", diagnostics)
{
    public const int RaftPort = 7000;
    public const int GrpcPort = 8080;
    public const int AdminPort = 8081;
    public const string DataDirectory = "/data";

    /// <summary>
    /// Log settings set in the test process are passed to every node, so the chaos suite runs against that log engine
    /// (<c>ControlPlane__Raft__LogEngine</c>) or with that much of the applied log kept in memory
    /// (<c>ControlPlane__Raft__LogResidentBytes</c>, 0: every lagging member reads from disk).
    /// </summary>
    public static readonly string[] LogVariables = ["ControlPlane__Raft__LogEngine", "ControlPlane__Raft__LogResidentBytes"];

    private static readonly TimeSpan _statusTimeout = TimeSpan.FromSeconds(3);

    private List<string>? _voters;

    public virtual int NodeCount => 3;

    /// <summary>
    /// How many of the nodes (node1..nodeK) bootstrap the cluster; the rest start with no initial members and stand
    /// by until a scenario adds them (AdminService AddMember). Default: all of them.
    /// </summary>
    public virtual int InitialMemberCount => NodeCount;

    /// <summary>
    /// The nodes that are members of the Raft configuration, as the scenario last changed it (<see cref="SetVoters"/>):
    /// the ones leader waits, workloads and convergence checks look at. Starts as the initial members.
    /// </summary>
    public IReadOnlyList<string> Voters => _voters ??= [.. NodeNames.Take(InitialMemberCount)];

    /// <summary>Records a membership change made by a scenario.</summary>
    public void SetVoters(IEnumerable<string> voters)
    {
        var list = voters.ToList();
        var unknown = list.Where(v => !NodeNames.Contains(v)).ToList();
        if (unknown.Count > 0) throw new ArgumentException($"Not nodes of this cluster: {string.Join(", ", unknown)}.", nameof(voters));
        _voters = list;
    }

    /// <summary>Raft election timeouts; the contract's defaults, which stay stable on a loaded two-core machine.</summary>
    public virtual (int LowerMs, int UpperMs) ElectionTimeouts => (500, 1000);

    public IReadOnlyList<string> NodeNames => Members.Select(m => m.Name).ToList();

    /// <summary>The node's gRPC endpoint as the host reaches it (h2c on its published port).</summary>
    public Uri GrpcUri(string node) => this[node].HostUri(GrpcPort);

    /// <summary>A gRPC channel from the host to one node; the caller disposes it.</summary>
    public GrpcChannel CreateChannel(string node) => GrpcChannel.ForAddress(GrpcUri(node));

    /// <summary>The node that advertises <paramref name="grpcEndpoint"/> (as in leader hints), for mapping it to the host.</summary>
    public string NodeForGrpcEndpoint(string grpcEndpoint) =>
        Members.FirstOrDefault(m => GrpcEndpointOf(m.Ip) == grpcEndpoint.TrimEnd('/'))?.Name
        ?? throw new ArgumentException($"No node advertises gRPC endpoint '{grpcEndpoint}'.", nameof(grpcEndpoint));

    /// <summary>GET /status on the node's published admin port.</summary>
    public async Task<NodeStatus> GetStatusAsync(string node, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_statusTimeout);
        using var response = await Http.GetAsync(this[node].HostUri(AdminPort, "/status"), timeout.Token);
        var body = await response.Content.ReadAsStringAsync(timeout.Token);
        return response.IsSuccessStatusCode
            ? NodeStatus.Parse(body)
            : throw new HttpRequestException($"{node} /status answered {(int)response.StatusCode}: {body}");
    }

    /// <summary>
    /// Waits until one node of <paramref name="among"/> (default: the members the fixture believes are running) is
    /// Leader and every node of <paramref name="among"/> names it as leader. Returns the leader's node name.
    /// </summary>
    public Task<string> WaitForLeaderAsync(
        TimeSpan timeout, IReadOnlyCollection<string>? among = null, CancellationToken cancellationToken = default)
    {
        var nodes = among ?? RunningNodes();
        return Eventually.UntilAsync(
            $"one leader agreed on by {string.Join(", ", nodes)}",
            timeout,
            async ct =>
            {
                var (statuses, seen) = await PollAsync(nodes, ct);
                var leaders = statuses.Where(s => s.IsLeader).ToList();
                var agreed = statuses.Count == nodes.Count && leaders.Count == 1
                    && statuses.All(s => s.LeaderRaftEndpoint == leaders[0].RaftEndpoint);
                return agreed ? ProbeResult<string>.Pass(NameOf(leaders[0]), seen) : ProbeResult<string>.Fail(seen);
            },
            cancellationToken);
    }

    /// <summary>
    /// Waits until every node of <paramref name="among"/> reports the same applied index and state hash (P10), and
    /// returns that index.
    /// </summary>
    public Task<long> WaitForConvergenceAsync(
        TimeSpan timeout, IReadOnlyCollection<string>? among = null, CancellationToken cancellationToken = default)
    {
        var nodes = among ?? RunningNodes();
        return Eventually.UntilAsync(
            $"{string.Join(", ", nodes)} to report one applied index and state hash",
            timeout,
            async ct =>
            {
                var (statuses, seen) = await PollAsync(nodes, ct);
                var converged = statuses.Count == nodes.Count
                    && statuses.Select(s => (s.AppliedIndex, s.StateHash)).Distinct().Count() == 1;
                return converged ? ProbeResult<long>.Pass(statuses[0].AppliedIndex, seen) : ProbeResult<long>.Fail(seen);
            },
            cancellationToken);
    }

    protected override async Task<IReadOnlyList<ContainerSpec>> DescribeMembersAsync(ChaosNetwork network, CancellationToken cancellationToken)
    {
        if (NodeCount < 1 || InitialMemberCount < 1 || InitialMemberCount > NodeCount)
        {
            throw new InvalidOperationException($"NodeCount must be at least 1 and InitialMemberCount within 1..NodeCount, got {NodeCount} and {InitialMemberCount}.");
        }

        var image = ChaosImages.NodeImage;
        await ChaosImages.EnsureExistsAsync(Docker, image, cancellationToken);
        var ips = Enumerable.Range(1, NodeCount).Select(i => network.Address(10 + i)).ToList();
        var specs = new List<ContainerSpec>();
        for (var i = 1; i <= NodeCount; i++)
        {
            var ip = ips[i - 1];
            var environment = new Dictionary<string, string>
            {
                ["ControlPlane__Node__Name"] = $"node{i}",
                ["ControlPlane__Node__RaftEndpoint"] = $"{ip}:{RaftPort}",
                ["ControlPlane__Node__GrpcEndpoint"] = GrpcEndpointOf(ip),
                ["ControlPlane__Node__AdminEndpoint"] = $"http://{ip}:{AdminPort}",
                ["ControlPlane__Node__GrpcListenUrl"] = $"http://0.0.0.0:{GrpcPort}",
                ["ControlPlane__Node__AdminListenUrl"] = $"http://0.0.0.0:{AdminPort}",
                ["ControlPlane__Node__DataDirectory"] = DataDirectory,
                ["ControlPlane__Node__Insecure"] = "true",
                // A private Docker network: insecure mode may bind beyond loopback there.
                ["ControlPlane__Node__AllowInsecureRemote"] = "true",
                ["ControlPlane__Raft__LowerElectionTimeoutMs"] = ElectionTimeouts.LowerMs.ToString(CultureInfo.InvariantCulture),
                ["ControlPlane__Raft__UpperElectionTimeoutMs"] = ElectionTimeouts.UpperMs.ToString(CultureInfo.InvariantCulture),
            };
            // The log settings under test (ControlPlane__Raft__LogEngine=DotNext dotnet test, for example).
            foreach (var variable in LogVariables)
            {
                if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value) environment[variable] = value;
            }

            // A node outside the initial members starts with none: it stands by until it is added.
            for (var k = 0; i <= InitialMemberCount && k < InitialMemberCount; k++)
            {
                environment[$"ControlPlane__Cluster__InitialMembers__{k}__Name"] = $"node{k + 1}";
                environment[$"ControlPlane__Cluster__InitialMembers__{k}__RaftEndpoint"] = $"{ips[k]}:{RaftPort}";
                environment[$"ControlPlane__Cluster__InitialMembers__{k}__GrpcEndpoint"] = GrpcEndpointOf(ips[k]);
            }

            ConfigureNode(i, environment);
            specs.Add(new ContainerSpec
            {
                Name = $"node{i}",
                Image = image,
                Ip = ip,
                Environment = environment,
                PublishedPorts = [GrpcPort, AdminPort],
                Readiness = (AdminPort, "/healthz"),
                DataPath = DataDirectory,
            });
        }

        return specs;
    }

    /// <summary>Adds or changes environment variables (configuration keys) of node <paramref name="ordinal"/> (1-based).</summary>
    protected virtual void ConfigureNode(int ordinal, IDictionary<string, string> environment)
    {
    }

    /// <summary>Adds every reachable node's /status to the failure artifacts.</summary>
    protected override async Task CollectArtifactsAsync(string folder, StringBuilder problems, CancellationToken cancellationToken)
    {
        await base.CollectArtifactsAsync(folder, problems, cancellationToken);
        var statuses = new StringBuilder();
        foreach (var node in NodeNames)
        {
            try
            {
                statuses.AppendLine(JsonSerializer.Serialize(await GetStatusAsync(node, cancellationToken)));
            }
            catch (Exception e)
            {
                statuses.AppendLine($"{node}: {e.Message}");
            }
        }

        await File.WriteAllTextAsync(Path.Combine(folder, "status.txt"), statuses.ToString(), cancellationToken);
    }

    private static string GrpcEndpointOf(string ip) => $"http://{ip}:{GrpcPort}";

    private List<string> RunningNodes() => Members.Where(m => m.State == MemberState.Running).Select(m => m.Name).ToList();

    private string NameOf(NodeStatus status) =>
        Members.FirstOrDefault(m => $"{m.Ip}:{RaftPort}" == status.RaftEndpoint)?.Name ?? status.Name;

    private async Task<(List<NodeStatus> Statuses, string Seen)> PollAsync(IReadOnlyCollection<string> nodes, CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(nodes.Select(async node =>
        {
            try
            {
                var status = await GetStatusAsync(node, cancellationToken);
                return (Status: (NodeStatus?)status, Seen: status.ToString());
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or FormatException or JsonException)
            {
                return (Status: null, Seen: $"{node}: {e.GetType().Name} {e.Message}");
            }
        }));
        return (results.Where(r => r.Status is not null).Select(r => r.Status!).ToList(), string.Join("; ", results.Select(r => r.Seen)));
    }
}
