using System.Diagnostics;
using System.Globalization;
using ControlPlane.Client;
using ControlPlane.IntegrationTests.Sdk;
using ControlPlane.Testing;
using Xunit.Abstractions;

namespace ControlPlane.IntegrationTests.Resolver;

/// <summary>
/// The controller runtime's failover contract on real node processes: with hundreds of Goals waiting for the resolver,
/// the leader dies (SIGKILL) or is paused (SIGSTOP) mid-work; the next leader's resolver finishes the work, and the
/// committed history of every Goal, recorded by a watch from resourceVersion 0, shows each decision written exactly
/// once (see <see cref="GoalHistory.Check"/>). A paused leader that wakes up deposed gets none of its writes in.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class ResolverFailoverTests(ITestOutputHelper output)
{
    private const int Goals = 200;
    private const int PlansPerGoal = 3;
    private static readonly TimeSpan _wait = TimeSpan.FromSeconds(90);

    /// <summary>
    /// The kill lands when this process next gets the CPU after it saw the resolver busy. On a loaded host that can be
    /// late enough for the old leader to resolve every Goal first (seen on one core: only 3 of 100 untouched Goals were
    /// left to the next leader), which proves nothing about the next leader. Such an attempt still has its whole history
    /// checked, and is then redone on a fresh cluster, at most this many times in all; the last attempt fails inside
    /// the scenario, so its cluster folder is kept.
    /// </summary>
    private const int KillAttempts = 3;

    [Fact]
    public async Task LeaderKilledMidResolution_NextLeaderFinishes_EveryDecisionWrittenExactlyOnce()
    {
        for (var attempt = 1; ; attempt++)
        {
            var story = "";
            var leftToNext = 0;
            await RunAsync($"resolver-kill-{attempt}", async (cluster, leader, busy, client, fleet, history, created) =>
            {
                // The second wave of changes goes in while the leader dies; the SDK retries each write with its request id.
                var writtenBeforeKill = history.StatusWrites;
                var changing = fleet.ChangeAsync(client, CancellationToken.None);
                await cluster.KillAsync(leader);
                var next = await cluster.WaitForLeaderAsync(_wait, excluding: [leader]);
                var newTermAbove = (await cluster.GetStatusAsync(next)).LastLogIndex;
                await changing;

                var settledAt = await WaitUntilSettledAsync(client, fleet);
                await history.WaitForPositionAsync(settledAt, _wait);

                // Goals the second wave never touched need one decision, so one status write, whichever leader made it.
                var untouched = Enumerable.Range(Goals / 2, Goals - Goals / 2).Select(g => (Name: GoalFleet.GoalName(g), Writes: history.StatusWritesOf(GoalFleet.GoalName(g)))).ToList();
                var rewritten = untouched.Where(g => g.Writes.Count != 1).Select(g => $"{g.Name}: {string.Join(" | ", g.Writes)}").ToList();

                // Proof the kill landed mid-work: some of them were first resolved by the next leader.
                leftToNext = untouched.Count(g => g.Writes is [var first, ..] && first.ResourceVersion > newTermAbove);
                story = string.Create(CultureInfo.InvariantCulture,
                    $"attempt {attempt}: {Goals} Goals and {Goals * PlansPerGoal} Plans created in {created.TotalSeconds:0.0} s; node{leader} was seen busy with {busy.QueueDepth} Goals queued, and killed with {writtenBeforeKill} status writes seen; node{next} leads (its term above index {newTermAbove}) and first resolved {leftToNext} of the {Goals - Goals / 2} untouched Goals; settled at {settledAt}");
                output.WriteLine(story);
                var violations = history.Check(fleet.Expected);
                Assert.True(violations.Count == 0, $"{violations.Count} violations of the exactly-once contract ({story}):\n{string.Join('\n', violations.Take(20))}");
                Assert.True(rewritten.Count == 0, $"{rewritten.Count} untouched Goals were not written exactly once ({story}):\n{string.Join('\n', rewritten.Take(20))}");
                Assert.True(writtenBeforeKill > 0, $"the killed leader wrote no status: the kill did not land mid-work ({story})");
                Assert.True(leftToNext > 0 || attempt < KillAttempts, $"in {KillAttempts} attempts the killed leader had always resolved every untouched Goal before it died, so nothing shows the next leader finishing its work ({story}); make the workload bigger than {Goals} Goals x {PlansPerGoal} Plans");
            });

            if (leftToNext > 0) return;
            output.WriteLine($"attempt {attempt} left no untouched Goal to the next leader; trying again on a fresh cluster");
        }
    }

    [Fact]
    public Task LeaderPausedMidResolution_WakesUpDeposed_NoneOfItsWritesLand() =>
        RunAsync("resolver-pause", async (cluster, leader, _, _, fleet, history, _) =>
        {
            // Frozen mid-work: its workers hold Goals they read but have not written, and its queue holds more.
            var unfinishedBefore = (await ResolverMetrics.ReadAsync(cluster, leader)).Unfinished;
            await cluster.PauseAsync(leader);
            var pausedAfter = history.StatusWrites;
            var next = await cluster.WaitForLeaderAsync(_wait, excluding: [leader]);

            // Calls start at the new leader, so the settle time measured here is the new leader's work, not the SDK's
            // failover away from the paused member (tested on its own in ControlPlaneClientTests).
            await using var survivor = SdkClients.Create(cluster, next);
            await fleet.ChangeAsync(survivor, CancellationToken.None);
            var settledAt = await WaitUntilSettledAsync(survivor, fleet);
            await history.WaitForPositionAsync(settledAt, _wait);
            var logBefore = File.ReadAllText(cluster.LogPath(leader)).Length;

            // It wakes up believing it leads, with a stale store and its reconciles picking up where they froze.
            await cluster.ResumeAsync(leader);
            string woke = "";
            await Eventually.WaitAsync(
                async () =>
                {
                    // Looked at again, not failed, while the resumed node works through its backlog too slowly to answer.
                    if (await cluster.TryGetStatusAsync(leader) is not { } status) return false;
                    woke = File.ReadAllText(cluster.LogPath(leader))[logBefore..];
                    return status.Role == "Follower" && status.AppliedIndex >= settledAt && woke.Contains("Leadership lost: all controllers stopped", StringComparison.Ordinal);
                },
                _wait,
                () => $"node{leader} to be a follower that applied {settledAt} and stopped its controllers; its log since waking:\n{woke}");

            // Nothing it wrote landed: a marker written now is the first commit after the settled list that the Goal watch
            // passes, and the watch saw no Goal change in between.
            var marker = await survivor.CreateAsync(fleet.StrayPlan("marker"));
            await history.WaitForPositionAsync(long.Parse(marker.ResourceVersion, CultureInfo.InvariantCulture), _wait);
            var after = history.CommitsAfter(settledAt);
            Assert.True(after.Count == 0, $"Goal commits after the cluster settled at {settledAt}, while node{leader} woke up deposed: {string.Join(", ", after.Take(20))}");
            var violations = history.Check(fleet.Expected);
            Assert.True(violations.Count == 0, $"{violations.Count} violations of the exactly-once contract:\n{string.Join('\n', violations.Take(20))}");

            // And it did try: reconciles it had in flight when frozen ended after it woke without completing (their
            // writes refused, or cancelled with leadership while waiting for one), where a leading resolver has none.
            var unfinished = (await ResolverMetrics.ReadAsync(cluster, leader)).Unfinished - unfinishedBefore;
            output.WriteLine($"{pausedAfter} status writes seen before node{leader} was paused; node{next} took over and settled at {settledAt}; {unfinished} reconciles of node{leader} ended unfinished after it woke; its log since waking:\n{string.Join('\n', woke.Split('\n').Where(l => l.Contains("Controller", StringComparison.Ordinal) || l.Contains("Leadership", StringComparison.Ordinal)).Take(20))}");
            Assert.True(unfinished > 0, $"node{leader} woke with no reconcile in flight, so nothing shows a deposed leader's write refused");
        });

    /// <summary>
    /// Starts a cluster, watches the fleet's Goals, creates its Plans and Goals and waits until the leader's resolver has
    /// written a first status and the current leader's resolver is busy (most Goals still pending); then runs <paramref name="scenario"/>. The
    /// cluster folder is kept when the scenario fails.
    /// </summary>
    private async Task RunAsync(string name, Func<ProcessCluster, int, ResolverMetrics, ControlPlaneClient, GoalFleet, GoalHistory, TimeSpan, Task> scenario)
    {
        await using var cluster = await ProcessCluster.StartAsync(new ProcessClusterOptions { Name = name, Log = output.WriteLine });
        try
        {
            var leader = await cluster.WaitForLeaderAsync();
            await using var client = SdkClients.Create(cluster, (leader + 1) % cluster.Count);
            var fleet = new GoalFleet("fleet", Goals, PlansPerGoal);
            await using var history = GoalHistory.Start(client, fleet.Namespace);
            var started = Stopwatch.StartNew();
            await fleet.CreateAsync(client, CancellationToken.None);
            var created = started.Elapsed;
            await Eventually.WaitAsync(() => Task.FromResult(history.StatusWrites > 0), _wait, () => "the leader's resolver to write its first Goal status");

            // The leader now (an election may have moved it while the fleet was created), once its resolver is busy.
            var (busy, metrics) = await ResolverMetrics.WaitForBusyLeaderAsync(cluster, _wait);
            await scenario(cluster, busy, metrics, client, fleet, history, created);
        }
        catch
        {
            cluster.KeepArtifacts();
            throw;
        }
    }

    /// <summary>Every Goal named in the workload is Ready with the Plan and generation it must end with; returns the list's resourceVersion.</summary>
    private async Task<long> WaitUntilSettledAsync(ControlPlaneClient client, GoalFleet fleet)
    {
        var settled = 0;
        ResourceList? list = null;
        await Eventually.WaitAsync(
            async () =>
            {
                try
                {
                    list = await client.ListAsync(GoalFleet.ApiVersion, "Goal", fleet.Namespace);
                }
                catch (ControlPlaneClientException e) when (e.Reason is ErrorReason.Unavailable)
                {
                    return false;
                }

                settled = fleet.CountSettled(list);
                return settled == fleet.Goals;
            },
            _wait,
            () => $"all {fleet.Goals} Goals Ready with their expected Plan and generation; {settled} are");
        return long.Parse(list!.ResourceVersion, CultureInfo.InvariantCulture);
    }
}
