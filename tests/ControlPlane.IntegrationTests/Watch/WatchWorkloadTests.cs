using System.Globalization;
using ControlPlane.Client;
using ControlPlane.IntegrationTests.Sdk;
using ControlPlane.Testing;
using ControlPlane.Testing.Watch;
using Xunit.Abstractions;

namespace ControlPlane.IntegrationTests.Watch;

/// <summary>
/// P5 and P6 end to end: SDK watchers on different nodes, with namespace, name and label filters, some resuming
/// on their own, record a workload during which the leader is killed and, later, a follower restarted. Every stream
/// is checked against the committed history with the watch validator.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class WatchWorkloadTests(ITestOutputHelper output)
{
    private static readonly TimeSpan _wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Workload_LeaderKilledAndFollowerRestarted_EveryWatcherStreamValidates()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Log(string message) => output.WriteLine($"{clock.Elapsed.TotalSeconds,6:0.0}s {message}");
        await using var cluster = await ProcessCluster.StartAsync(new ProcessClusterOptions { Name = "watch-workload", Log = Log });
        var clients = new List<ControlPlaneClient>();
        var watchers = new List<RecordedWatcher>();
        try
        {
            var leader = await cluster.WaitForLeaderAsync();
            var followers = Enumerable.Range(0, cluster.Count).Where(i => i != leader).ToArray();
            ControlPlaneClient Client(int preferred)
            {
                var client = SdkClients.Create(cluster, preferred);
                clients.Add(client);
                return client;
            }

            var admin = Client(followers[0]);
            var keys = new[] { "ns-a", "ns-b" }.SelectMany(ns => Enumerable.Range(0, 6).Select(i => WidgetWriters.Key(ns, $"w-{i}"))).ToArray();
            var writers = new WidgetWriters();
            using (var seeding = new CancellationTokenSource())
            {
                // A few commits before the list some watchers start from.
                var seeder = writers.RunAsync(admin, keys, seed: 7, TimeSpan.Zero, seeding.Token);
                await writers.WaitForAcknowledgedAsync(10, _wait);
                await seeding.CancelAsync();
                await seeder;
            }

            var listed = (await admin.ListAsync(Objects.ApiVersion, Objects.Kind)).ResourceVersion;
            var all = WatchModel.AllWidgets;
            bool Gold(IReadOnlyDictionary<string, string> labels) => labels.GetValueOrDefault(WidgetWriters.LabelKey) == "gold";
            var request = new WatchRequest(Objects.ApiVersion, Objects.Kind) { FromResourceVersion = "0" };
            var onLeader = RecordedWatcher.Start("all, on the leader", Client(leader), request, all);
            watchers.Add(onLeader);
            watchers.Add(RecordedWatcher.Start("ns-a", Client(followers[0]), request with { Namespace = "ns-a" }, all with { Namespace = "ns-a" }));
            watchers.Add(RecordedWatcher.Start("tier=gold", Client(followers[1]), request with { LabelSelector = "tier=gold" }, all with { Labels = Gold, LabelsDescription = "tier=gold" }));
            watchers.Add(RecordedWatcher.Start("ns-b/w-1, on the leader", Client(leader), request with { Namespace = "ns-b", Name = "w-1" }, all with { Namespace = "ns-b", Name = "w-1" }));
            watchers.Add(RecordedWatcher.Start("all from the list, resuming", Client(followers[0]), request with { FromResourceVersion = listed }, all, resumeEvery: 40));
            watchers.Add(RecordedWatcher.Start("ns-b tier!=gold from the list, resuming", Client(followers[1]),
                request with { FromResourceVersion = listed, Namespace = "ns-b", LabelSelector = "tier!=gold" },
                all with { Namespace = "ns-b", Labels = l => !Gold(l), LabelsDescription = "tier!=gold" }, resumeEvery: 15));

            using var stop = new CancellationTokenSource();
            var writing = Enumerable.Range(0, 3)
                .Select(w => Task.Run(() => writers.RunAsync(Client(w), [.. keys.Where((_, i) => i % 3 == w)], seed: 100 + w, TimeSpan.FromMilliseconds(15), stop.Token)))
                .ToArray();

            // Faults in the middle of the workload: kill the leader, then bring it back and restart a follower.
            await writers.WaitForAcknowledgedAsync(writers.Acknowledged + 60, _wait);
            Log($"killing the leader node{leader} after {writers.Acknowledged} acknowledged writes");
            await cluster.KillAsync(leader);
            var newLeader = await cluster.WaitForLeaderAsync(_wait, excluding: [leader]);
            await writers.WaitForAcknowledgedAsync(writers.Acknowledged + 60, _wait);
            await cluster.RestartAsync(leader);
            Log($"node{leader} is back");
            var follower = Enumerable.Range(0, cluster.Count).First(i => i != leader && i != newLeader);
            Log($"node{leader} restarted; restarting follower node{follower} after {writers.Acknowledged} acknowledged writes");
            await cluster.RestartAsync(follower);
            Log($"node{follower} is back");
            await writers.WaitForAcknowledgedAsync(writers.Acknowledged + 60, _wait);
            await stop.CancelAsync();
            await Task.WhenAll(writing);

            var end = await admin.ListAsync(Objects.ApiVersion, Objects.Kind);
            var through = long.Parse(end.ResourceVersion, CultureInfo.InvariantCulture);
            Log($"{writers.Acknowledged} writes acknowledged, {writers.Indeterminate} indeterminate; the store is at {through}");
            foreach (var watcher in watchers) await watcher.WaitForPositionAsync(through, _wait);
            Log("every watcher reached the end");

            var history = await WatchModel.ReadAsync(Client(newLeader), through, _wait);
            writers.AssertAllIn(history);
            Assert.Equal(
                end.Items.Select(o => ObservedObject.FromJson(o)).ToDictionary(o => o.Key, o => o.ResourceVersion),
                history.State.ToDictionary(e => e.Key, e => e.Value.ResourceVersion));
            WatchModel.AssertValid(history, watchers, through, Log);

            Assert.True(onLeader.Recording.Endpoints.Count > 1, $"the watcher on the killed leader must have failed over; it was served by {string.Join(", ", onLeader.Recording.Endpoints)}");
            Assert.All(watchers, w => Assert.True(w.Recording.EventCount > 0, $"{w.Recording} received no event: the workload does not exercise it"));
            Assert.All(watchers.Where(w => w.Recording.Name.EndsWith("resuming", StringComparison.Ordinal)), w => Assert.Contains(w.Recording.Entries, e => e.ResumedFrom is not null));
        }
        catch
        {
            cluster.KeepArtifacts();
            throw;
        }
        finally
        {
            foreach (var watcher in watchers) await watcher.DisposeAsync();
            foreach (var client in clients) client.Dispose();
        }
    }
}
