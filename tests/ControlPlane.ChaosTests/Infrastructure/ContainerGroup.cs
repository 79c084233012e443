using System.Diagnostics;
using System.Text.RegularExpressions;
using Docker.DotNet;
using Docker.DotNet.Models;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace ControlPlane.ChaosTests.Infrastructure;

/// <summary>
/// A set of containers on one labelled bridge network with pinned IPs and fixed 127.0.0.1 host ports, plus the fault
/// operations of the chaos tier (ContainerGroup.Faults.cs) and failure artifacts (ContainerGroup.Artifacts.cs).
/// Subclasses say what runs (<see cref="DescribeMembersAsync"/>): <see cref="ContainerCluster"/> runs ControlPlane
/// nodes, the infrastructure self-test runs probes from the base image through exactly this plumbing.
/// An xunit fixture: one group per test class, created before its first test and removed after its last.
/// </summary>
public abstract partial class ContainerGroup : IAsyncLifetime
{
    private static readonly Regex _memberName = new("^[a-z][a-z0-9-]{0,30}$", RegexOptions.CultureInvariant);
    private readonly List<ContainerMember> _members = [];
    private readonly string _kind;
    private readonly IMessageSink _diagnostics;
    private IDockerClient? _docker;
    private ChaosNetwork? _network;

    protected ContainerGroup(string kind, IMessageSink diagnostics)
    {
        if (!_memberName.IsMatch(kind))
        {
            throw new ArgumentException($"Group kind '{kind}' must match {_memberName}.", nameof(kind));
        }

        _kind = kind;
        _diagnostics = diagnostics;
        RunId = Guid.NewGuid().ToString("N")[..8];
    }

    /// <summary>Random id of this group instance, in every container and network name and in the run label.</summary>
    public string RunId { get; }

    public FaultTimeline Timeline { get; } = new();

    public IReadOnlyList<ContainerMember> Members => _members;

    public ChaosNetwork Network => _network ?? throw NotInitialized();

    /// <summary>How long a member may take from container start to its readiness answer (the machine is shared).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The Docker API client built from Testcontainers' settings, for operations Testcontainers lacks.</summary>
    public IDockerClient Docker => _docker ?? throw NotInitialized();

    protected static HttpClient Http { get; } = new() { Timeout = Timeout.InfiniteTimeSpan };

    public ContainerMember this[string name] =>
        _members.Find(m => m.Name == name) ?? throw new ArgumentException(
            $"No member named '{name}'; members: {string.Join(", ", _members.Select(m => m.Name))}.", nameof(name));

