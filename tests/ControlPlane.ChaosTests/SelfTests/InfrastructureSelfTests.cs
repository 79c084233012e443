using System.Diagnostics;
using ControlPlane.ChaosTests.Infrastructure;
using Docker.DotNet.Models;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace ControlPlane.ChaosTests.SelfTests;

/// <summary>
/// INFRASTRUCTURE SELF-TEST of the chaos tier: no ControlPlane node involved. It proves the plumbing every chaos
/// scenario relies on (network with pinned IPs, fixed published ports, iptables isolation and loss, pause, kill,
/// graceful stop, restart, logs and failure artifacts) on probes from the base image, and fails if any of it breaks.
/// Needs Docker and the base image: scripts/chaos-setup.sh (CHAOS_SKIP_NODE=1 is enough).
/// </summary>
[Trait("Category", "Chaos")]
public sealed class InfrastructureSelfTests(ProbeGroup group, ITestOutputHelper output) : IClassFixture<ProbeGroup>
{
    private static readonly TimeSpan _hostTimeout = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Members_HavePinnedIpsAndLoopbackPorts_AndReachEachOtherAndTheHost()
    {
        foreach (var member in group.Members)
        {
            var inspected = await group.InspectAsync(member.Name);
            Assert.Equal(member.Ip, inspected.NetworkSettings!.Networks![group.Network.Name].IPAddress);
            var binding = Assert.Single(inspected.HostConfig!.PortBindings![$"{ProbeGroup.Port}/tcp"]);
            Assert.Equal(("127.0.0.1", member.HostPort(ProbeGroup.Port).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                (binding.HostIP, binding.HostPort));
            Assert.True(inspected.HostConfig.Init, $"{member.Name} must run under docker-init");
            Assert.Contains("NET_ADMIN", inspected.HostConfig.CapAdd);
            await AssertHostReachesAsync(member.Name);
        }

        await AssertReachAsync("probe1", "probe2", expected: true);
        await AssertReachAsync("probe2", "probe3", expected: true);
        await AssertReachAsync("probe3", "probe1", expected: true);
    }

    [Fact]
    public async Task Isolate_CutsPeersBothWays_KeepsTheHost_HealRestores()
    {
        await group.IsolateAsync("probe2");
        try
        {
            await AssertReachAsync("probe1", "probe2", expected: false);
            await AssertReachAsync("probe2", "probe3", expected: false);
            await AssertReachAsync("probe1", "probe3", expected: true);
            await AssertHostReachesAsync("probe2");
        }
        finally
        {
            await group.HealAsync("probe2");
        }

        await AssertReachAsync("probe1", "probe2", expected: true);
        await AssertReachAsync("probe2", "probe3", expected: true);
    }

    [Fact]
    public async Task PacketLoss_DropsPeerTrafficWithTheStatisticModule_HealRestores()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => group.SetPacketLossAsync("probe3", 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => group.SetPacketLossAsync("probe3", 1.5));

        await group.SetPacketLossAsync("probe3", 1.0);
        try
        {
            var rules = await group.ExecAsync("probe3", "iptables -S CHAOS-IN");
            Assert.Contains("--mode random --probability 1", rules.Stdout);
            await AssertReachAsync("probe1", "probe3", expected: false);
            await AssertHostReachesAsync("probe3");
        }
        finally
        {
            await group.HealAsync("probe3");
        }

        await AssertReachAsync("probe1", "probe3", expected: true);
    }

    [Fact]
    public async Task Pause_FreezesTheMember_UnpauseResumesIt()
    {
        await group.PauseAsync("probe3");
        try
        {
            Assert.True((await group.StateAsync("probe3")).Paused, "Docker should report probe3 paused");
            var (ok, seen) = await group.GetFromHostAsync("probe3", _hostTimeout);
            Assert.False(ok, $"a paused member must not answer; got {seen}");
            await Assert.ThrowsAsync<InvalidOperationException>(() => group.HealAllAsync());
        }
        finally
        {
            await group.UnpauseAsync("probe3");
        }

        await AssertHostReachesAsync("probe3");
        await AssertReachAsync("probe1", "probe3", expected: true);
    }

    [Fact]
    public async Task Kill_ExitsWithSigkill_StartKeepsIpAndPortAndDropsNetworkFaults()
    {
        var port = group["probe3"].HostPort(ProbeGroup.Port);
        await group.IsolateAsync("probe3");
        await group.KillAsync("probe3");

        var killed = (await group.StateAsync("probe3"));
        Assert.Equal((false, 137L), (killed.Running, killed.ExitCode));
        var (ok, seen) = await group.GetFromHostAsync("probe3", _hostTimeout);
        Assert.False(ok, $"a killed member must not answer; got {seen}");

        await group.StartAsync("probe3");
        var restarted = await group.InspectAsync("probe3");
        Assert.Equal(group["probe3"].Ip, restarted.NetworkSettings!.Networks![group.Network.Name].IPAddress);
        Assert.Equal(port, group["probe3"].HostPort(ProbeGroup.Port));
        await AssertHostReachesAsync("probe3");
        // A new network namespace: the isolation rules died with the old one.
        await AssertReachAsync("probe1", "probe3", expected: true);
        // The same container was started again (its log spans both lives), not a new one created.
        var (stdout, _) = await group["probe3"].Container.GetLogsAsync(timestampsEnabled: false);
        Assert.True(CountOf(stdout, "probe probe3 listening") >= 2, $"expected two starts in the log of probe3, got:\n{stdout}");
    }

