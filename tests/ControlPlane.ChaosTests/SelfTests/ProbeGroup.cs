using ControlPlane.ChaosTests.Infrastructure;
using Xunit.Abstractions;

namespace ControlPlane.ChaosTests.SelfTests;

/// <summary>
/// Three probes from the chaos base image, run through the same plumbing as <see cref="ContainerCluster"/>: each
/// serves its own name over HTTP on port 9000 (busybox httpd), so reachability between pinned IPs and from the host
/// can be measured without a ControlPlane node.
/// </summary>
public sealed class ProbeGroup(IMessageSink diagnostics) : ContainerGroup("selftest", diagnostics)
{
    public const int Port = 9000;

    public static IReadOnlyList<string> Names { get; } = ["probe1", "probe2", "probe3"];

    protected override async Task<IReadOnlyList<ContainerSpec>> DescribeMembersAsync(ChaosNetwork network, CancellationToken cancellationToken)
    {
        var image = await ChaosImages.ResolveBaseImageAsync(Docker, cancellationToken);
        return Names.Select((name, i) => new ContainerSpec
        {
            Name = name,
            Image = image,
            Ip = network.Address(11 + i),
            Environment = new Dictionary<string, string> { ["PROBE_NAME"] = name },
            Command =
            [
                "/bin/sh", "-c",
                "mkdir -p /tmp/www && echo \"$PROBE_NAME\" > /tmp/www/index.html && " +
                $"echo \"probe $PROBE_NAME listening\" && exec httpd -f -v -p {Port} -h /tmp/www",
            ],
            PublishedPorts = [Port],
            Readiness = (Port, "/"),
            DataPath = "/tmp/www",
            MemoryBytes = 64L << 20,
        }).ToList();
    }

    /// <summary>
    /// A TCP connect plus an HTTP GET from <paramref name="from"/> to <paramref name="to"/>'s pinned IP (busybox nc,
    /// 2 s connect timeout); reached when the peer answered with its own name.
    /// </summary>
    public async Task<(bool Reached, string Seen)> ReachAsync(string from, string to, CancellationToken cancellationToken = default)
    {
        var target = this[to];
        var result = await ExecAsync(from, $"printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 {target.Ip} {Port}", cancellationToken);
        var answeredName = result.Stdout.Split('\n').Select(l => l.Trim()).Contains(to);
        return (result.ExitCode == 0 && answeredName,
            $"{from} -> {to} ({target.Ip}): exit {result.ExitCode}, stdout '{Last(result.Stdout)}', stderr '{result.Stderr.Trim()}'");
    }

    /// <summary>GET of the member's published port from the host.</summary>
    public Task<(bool Ok, string Seen)> GetFromHostAsync(string name, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        TryGetAsync(this[name].HostUri(Port), timeout, cancellationToken);

    private static string Last(string text) => text.Trim().Split('\n').LastOrDefault()?.Trim() ?? "";
}
