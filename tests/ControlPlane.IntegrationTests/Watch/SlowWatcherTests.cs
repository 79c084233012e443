using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using ControlPlane.Client;
using ControlPlane.Contracts.V1;
using ControlPlane.IntegrationTests.Sdk;
using ControlPlane.Testing;
using ControlPlane.Testing.Watch;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace ControlPlane.IntegrationTests.Watch;

/// <summary>
/// P14 end to end: with ControlPlane:Watch:WatcherMaxQueuedMessages set small, a watcher that never reads is ended
/// with RESOURCE_EXHAUSTED after what the server had queued, while the other watchers keep up and unary calls go on;
/// an SDK watcher that stalls for a while resumes by itself and misses nothing.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class SlowWatcherTests(ITestOutputHelper output)
{
    private const int MaxQueuedMessages = 16;
    private const int Writes = 600;
    private static readonly TimeSpan _wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task WatcherThatNeverReads_IsEndedWithinItsBound_WhileOthersKeepUp()
    {
        await using var cluster = await ProcessCluster.StartAsync(new ProcessClusterOptions
        {
            Name = "slow-watcher",
            Log = output.WriteLine,
            Configure = node => node.Settings["ControlPlane:Watch:WatcherMaxQueuedMessages"] = MaxQueuedMessages.ToString(CultureInfo.InvariantCulture),
        });
        var clients = new List<ControlPlaneClient>();
        var watchers = new List<RecordedWatcher>();
        var stalledLog = new ResumeLog();
        using var release = new CancellationTokenSource();
        try
        {
            await cluster.WaitForLeaderAsync();
            ControlPlaneClient Client(int preferred, ILogger<ControlPlaneClient>? logger = null)
            {
                var client = SdkClients.Create(cluster, preferred, logger);
                clients.Add(client);
                return client;
            }

            var writer = Client(1);
            var start = (await writer.ListAsync(Objects.ApiVersion, Objects.Kind)).ResourceVersion;
            var request = new WatchRequest(Objects.ApiVersion, Objects.Kind) { FromResourceVersion = start };

            // The watcher that never reads: its own connection, so its full flow-control window stalls nothing else.
            using var slowCall = new ResourceService.ResourceServiceClient(cluster.CreateChannel(0))
                .WatchResources(new WatchResourcesRequest { ApiVersion = Objects.ApiVersion, Kind = Objects.Kind, ResourceVersion = start });
            watchers.Add(RecordedWatcher.Start("reader on node0", Client(0), request, WatchModel.AllWidgets));
            watchers.Add(RecordedWatcher.Start("reader on node1", Client(1), request, WatchModel.AllWidgets));
            // An SDK watcher that stops reading after its first batch until the writes are done, then goes on.
            watchers.Add(RecordedWatcher.Start("stalled SDK reader on node0", Client(0, stalledLog), request, WatchModel.AllWidgets,
                afterBatch: async _ =>
                {
                    try
                    {
                        await Task.Delay(Timeout.Infinite, release.Token);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }));

            var latencies = new List<TimeSpan>();
            using var probing = new CancellationTokenSource();
            var probe = Task.Run(async () =>
            {
                var reader = Client(0);
                while (!probing.IsCancellationRequested)
                {
                    var started = Stopwatch.GetTimestamp();
                    // A local read: how quickly node0 itself answers while it holds the stalled watcher.
                    await reader.ListKindsAsync(ReadConsistency.Local, CancellationToken.None);
                    lock (latencies) latencies.Add(Stopwatch.GetElapsedTime(started));
                    await Task.Delay(50, CancellationToken.None);
                }
            });

            var padding = new string('x', 2048);
            var writes = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
            {
                for (var i = w; i < Writes; i += 8)
                {
                    await writer.ApplyAsync(new JsonObject
                    {
                        ["apiVersion"] = Objects.ApiVersion,
                        ["kind"] = Objects.Kind,
                        ["metadata"] = new JsonObject { ["name"] = $"bulk-{i}", ["namespace"] = Objects.Namespace },
                        ["spec"] = new JsonObject { ["padding"] = padding },
                    });
                }
            }));
            await Task.WhenAll(writes);
            var through = long.Parse((await writer.ListAsync(Objects.ApiVersion, Objects.Kind)).ResourceVersion, CultureInfo.InvariantCulture);
            foreach (var watcher in watchers.Take(2)) await watcher.WaitForPositionAsync(through, _wait);
            await probing.CancelAsync();
            await probe;

            // Now read the stalled raw stream: what was in flight and queued, then the end.
            var slow = new WatchRecording("never reads, on node0", WatchModel.AllWidgets, long.Parse(start, CultureInfo.InvariantCulture));
            using var deadline = new CancellationTokenSource(_wait);
            var error = await Assert.ThrowsAsync<RpcException>(async () =>
            {
                while (await slowCall.ResponseStream.MoveNext(deadline.Token)) slow.Record(ObservedMessage.FromProto(slowCall.ResponseStream.Current));
            });
            output.WriteLine($"the watcher that never read got {slow.EventCount} of {Writes} events, then {error.StatusCode}: {error.Status.Detail}");
            Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
            Assert.True(slow.EventCount < Writes, $"the server kept {slow.EventCount} events for a watcher that never read");

            await release.CancelAsync();
            await watchers[2].WaitForPositionAsync(through, _wait);
            var history = await WatchModel.ReadAsync(writer, through, _wait);
            WatchModel.AssertValid(history, watchers, through, output.WriteLine);
            // What the ended watcher did receive is a gap-free prefix: the server delivered everything it had queued.
            var prefix = WatchValidator.Validate(history, slow, slow.LastPosition);
            Assert.True(prefix.IsValid, prefix.ToString());
            Assert.Contains(stalledLog.Messages, m => m.Contains("ResourceExhausted", StringComparison.Ordinal));

            lock (latencies) output.WriteLine($"local ListKinds on node0 during the writes: {latencies.Count} calls, slowest {latencies.Max().TotalMilliseconds:0} ms, median {latencies.Order().ElementAt(latencies.Count / 2).TotalMilliseconds:0} ms");
        }
        catch
        {
            cluster.KeepArtifacts();
            throw;
        }
        finally
        {
            await release.CancelAsync();
            foreach (var watcher in watchers) await watcher.DisposeAsync();
            foreach (var client in clients) client.Dispose();
        }
    }

    /// <summary>Keeps the SDK's log lines, to see the watch resume after RESOURCE_EXHAUSTED.</summary>
    private sealed class ResumeLog : ILogger<ControlPlaneClient>
    {
        private readonly List<string> _messages = [];

        public IReadOnlyList<string> Messages
        {
            get
            {
                lock (_messages) return [.. _messages];
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_messages) _messages.Add(formatter(state, exception));
        }
    }
}