    [Fact]
    public async Task Stop_IsGracefulUnderDockerInit_StartBringsTheMemberBack()
    {
        var clock = Stopwatch.StartNew();
        await group.StopAsync("probe2");
        clock.Stop();

        var stopped = (await group.StateAsync("probe2"));
        // SIGTERM reached httpd through docker-init (exit 143); without Init, PID 1 ignores it and Docker kills after 10 s (137).
        Assert.Equal((false, 143L), (stopped.Running, stopped.ExitCode));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"graceful stop took {clock.Elapsed.TotalSeconds:0.0} s");

        await group.StartAsync("probe2");
        await AssertHostReachesAsync("probe2");
        await AssertReachAsync("probe2", "probe1", expected: true);
    }

    [Fact]
    public async Task RestartAll_KillsAndStartsEveryMember()
    {
        var starts = await Task.WhenAll(ProbeGroup.Names.Select(async n => (await group.StateAsync(n)).StartedAt));

        await group.RestartAllAsync(kill: true);

        foreach (var (name, before) in ProbeGroup.Names.Zip(starts))
        {
            var after = (await group.StateAsync(name));
            Assert.True(after.Running && after.StartedAt != before, $"{name} should run again with a new start time (was {before}, now {after.StartedAt})");
            await AssertHostReachesAsync(name);
        }

        await AssertReachAsync("probe1", "probe2", expected: true);
        Assert.Contains(group.Timeline.Since(0), e => e.Contains("kill and restart all", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FailedScenario_KeepsHistoryLogsAndSeed()
    {
        var failure = await Assert.ThrowsAsync<ChaosScenarioFailedException>(() => ChaosRun.ExecuteAsync(
            group,
            output,
            async run =>
            {
                run.Attach("operations.txt", "put a=1 ok");
                await group.IsolateAsync("probe1");
                await group.HealAsync("probe1");
                run.Record("about to fail");
                throw new InvalidOperationException("deliberate failure");
            },
            seed: 4242));

        var folder = failure.ResultsFolder ?? throw new XunitException("the failure names no results folder");
        try
        {
            Assert.Contains(folder, failure.Message);
            Assert.Contains("seed 4242", failure.Message);
            Assert.StartsWith(nameof(FailedScenario_KeepsHistoryLogsAndSeed), Path.GetFileName(folder));
            var history = await File.ReadAllTextAsync(Path.Combine(folder, "history.log"));
            Assert.Contains("begin, seed 4242", history);
            Assert.Contains("isolate probe1", history);
            Assert.Contains("about to fail", history);
            Assert.StartsWith("4242", await File.ReadAllTextAsync(Path.Combine(folder, "seed.txt")));
            Assert.Contains("deliberate failure", await File.ReadAllTextAsync(Path.Combine(folder, "error.txt")));
            Assert.Equal("put a=1 ok", await File.ReadAllTextAsync(Path.Combine(folder, "operations.txt")));
            Assert.Contains("probe2 ip ", await File.ReadAllTextAsync(Path.Combine(folder, "members.txt")));
            foreach (var name in ProbeGroup.Names)
            {
                Assert.Contains($"probe {name} listening", await File.ReadAllTextAsync(Path.Combine(folder, "logs", $"{name}.log")));
                var data = await File.ReadAllTextAsync(Path.Combine(folder, "data", $"{name}.tar"));
                Assert.Contains("index.html", data);
                Assert.Contains($"{name}\n", data);
            }

            Assert.False(File.Exists(Path.Combine(folder, "collection-problems.txt")), "every artifact should have been collected");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Resources_CarryTheCleanupLabels()
    {
        var byRun = new Dictionary<string, IDictionary<string, bool>>
        {
            ["label"] = new Dictionary<string, bool> { [$"{ChaosLabels.Run}={group.RunId}"] = true, [$"{ChaosLabels.Owned}=true"] = true },
        };
        var containers = await group.Docker.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = byRun });
        Assert.Equal(group.Members.Select(m => m.Container.Id).Order(), containers.Select(c => c.ID).Order());

        var networks = await group.Docker.Networks.ListNetworksAsync(new NetworksListParameters { Filters = byRun });
        var network = Assert.Single(networks);
        Assert.Equal((group.Network.Id, group.Network.Subnet), (network.ID, network.IPAM!.Config!.Single().Subnet));
    }

    [Fact]
    public async Task UnknownMembers_AndInvalidGroups_AreRefusedWithClearErrors()
    {
        var unknown = Assert.Throws<ArgumentException>(() => group["probe9"]);
        Assert.Contains("probe1, probe2, probe3", unknown.Message);

        var invalid = new InvalidProbeGroup(new NullMessageSink());
        try
        {
            var error = await Assert.ThrowsAsync<ArgumentException>(invalid.InitializeAsync);
            Assert.Contains("duplicate IP", error.Message);
            Assert.Contains("192.0.2.7 is not a host address", error.Message);
            Assert.Contains("readiness port 9001 is not published", error.Message);
        }
        finally
        {
            await invalid.DisposeAsync();
        }
    }

    private async Task AssertReachAsync(string from, string to, bool expected)
    {
        var (reached, seen) = await group.ReachAsync(from, to);
        Assert.True(reached == expected, $"expected {from} {(expected ? "to reach" : "not to reach")} {to}; saw {seen}");
    }

    private async Task AssertHostReachesAsync(string name)
    {
        var (ok, seen) = await group.GetFromHostAsync(name, _hostTimeout);
        Assert.True(ok && seen.EndsWith(name, StringComparison.Ordinal), $"expected the host to GET '{name}' from its published port; saw {seen}");
    }

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
