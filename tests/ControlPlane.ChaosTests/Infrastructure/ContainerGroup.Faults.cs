using System.Diagnostics;
using System.Globalization;
using Docker.DotNet.Models;
using DotNet.Testcontainers.Containers;

namespace ControlPlane.ChaosTests.Infrastructure;

// Fault operations. Each one is recorded in the timeline with its duration.
// Network faults are iptables rules in two chains of the member's own network namespace (CHAOS-IN and CHAOS-OUT,
// jumped to first from INPUT and OUTPUT); they only match the other members' IPs, so the host keeps reaching every
// member through its published ports. A restarted container gets a new namespace: its rules are gone.
public abstract partial class ContainerGroup
{
    private const string EnsureChains =
        "iptables -N CHAOS-IN 2>/dev/null || true; iptables -N CHAOS-OUT 2>/dev/null || true; " +
        "iptables -C INPUT -j CHAOS-IN 2>/dev/null || iptables -I INPUT 1 -j CHAOS-IN; " +
        "iptables -C OUTPUT -j CHAOS-OUT 2>/dev/null || iptables -I OUTPUT 1 -j CHAOS-OUT";

    /// <summary>SIGKILL through the Docker API (Testcontainers has no kill); returns once Docker reports it exited.</summary>
    public Task KillAsync(string name, CancellationToken cancellationToken = default) =>
        ApplyAsync($"kill {name}", async () =>
        {
            var member = this[name];
            await Docker.Containers.KillContainerAsync(
                member.Container.Id, new ContainerKillParameters { Signal = "SIGKILL" }, cancellationToken);
            await WaitExitedAsync(member, cancellationToken);
            member.State = MemberState.Killed;
        });

    /// <summary>Graceful stop: SIGTERM (forwarded by docker-init), then SIGKILL after Docker's grace period.</summary>
    public Task StopAsync(string name, CancellationToken cancellationToken = default) =>
        TransitionAsync("stop", name, (c, ct) => c.StopAsync(ct), MemberState.Stopped, cancellationToken);

    /// <summary>Starts a stopped or killed member (same IP, same host ports, same data) and waits until it is ready.</summary>
    public Task StartAsync(string name, CancellationToken cancellationToken = default) =>
        ApplyAsync($"start {name}", () => StartMemberAsync(this[name], cancellationToken));

    /// <summary>
    /// Freezes every process of the member (cgroup freezer): like SIGSTOP, peers see timeouts, not errors. A freeze the
    /// host's freezer could not complete is asked for again (<see cref="PauseRetry"/>); each failed attempt is in the timeline.
    /// </summary>
    public Task PauseAsync(string name, CancellationToken cancellationToken = default) =>
        TransitionAsync(
            "pause", name, (c, ct) => PauseRetry.RunAsync(c.PauseAsync, note => Timeline.Add($"{name}: {note}"), ct), MemberState.Paused, cancellationToken);

    public Task UnpauseAsync(string name, CancellationToken cancellationToken = default) =>
        TransitionAsync("unpause", name, (c, ct) => c.UnpauseAsync(ct), MemberState.Running, cancellationToken);

    /// <summary>Drops every packet between <paramref name="name"/> and the other members, both ways.</summary>
    public Task IsolateAsync(string name, CancellationToken cancellationToken = default) =>
        ApplyAsync($"isolate {name}", () => RunScriptAsync(
            name,
            string.Join("; ", Peers(name).Select(ip => $"iptables -A CHAOS-IN -s {ip} -j DROP; iptables -A CHAOS-OUT -d {ip} -j DROP")),
            cancellationToken));

    /// <summary>
    /// Drops each packet between <paramref name="name"/> and the other members, either way, with probability
    /// <paramref name="probability"/> (iptables statistic module; this kernel has no netem).
    /// </summary>
    public Task SetPacketLossAsync(string name, double probability, CancellationToken cancellationToken = default)
    {
        if (!(probability > 0 && probability <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "Packet loss must be in (0, 1].");
        }

        var p = probability.ToString("0.####", CultureInfo.InvariantCulture);
        var match = $"-m statistic --mode random --probability {p} -j DROP";
        return ApplyAsync($"packet loss {p} on {name}", () => RunScriptAsync(
            name,
            string.Join("; ", Peers(name).Select(ip => $"iptables -A CHAOS-IN -s {ip} {match}; iptables -A CHAOS-OUT -d {ip} {match}")),
            cancellationToken));
    }

