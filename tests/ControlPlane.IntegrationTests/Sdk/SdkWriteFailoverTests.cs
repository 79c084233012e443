using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using ControlPlane.Client;
using ControlPlane.IntegrationTests.Watch;
using ControlPlane.Testing;
using ControlPlane.Testing.Watch;
using Xunit.Abstractions;

namespace ControlPlane.IntegrationTests.Sdk;

/// <summary>
/// P1 and P8 through the SDK: clients keep writing while the leader is killed; the SDK fails over and retries with the
/// same request id, so every acknowledged write is in the store and none is applied twice.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class SdkWriteFailoverTests(ITestOutputHelper output)
{
    private const string CountLabel = "count";
    private static readonly TimeSpan _wait = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Each writer owns a counter object and bumps it with conditional puts (expected resourceVersion = the last
    /// acknowledged one). A retry that was applied a second time would fail that condition and come back as a Conflict,
    /// and a lost acknowledged write would leave a hole in the sequence of committed counts.
    /// </summary>
    [Fact]
    public async Task LeaderKilledWhileWriting_EveryAcknowledgedWritePresent_NoneAppliedTwice()
    {
        await using var cluster = await ProcessCluster.StartAsync(new ProcessClusterOptions { Name = "sdk-write-failover", Log = output.WriteLine });
        var clients = new List<ControlPlaneClient>();
        try
        {
            var leader = await cluster.WaitForLeaderAsync();
            var counters = Enumerable.Range(0, 4).Select(i => new Counter($"counter-{i}")).ToArray();
            using var stop = new CancellationTokenSource();
            var writing = counters.Select((counter, i) =>
            {
                // Writers start at different nodes, the leader among them.
                var client = SdkClients.Create(cluster, (leader + i) % cluster.Count);
                clients.Add(client);
                return Task.Run(() => counter.RunAsync(client, stop.Token));
            }).ToArray();

            int Acknowledged() => counters.Sum(c => c.Acknowledged.Count);
            await Eventually.WaitAsync(() => Task.FromResult(Acknowledged() >= 40), _wait, () => $"40 acknowledged writes before the kill; {Acknowledged()} so far");
            var killedAt = Stopwatch.GetTimestamp();
            await cluster.KillAsync(leader);
            var before = Acknowledged();
            await Eventually.WaitAsync(() => Task.FromResult(Acknowledged() >= before + 40), _wait, () => $"40 more acknowledged writes after the leader was killed; {Acknowledged() - before} so far");
            await stop.CancelAsync();
            await Task.WhenAll(writing);

            var longestPause = counters.Select(c => c.LongestPauseAround(killedAt)).Max();
            output.WriteLine($"{Acknowledged()} writes acknowledged, {counters.Sum(c => c.Indeterminate)} indeterminate; the longest pause between a writer's acknowledgements around the kill: {longestPause.TotalMilliseconds:0} ms");
            Assert.All(counters, c => Assert.True(c.Violations.Count == 0, $"{c.Name}: {string.Join("; ", c.Violations)}"));

            var reader = clients[1];
            var end = await reader.ListAsync(Objects.ApiVersion, Objects.Kind);
            var history = await WatchModel.ReadAsync(reader, long.Parse(end.ResourceVersion, CultureInfo.InvariantCulture), _wait);
            foreach (var counter in counters)
            {
                var commits = history.Changes.Where(c => c.Key.Name == counter.Name).ToList();
                var counts = commits.Select(c => int.Parse(c.After!.Labels[CountLabel], CultureInfo.InvariantCulture)).ToList();
                // Committed exactly once each, in order: 0, 1, 2, ... with no count twice and none missing.
                Assert.Equal(Enumerable.Range(0, counts.Count), counts);
                foreach (var (count, rv) in counter.Acknowledged)
                {
                    var commit = commits.SingleOrDefault(c => c.ResourceVersion == rv);
                    Assert.True(commit is not null, $"{counter.Name}: the acknowledged write of count {count} at {rv} is not in the committed history");
                    Assert.Equal(count.ToString(CultureInfo.InvariantCulture), commit.After!.Labels[CountLabel]);
                }

                Assert.InRange(counts.Count - 1, counter.Acknowledged.Count - 1, counter.Acknowledged.Count - 1 + counter.Indeterminate);
            }

        }
        catch
        {
            cluster.KeepArtifacts();
            throw;
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    }

    private sealed class Counter(string name)
    {
        private readonly List<long> _ackedAt = [];

        public string Name { get; } = name;

        public List<(int Count, long ResourceVersion)> Acknowledged { get; } = [];

        public List<string> Violations { get; } = [];

        public int Indeterminate { get; private set; }

        public async Task RunAsync(IControlPlaneClient client, CancellationToken stop)
        {
            var count = 0;
            var created = await client.CreateAsync(Object(count), cancellationToken: CancellationToken.None);
            Acknowledge(count, created.ResourceVersion);
            var expected = created.ResourceVersion;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var written = await client.ApplyAsync(Object(count + 1), expected, cancellationToken: CancellationToken.None);
                    count++;
                    expected = written.ResourceVersion;
                    Acknowledge(count, expected);
                }
                catch (ConflictException e)
                {
                    // Only this writer writes the object: a conflict means one of its writes was applied twice or lost.
                    Violations.Add($"count {count + 1} with expected resourceVersion {expected}: {e.Message}");
                    (count, expected) = await ReadAsync(client);
                }
                catch (ControlPlaneClientException e) when (e.Reason is ErrorReason.Unavailable or ErrorReason.DeadlineExceeded)
                {
                    // Indeterminate: maybe applied. Carry on from what the store holds.
                    Indeterminate++;
                    (count, expected) = await ReadAsync(client);
                }
            }
        }

        public TimeSpan LongestPauseAround(long timestamp)
        {
            var after = _ackedAt.FindIndex(t => t > timestamp);
            return after <= 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(_ackedAt[after - 1], _ackedAt[after]);
        }

        private void Acknowledge(int count, string resourceVersion)
        {
            Acknowledged.Add((count, long.Parse(resourceVersion, CultureInfo.InvariantCulture)));
            _ackedAt.Add(Stopwatch.GetTimestamp());
        }

        private async Task<(int, string)> ReadAsync(IControlPlaneClient client)
        {
            var current = await client.GetAsync(Objects.ApiVersion, Objects.Kind, Objects.Namespace, Name);
            return (int.Parse(current.Object["metadata"]!["labels"]![CountLabel]!.GetValue<string>(), CultureInfo.InvariantCulture), current.ResourceVersion);
        }

        private JsonObject Object(int count) => new()
        {
            ["apiVersion"] = Objects.ApiVersion,
            ["kind"] = Objects.Kind,
            ["metadata"] = new JsonObject { ["name"] = Name, ["namespace"] = Objects.Namespace, ["labels"] = new JsonObject { [CountLabel] = count.ToString(CultureInfo.InvariantCulture) } },
            ["spec"] = new JsonObject { ["count"] = count },
        };
    }
}
