using System.Globalization;
using ControlPlane.Client;
using ControlPlane.Testing;
using ControlPlane.Testing.Watch;

namespace ControlPlane.IntegrationTests.Watch;

/// <summary>
/// A watcher running in the background through the SDK, recording what it receives. With <c>resumeEvery</c> it stops
/// after that many events and opens a new watch from its last position, as an application that restarts would.
/// </summary>
internal sealed class RecordedWatcher : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    private readonly Func<WatchEventBatch, Task>? _afterBatch;
    private int _disposed;

    private RecordedWatcher(WatchRecording recording, IControlPlaneClient client, WatchRequest request, int resumeEvery, Func<WatchEventBatch, Task>? afterBatch)
    {
        Recording = recording;
        _afterBatch = afterBatch;
        _run = Task.Run(() => RunAsync(client, request, resumeEvery, _stop.Token));
    }

    public WatchRecording Recording { get; }

    /// <param name="name">How reports name the watcher.</param>
    /// <param name="client">The client to watch with (its first endpoint is where the watch starts).</param>
    /// <param name="request">What to watch; FromResourceVersion must be set, so every event after it can be checked.</param>
    /// <param name="filter">The validator's reading of the request's filters.</param>
    /// <param name="resumeEvery">Open a new watch after this many events; 0 never.</param>
    /// <param name="afterBatch">Awaited after each batch is recorded, before the next is read (a slow consumer).</param>
    public static RecordedWatcher Start(string name, IControlPlaneClient client, WatchRequest request, WatchFilter filter, int resumeEvery = 0, Func<WatchEventBatch, Task>? afterBatch = null)
    {
        var start = long.Parse(request.FromResourceVersion ?? throw new ArgumentException("give the watch a start position", nameof(request)), CultureInfo.InvariantCulture);
        return new RecordedWatcher(new WatchRecording(name, filter, start), client, request with { AllowBookmarks = true }, resumeEvery, afterBatch);
    }

    /// <summary>Waits until the watcher has received a position at or after <paramref name="resourceVersion"/>.</summary>
    public Task WaitForPositionAsync(long resourceVersion, TimeSpan timeout) =>
        Eventually.WaitAsync(
            () =>
            {
                // A watch that failed cannot get there: say why at once.
                if (_run.IsFaulted) throw new InvalidOperationException($"{Recording} failed", _run.Exception!.InnerException);
                return Task.FromResult(Recording.LastPosition >= resourceVersion);
            },
            timeout,
            () => $"{Recording} to reach {resourceVersion}; it is at {Recording.LastPosition} after {Recording.EventCount} events");

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _stop.CancelAsync();
        try
        {
            await _run;
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _stop.Dispose();
        }
    }

    private async Task RunAsync(IControlPlaneClient client, WatchRequest request, int resumeEvery, CancellationToken cancellationToken)
    {
        var from = request.FromResourceVersion!;
        while (true)
        {
            var events = 0;
            var resume = false;
            await foreach (var batch in client.WatchAsync(request with { FromResourceVersion = from }, cancellationToken))
            {
                Recording.Record(batch);
                from = batch.ResourceVersion;
                if (_afterBatch is not null) await _afterBatch(batch);
                events += batch.Events.Count;
                if (resumeEvery > 0 && events >= resumeEvery)
                {
                    resume = true;
                    break;
                }
            }

            if (!resume) return;
            Recording.Resumed(long.Parse(from, CultureInfo.InvariantCulture));
        }
    }
}
