using System.Globalization;
using ControlPlane.Contracts.V1;
using ControlPlane.Testing;
using Google.Protobuf;
using Grpc.Core;

namespace ControlPlane.IntegrationTests;

[Collection(IntegrationCollection.Name)]
public sealed class ApiBehaviourTests(SharedClusterFixture fixture) : IClassFixture<SharedClusterFixture>
{
    private ProcessCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task ConcurrentUpdatesWithSameExpectedVersion_ExactlyOneSucceeds_RestAborted()
    {
        var created = await Cluster.CreateResourceClient(0).CreateResourceAsync(new CreateResourceRequest { Object = Objects.Widget("contended") });
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 9).Select(async i =>
        {
            try
            {
                await Cluster.CreateResourceClient(i % Cluster.Count).UpdateResourceAsync(new UpdateResourceRequest
                {
                    Object = Objects.Widget("contended", size: 100 + i),
                    ExpectedResourceVersion = created.ResourceVersion,
                });
                return StatusCode.OK;
            }
            catch (RpcException e)
            {
                if (e.StatusCode == StatusCode.Aborted) Assert.Equal("Conflict", e.Trailers.GetValue("cp-error-reason"));
                return e.StatusCode;
            }
        }));
        Assert.Equal(1, outcomes.Count(o => o == StatusCode.OK));
        Assert.Equal(8, outcomes.Count(o => o == StatusCode.Aborted));
    }

    [Fact]
    public async Task ConcurrentCreatesOfOneName_ExactlyOneCreated_RestAlreadyExists()
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 9).Select(async i =>
        {
            try
            {
                await Cluster.CreateResourceClient(i % Cluster.Count).CreateResourceAsync(new CreateResourceRequest { Object = Objects.Widget("raced", size: i) });
                return StatusCode.OK;
            }
            catch (RpcException e)
            {
                return e.StatusCode;
            }
        }));
        Assert.Equal(1, outcomes.Count(o => o == StatusCode.OK));
        Assert.Equal(8, outcomes.Count(o => o == StatusCode.AlreadyExists));
    }

    [Fact]
    public async Task Write_AnswerNamesTheLeaderThatCommittedIt_WhetherSentToTheLeaderOrForwardedByAFollower()
    {
        // An election between the writes would make the two answers name different leaders, both right: such a round
        // proves nothing, so it is done again (at most three rounds).
        for (var round = 0; ; round++)
        {
            var leader = await Cluster.WaitForLeaderAsync();
            var follower = Enumerable.Range(0, Cluster.Count).First(i => i != leader);
            var named = new List<string>();
            foreach (var (node, name) in new[] { (follower, $"via-follower-{round}"), (leader, $"via-leader-{round}") })
            {
                using var call = Cluster.CreateResourceClient(node).CreateResourceAsync(new CreateResourceRequest { Object = Objects.Widget(name) });
                await call.ResponseAsync;
                var trailer = call.GetTrailers().GetValue("cp-leader-endpoint");
                Assert.False(string.IsNullOrEmpty(trailer), $"the write through node{node} names no leader");
                named.Add(new Uri(trailer).GetLeftPart(UriPartial.Authority));
            }

            var after = await Cluster.WaitForLeaderAsync();
            if (after != leader && round < 2) continue;
            var now = Cluster.GrpcEndpoint(after).GetLeftPart(UriPartial.Authority);
            Assert.All(named, n => Assert.Equal(now, n));
            return;
        }
    }

    [Fact]
    public async Task ReadModes_NotOlderThanOnFollowerSeesTheWrite_LocalReportsAppliedIndex()
    {
        var leader = await Cluster.WaitForLeaderAsync();
        var follower = Enumerable.Range(0, Cluster.Count).First(i => i != leader);
        var written = await Cluster.CreateResourceClient(leader).CreateResourceAsync(new CreateResourceRequest { Object = Objects.Widget("fresh-read") });
        var got = await Cluster.CreateResourceClient(follower).GetResourceAsync(new GetResourceRequest
        {
            Ref = Objects.Ref("fresh-read"),
            Read = new ReadOptions { Mode = ReadMode.NotOlderThan, MinResourceVersion = written.ResourceVersion },
        });
        Assert.Equal(written.ResourceVersion, Objects.Rv(got.Object).ToString(CultureInfo.InvariantCulture));
        Assert.True(got.AppliedIndex >= long.Parse(written.ResourceVersion, CultureInfo.InvariantCulture));

        var linear = await Cluster.CreateResourceClient(follower).GetResourceAsync(new GetResourceRequest { Ref = Objects.Ref("fresh-read") });
        Assert.Equal(written.ResourceVersion, Objects.Rv(linear.Object).ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ListThenWatchFromListVersion_OnFollower_SeesLaterWritesInOrderWithoutGaps()
    {
        var leader = await Cluster.WaitForLeaderAsync();
        var follower = Enumerable.Range(0, Cluster.Count).First(i => i != leader);
        var reader = Cluster.CreateResourceClient(follower);
        var list = await reader.ListResourcesAsync(new ListResourcesRequest { ApiVersion = Objects.ApiVersion, Kind = "Gizmo" });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var watch = reader.WatchResources(new WatchResourcesRequest { ApiVersion = Objects.ApiVersion, Kind = "Gizmo", ResourceVersion = list.ResourceVersion }, cancellationToken: cts.Token);

        var writer = Cluster.CreateResourceClient(leader);
        var expected = new List<(EventType, string)>();
        var gizmo = (string name, int n) => ByteString.CopyFromUtf8($$$"""{"apiVersion":"example.com/v1","kind":"Gizmo","metadata":{"name":"{{{name}}}","namespace":"default"},"spec":{"n":{{{n}}}}}""");
        expected.Add((EventType.Added, (await writer.CreateResourceAsync(new CreateResourceRequest { Object = gizmo("g1", 1) })).ResourceVersion));
        expected.Add((EventType.Modified, (await writer.UpdateResourceAsync(new UpdateResourceRequest { Object = gizmo("g1", 2) })).ResourceVersion));
        expected.Add((EventType.Added, (await writer.CreateResourceAsync(new CreateResourceRequest { Object = gizmo("g2", 1) })).ResourceVersion));
        expected.Add((EventType.Deleted, (await writer.DeleteResourceAsync(new DeleteResourceRequest { Ref = new ResourceRef { ApiVersion = Objects.ApiVersion, Kind = "Gizmo", Namespace = "default", Name = "g1" } })).ResourceVersion));

        var seen = new List<(EventType, string)>();
        while (seen.Count < expected.Count && await watch.ResponseStream.MoveNext(cts.Token))
        {
            var message = watch.ResponseStream.Current;
            if (message.Bookmark) continue;
            foreach (var e in message.Events) seen.Add((e.Type, message.ResourceVersion));
        }

        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task WatchFromZero_ReplaysRetainedHistoryOfTheObject()
    {
        // A watch from a position the node still covers works; "0" on a young cluster starts from the beginning.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var client = Cluster.CreateResourceClient(0);
        await client.CreateResourceAsync(new CreateResourceRequest { Object = Objects.Widget("history-1") });
        using var watch = client.WatchResources(new WatchResourcesRequest { ApiVersion = Objects.ApiVersion, Kind = Objects.Kind, Name = "history-1", ResourceVersion = "0" }, cancellationToken: cts.Token);
        Assert.True(await watch.ResponseStream.MoveNext(cts.Token));
        Assert.Equal(EventType.Added, watch.ResponseStream.Current.Events.Single().Type);
    }

    [Fact]
    public async Task Watch_OmitPreviousObject_ModificationsCarryOnlyTheNewObject()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var client = Cluster.CreateResourceClient(0);
        var created = await client.CreateResourceAsync(new CreateResourceRequest { Object = Objects.Widget("omit-previous-1") });
        var start = created.ResourceVersion;
        async Task<Contracts.V1.WatchEvent> NextEvent(AsyncServerStreamingCall<WatchResourcesResponse> call)
        {
            while (await call.ResponseStream.MoveNext(cts.Token))
            {
                if (!call.ResponseStream.Current.Bookmark) return call.ResponseStream.Current.Events.Single();
            }

            throw new InvalidOperationException("the watch ended");
        }

        WatchResourcesRequest Request(bool omit) => new() { ApiVersion = Objects.ApiVersion, Kind = Objects.Kind, Name = "omit-previous-1", ResourceVersion = start, OmitPreviousObject = omit };
        using var full = Cluster.CreateResourceClient(1).WatchResources(Request(false), cancellationToken: cts.Token);
        using var alone = Cluster.CreateResourceClient(2).WatchResources(Request(true), cancellationToken: cts.Token);
        await client.UpdateResourceAsync(new UpdateResourceRequest { Object = Objects.Widget("omit-previous-1", size: 2) });

        var withPrevious = await NextEvent(full);
        var without = await NextEvent(alone);
        Assert.Equal(EventType.Modified, without.Type);
        Assert.Equal(withPrevious.Object, without.Object);
        Assert.True(without.PreviousObject.IsEmpty);
        Assert.Equal(created.Object, withPrevious.PreviousObject);
    }

    [Fact]
    public async Task Members_TakeSnapshotsAtStaggeredPoints_AThirdOfTheThresholdApart()
    {
        // Each member logs its schedule at start; every one at phase 0 would put their snapshots on the same index.
        var phases = new List<string>();
        for (var i = 0; i < Cluster.Count; i++)
        {
            var log = await File.ReadAllTextAsync(Cluster.LogPath(i));
            var schedule = System.Text.RegularExpressions.Regex.Match(log, @"this member \d+ bytes after the first initial member \(phase ([0-9.]+)\)");
            Assert.True(schedule.Success, $"node{i} logged no snapshot schedule; see {Cluster.LogPath(i)}");
            phases.Add(schedule.Groups[1].Value);
        }

        Assert.Equal(["0", "0.333", "0.667"], phases.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Watch_CoalesceCommits_ABacklogComesInFewerMessages_WithEveryEventInOrder_BookmarksApart()
    {
        // A watch from before 30 commits finds them all queued at once: with coalescing they share messages, without
        // it each is its own. A label unique to this test keeps the other tests' Widgets out.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var client = Cluster.CreateResourceClient(0);
        var label = "coalesce-" + Guid.NewGuid().ToString("N")[..8];
        var start = (await client.CreateResourceAsync(new CreateResourceRequest { Object = Objects.Widget(label + "-start") })).ResourceVersion;
        var written = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            var created = await client.CreateResourceAsync(new CreateResourceRequest { Object = Objects.Widget($"{label}-{i}", labels: $$"""{"batch":"{{label}}"}""") });
            written.Add(created.ResourceVersion);
        }

        async Task<List<WatchResourcesResponse>> ReadBacklog(bool coalesce)
        {
            var request = new WatchResourcesRequest
            {
                ApiVersion = Objects.ApiVersion, Kind = Objects.Kind, LabelSelector = "batch=" + label, ResourceVersion = start,
                AllowBookmarks = true, CoalesceCommits = coalesce,
            };
            using var call = Cluster.CreateResourceClient(1).WatchResources(request, cancellationToken: cts.Token);
            var messages = new List<WatchResourcesResponse>();
            while (messages.Sum(m => m.Events.Count) < written.Count || !messages[^1].Bookmark)
            {
                Assert.True(await call.ResponseStream.MoveNext(cts.Token), "the watch ended");
                messages.Add(call.ResponseStream.Current);
            }

            return messages;
        }

        foreach (var coalesce in new[] { false, true })
        {
            var messages = await ReadBacklog(coalesce);
            var events = messages.Where(m => !m.Bookmark).ToList();
            Assert.Equal(written, events.SelectMany(m => m.Events).Select(e => Objects.Rv(e.Object).ToString(CultureInfo.InvariantCulture)));
            Assert.All(messages.Where(m => m.Bookmark), m => Assert.Empty(m.Events));
            Assert.All(events, m => Assert.Equal(Objects.Rv(m.Events[^1].Object).ToString(CultureInfo.InvariantCulture), m.ResourceVersion));
            if (coalesce) Assert.True(events.Count < written.Count, $"30 queued commits came in {events.Count} messages with coalescing");
            else Assert.Equal(written.Count, events.Count);
        }
    }

    [Fact]
    public void Node_DoesNotWatchItsWorkingDirectoryForConfigurationChanges()
    {
        // The reload watcher watched the working directory recursively, so every WAL checkpoint write below it woke a
        // thread on every node of a local cluster. Linux names that thread ".NET File Watch".
        Assert.True(OperatingSystem.IsLinux(), "reads thread names from /proc");
        for (var i = 0; i < Cluster.Count; i++)
        {
            var pid = Cluster.ProcessId(i) ?? throw new InvalidOperationException($"node {i} is not running");
            var threads = Directory.GetDirectories($"/proc/{pid}/task").Select(t => File.ReadAllText(Path.Combine(t, "comm")).Trim()).ToList();
            Assert.Contains(threads, t => t.StartsWith(".NET", StringComparison.Ordinal));
            Assert.DoesNotContain(".NET File Watch", threads);
        }
    }

    [Fact]
    public async Task Followers_FlushWhatTheyAcknowledge_ThroughTheLogThatSyncsBeforeAnswering()
    {
        // DotNext answers AppendEntries through the log interfaces our logs implement (SegmentedLog by default). Should
        // a DotNext upgrade stop calling them, followers would acknowledge from memory again and this count would stay
        // put. The log's own flush counter moves with it.
        var before = await FollowerSyncedEntriesAsync();
        var flushesBefore = await SumAsync("controlplane_log_flushes");
        await Cluster.CreateResourceClient(0).CreateResourceAsync(new CreateResourceRequest { Object = Objects.Widget("synced-by-followers") });

        // Polled, not read once: the exporter may answer from a scrape cached before the write.
        var seen = before;
        await Eventually.WaitAsync(
            async () =>
            {
                try
                {
                    return (seen = await FollowerSyncedEntriesAsync()) > before;
                }
                catch (Exception e) when (e is HttpRequestException or TimeoutException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(10),
            () => $"controlplane_raft_follower_synced_entries over the three nodes stayed at {seen} after a write");
        Assert.True(await SumAsync("controlplane_log_flushes") > flushesBefore, "the segmented log counts its flushes");
        Assert.True(await SumAsync("controlplane_log_segments") >= Cluster.Count, "every node reports its segment files");
        Assert.True(await SumAsync("controlplane_log_resident_bytes") > 0, "applied payloads still in memory are reported");

        // The runtime's own meter: every node has collected at least once by now, and reports its heap.
        Assert.True(await SumAsync("dotnet_gc_collections") >= Cluster.Count, "every node reports its GC collections");
        Assert.True(await SumAsync("dotnet_gc_last_collection_heap_size") > 0, "the nodes report their GC heap");
    }

    private Task<double> FollowerSyncedEntriesAsync() => SumAsync("controlplane_raft_follower_synced_entries");

    private async Task<double> SumAsync(string metric)
    {
        var sum = 0.0;
        for (var i = 0; i < Cluster.Count; i++)
        {
            sum += (await Cluster.GetMetricsAsync(i)).Where(m => m.Series.StartsWith(metric, StringComparison.Ordinal)).Sum(m => m.Value);
        }

        return sum;
    }
}