    /// <summary>The members to run, with pinned addresses from <paramref name="network"/>.</summary>
    protected abstract Task<IReadOnlyList<ContainerSpec>> DescribeMembersAsync(ChaosNetwork network, CancellationToken cancellationToken);

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout * 2);
        var cancellationToken = timeout.Token;
        var clock = Stopwatch.StartNew();
        _docker = TestcontainersSettings.OS.DockerEndpointAuthConfig.GetDockerClientBuilder(Guid.NewGuid()).Build();
        _network = await ChaosNetwork.CreateAsync(_docker, $"chaos-{RunId}-{_kind}", Labels(), cancellationToken);
        var specs = await DescribeMembersAsync(_network, cancellationToken);
        Validate(specs, _network);
        foreach (var spec in specs)
        {
            _members.Add(Build(spec, _network));
        }

        var mark = Timeline.Count;
        try
        {
            await ApplyAsync(
                $"start {_members.Count} members on {_network.Subnet}",
                () => Task.WhenAll(_members.Select(m => StartMemberAsync(m, cancellationToken))));
        }
        catch (Exception e)
        {
            var folder = await SaveFailureArtifactsAsync($"{_kind}-startup", mark, e, seed: null, attachments: null);
            throw new InvalidOperationException(
                $"The {_kind} group did not start: {e.Message} Logs and timeline kept in {folder}", e);
        }

        Diagnostic($"{_kind} group {RunId}: {_members.Count} members on {_network.Subnet} ready in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    public async Task DisposeAsync()
    {
        // Containers first (a network with endpoints cannot be removed). Without WithCleanUp, dispose removes them.
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(_members.Select(m => m.Container.DisposeAsync().AsTask()));

        if (_network is not null && _docker is not null)
        {
            await _network.DeleteAsync(_docker, CancellationToken.None);
        }

        _docker?.Dispose();
        Diagnostic($"{_kind} group {RunId}: removed in {clock.Elapsed.TotalSeconds:0.0} s");
        GC.SuppressFinalize(this);
    }

    protected void Diagnostic(string message) => _diagnostics.OnMessage(new DiagnosticMessage(message));

    private Dictionary<string, string> Labels() => new() { [ChaosLabels.Owned] = "true", [ChaosLabels.Run] = RunId };

    private static void Validate(IReadOnlyList<ContainerSpec> specs, ChaosNetwork network)
    {
        var problems = new List<string>();
        if (specs.Count == 0)
        {
            problems.Add("no members");
        }

        foreach (var spec in specs)
        {
            if (!_memberName.IsMatch(spec.Name))
            {
                problems.Add($"member name '{spec.Name}' must match {_memberName}");
            }

            if (!spec.Ip.StartsWith($"{network.Subnet[..^4]}", StringComparison.Ordinal) || spec.Ip == network.Gateway)
            {
                problems.Add($"{spec.Name}: IP {spec.Ip} is not a host address of {network.Subnet}");
            }

            if (!spec.PublishedPorts.Contains(spec.Readiness.Port))
            {
                problems.Add($"{spec.Name}: readiness port {spec.Readiness.Port} is not published");
            }
        }

        problems.AddRange(specs.GroupBy(s => s.Name).Where(g => g.Count() > 1).Select(g => $"duplicate member name '{g.Key}'"));
        problems.AddRange(specs.GroupBy(s => s.Ip).Where(g => g.Count() > 1).Select(g => $"duplicate IP {g.Key}"));
        if (problems.Count > 0)
        {
            throw new ArgumentException($"Invalid container group: {string.Join("; ", problems)}.");
        }
    }

    private ContainerMember Build(ContainerSpec spec, ChaosNetwork network)
    {
        var hostPorts = spec.PublishedPorts.ToDictionary(p => p, _ => HostPorts.Allocate());
        var builder = new ContainerBuilder(spec.Image)
            .WithName($"chaos-{RunId}-{spec.Name}")
            .WithLabel(Labels())
            .WithNetwork(network.Name)
            .WithNetworkAliases(spec.Name)
            .WithEnvironment(spec.Environment);
        foreach (var (containerPort, hostPort) in hostPorts)
        {
            builder = builder.WithPortBinding(hostPort, containerPort);
        }

        if (spec.Command.Count > 0)
        {
            builder = builder.WithCommand([.. spec.Command]);
        }

        builder = builder.WithCreateParameterModifier(parameters =>
        {
            parameters.HostConfig ??= new HostConfig();
            // docker-init as PID 1 forwards SIGTERM at once; .NET as PID 1 ignores it until its handler is installed.
            parameters.HostConfig.Init = true;
            parameters.HostConfig.CapAdd = ["NET_ADMIN"]; // iptables inside the container's network namespace
            parameters.HostConfig.Memory = spec.MemoryBytes;
            foreach (var binding in parameters.HostConfig.PortBindings?.Values.SelectMany(b => b) ?? [])
            {
                binding.HostIP = "127.0.0.1";
            }

            if (parameters.NetworkingConfig?.EndpointsConfig?.TryGetValue(network.Name, out var endpoint) != true || endpoint is null)
            {
                throw new InvalidOperationException($"Testcontainers did not attach {spec.Name} to network {network.Name}.");
            }

            endpoint.IPAMConfig = new EndpointIPAMConfig { IPv4Address = spec.Ip };
        });
        return new ContainerMember(spec, builder.Build(), hostPorts);
    }

    private async Task StartMemberAsync(ContainerMember member, CancellationToken cancellationToken)
    {
        await member.Container.StartAsync(cancellationToken);
        member.State = MemberState.Running;
        await WaitReadyAsync(member, cancellationToken);
    }

    private async Task WaitReadyAsync(ContainerMember member, CancellationToken cancellationToken)
    {
        var uri = member.HostUri(member.Spec.Readiness.Port, member.Spec.Readiness.Path);
        await Eventually.UntilAsync<bool>(
            $"{member.Name} to answer 200 on {uri}",
            StartTimeout,
            async ct =>
            {
                var state = await StateAsync(member.Name, ct);
                if (!state.Running)
                {
                    var tail = await LogTailAsync(member, 30, ct);
                    throw new InvalidOperationException(
                        $"{member.Name} exited with code {state.ExitCode} before it was ready. Last log lines:\n{tail}");
                }

                var (ok, seen) = await TryGetAsync(uri, TimeSpan.FromSeconds(2), ct);
                return ok ? ProbeResult<bool>.Pass(true, seen) : ProbeResult<bool>.Fail(seen);
            },
            cancellationToken);
    }

    /// <summary>GET with a timeout; never throws for network errors, returns whether it was a 200 and what was seen.</summary>
    protected static async Task<(bool Ok, string Seen)> TryGetAsync(Uri uri, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            using var response = await Http.GetAsync(uri, cts.Token);
            var body = await response.Content.ReadAsStringAsync(cts.Token);
            return (response.IsSuccessStatusCode, $"{(int)response.StatusCode} {body.Trim()}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, $"no answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            return (false, e.Message);
        }
    }

    private static InvalidOperationException NotInitialized() =>
        new("The container group is not initialized: use it as an xunit fixture (InitializeAsync).");
}
