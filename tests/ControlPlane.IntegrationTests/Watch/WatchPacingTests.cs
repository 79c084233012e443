using System.Globalization;
using ControlPlane.Contracts.V1;
using ControlPlane.Testing;
using Grpc.Core;
using Xunit.Abstractions;

namespace ControlPlane.IntegrationTests.Watch;

/// <summary>
/// ControlPlane:Watch:CoalesceIntervalMs and CoalesceMessagesPerSecond end to end: a coalescing watcher that keeps up with commits written one after
/// another gets them in a few messages, each commit once and in order, while a watcher that did not ask for coalescing
/// still gets one message per commit. The interval is a second here, far longer than eleven writes take, so the count
/// does not depend on this machine's speed.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class WatchPacingTests(ITestOutputHelper output)
{
    private const int Commits = 11;
    private static readonly TimeSpan _wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task CoalescingWatcher_GetsCommitsInAFewMessages_PerCommitWatcherOnePerCommit()
    {
        await using var cluster = await ProcessCluster.StartAsync(new ProcessClusterOptions
        {
            Name = "watch-pacing",
            Log = output.WriteLine,
            Configure = node =>
            {
                // One coalescing stream at one message a second: a one-second interval, the most allowed.
                node.Settings["ControlPlane:Watch:CoalesceIntervalMs"] = "1000";
                node.Settings["ControlPlane:Watch:CoalesceMessagesPerSecond"] = "1";
            },
        });
        try
        {
            await cluster.WaitForLeaderAsync();
            using var cts = new CancellationTokenSource(_wait);
            var writer = cluster.CreateResourceClient(0);
            var start = (await writer.ListResourcesAsync(new ListResourcesRequest { ApiVersion = Objects.ApiVersion, Kind = Objects.Kind }, cancellationToken: cts.Token)).ResourceVersion;

            async Task<AsyncServerStreamingCall<WatchResourcesResponse>> Established(bool coalesce)
            {
                var call = cluster.CreateResourceClient(1).WatchResources(
                    new WatchResourcesRequest { ApiVersion = Objects.ApiVersion, Kind = Objects.Kind, ResourceVersion = start, AllowBookmarks = true, CoalesceCommits = coalesce },
                    cancellationToken: cts.Token);
                Assert.True(await call.ResponseStream.MoveNext(cts.Token), "the watch ended before its first bookmark");
                Assert.True(call.ResponseStream.Current.Bookmark, "a watch from now starts with a bookmark");
                return call;
            }

            using var paced = await Established(coalesce: true);
            using var perCommit = await Established(coalesce: false);

            // The member reports the one coalescing stream and the interval it gets (1 stream / 1 per second, the cap).
            var metrics = await cluster.GetMetricsAsync(1);
            Assert.Equal(1, metrics.Single(m => m.Series.StartsWith("controlplane_watch_coalescing_streams", StringComparison.Ordinal)).Value);
            Assert.Equal(1, metrics.Single(m => m.Series.StartsWith("controlplane_watch_coalesce_interval", StringComparison.Ordinal)).Value);
            var written = new List<string>();
            for (var i = 0; i < Commits; i++)
            {
                written.Add((await writer.CreateResourceAsync(new CreateResourceRequest { Object = Objects.Widget($"paced-{i}") }, cancellationToken: cts.Token)).ResourceVersion);
            }

            async Task<List<WatchResourcesResponse>> EventMessages(AsyncServerStreamingCall<WatchResourcesResponse> call)
            {
                var messages = new List<WatchResourcesResponse>();
                while (messages.Sum(m => m.Events.Count) < Commits)
                {
                    Assert.True(await call.ResponseStream.MoveNext(cts.Token), "the watch ended");
                    if (!call.ResponseStream.Current.Bookmark) messages.Add(call.ResponseStream.Current);
                }

                return messages;
            }

            var pacedMessages = await EventMessages(paced);
            var perCommitMessages = await EventMessages(perCommit);
            foreach (var messages in new[] { pacedMessages, perCommitMessages })
            {
                Assert.Equal(written, messages.SelectMany(m => m.Events).Select(e => Objects.Rv(e.Object).ToString(CultureInfo.InvariantCulture)));
                Assert.All(messages, m => Assert.Equal(Objects.Rv(m.Events[^1].Object).ToString(CultureInfo.InvariantCulture), m.ResourceVersion));
            }

            Assert.Equal(Commits, perCommitMessages.Count);

            // The first commit goes out at once; the rest gather behind it until the lane's tick (a slow write may
            // straddle a tick, hence a bound, not an exact count). Unpaced, each commit came in its own message.
            Assert.True(pacedMessages.Count <= 4, $"{Commits} commits reached the coalescing watcher in {pacedMessages.Count} messages: {string.Join(", ", pacedMessages.Select(m => m.Events.Count))} events");
        }
        catch
        {
            cluster.KeepArtifacts();
            throw;
        }
    }
}