    /// <summary>Removes every network fault (isolation, packet loss) of a running member.</summary>
    public Task HealAsync(string name, CancellationToken cancellationToken = default) =>
        ApplyAsync($"heal {name}", () => RunScriptAsync(name, "iptables -F CHAOS-IN; iptables -F CHAOS-OUT", cancellationToken));

    /// <summary>
    /// Heals every running member. Stopped and killed members have no rules left (their namespace is gone); a paused
    /// member cannot run iptables, so it is an error: unpause it first.
    /// </summary>
    public async Task HealAllAsync(CancellationToken cancellationToken = default)
    {
        var paused = _members.Where(m => m.State == MemberState.Paused).Select(m => m.Name).ToList();
        if (paused.Count > 0)
        {
            throw new InvalidOperationException($"Cannot heal paused members ({string.Join(", ", paused)}): unpause them first.");
        }

        await Task.WhenAll(_members.Where(m => m.State == MemberState.Running).Select(m => HealAsync(m.Name, cancellationToken)));
    }

    /// <summary>Stops (or kills) every member at once, then starts them all and waits until each is ready.</summary>
    public Task RestartAllAsync(bool kill = false, CancellationToken cancellationToken = default) =>
        ApplyAsync(kill ? "kill and restart all" : "stop and restart all", async () =>
        {
            await Task.WhenAll(_members.Where(m => m.State == MemberState.Paused).Select(m => UnpauseAsync(m.Name, cancellationToken)));
            var running = _members.Where(m => m.State is MemberState.Running).ToList();
            await Task.WhenAll(running.Select(m => kill ? KillAsync(m.Name, cancellationToken) : StopAsync(m.Name, cancellationToken)));
            await Task.WhenAll(_members.Select(m => StartMemberAsync(m, cancellationToken)));
        });

    /// <summary>Runs <paramref name="script"/> with /bin/sh inside a member; returns whatever it exits with.</summary>
    public Task<ExecResult> ExecAsync(string name, string script, CancellationToken cancellationToken = default) =>
        this[name].Container.ExecAsync(["/bin/sh", "-c", script], cancellationToken);

    /// <summary>Docker's view of the member (state, exit code, addresses), read fresh: Testcontainers caches its state.</summary>
    public Task<ContainerInspectResponse> InspectAsync(string name, CancellationToken cancellationToken = default) =>
        Docker.Containers.InspectContainerAsync(this[name].Container.Id, cancellationToken);

    /// <summary>The State part of <see cref="InspectAsync"/>: running, paused, exit code, start time.</summary>
    public async Task<State> StateAsync(string name, CancellationToken cancellationToken = default) =>
        (await InspectAsync(name, cancellationToken)).State
        ?? throw new InvalidOperationException($"Docker returned no state for {name}.");

    private IEnumerable<string> Peers(string name)
    {
        var self = this[name];
        return _members.Where(m => m != self).Select(m => m.Ip);
    }

    private async Task RunScriptAsync(string name, string script, CancellationToken cancellationToken)
    {
        var member = this[name];
        if (member.State != MemberState.Running)
        {
            throw new InvalidOperationException($"{name} is {member.State}: network faults need a running member.");
        }

        var result = await ExecAsync(name, $"set -e; {EnsureChains}; {script}", cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"Script in {name} exited with {result.ExitCode}: {result.Stderr.Trim()} (script: {script})");
        }
    }

    private Task WaitExitedAsync(ContainerMember member, CancellationToken cancellationToken) =>
        Eventually.UntilAsync<bool>(
            $"{member.Name} to exit",
            TimeSpan.FromSeconds(15),
            async ct =>
            {
                var state = await StateAsync(member.Name, ct);
                return state.Running ? ProbeResult<bool>.Fail($"status {state.Status}") : ProbeResult<bool>.Pass(true, state.Status);
            },
            cancellationToken);

    private Task TransitionAsync(
        string verb, string name, Func<IContainer, CancellationToken, Task> operation, MemberState after, CancellationToken cancellationToken) =>
        ApplyAsync($"{verb} {name}", async () =>
        {
            var member = this[name];
            await operation(member.Container, cancellationToken);
            member.State = after;
        });

    private async Task ApplyAsync(string description, Func<Task> fault)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            await fault();
            Timeline.Add($"{description} ({clock.ElapsedMilliseconds} ms)");
        }
        catch (Exception e)
        {
            Timeline.Add($"{description} FAILED after {clock.ElapsedMilliseconds} ms: {e.Message}");
            throw;
        }
    }
}
