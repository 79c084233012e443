using System.Runtime.CompilerServices;
using ControlPlane.Contracts.V1;
using Grpc.Core;

namespace ControlPlane.Client;

public sealed partial class ControlPlaneClient
{
    /// <inheritdoc />
    public IAsyncEnumerable<WatchEventBatch> WatchAsync(WatchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.ApiVersion, nameof(request));
        ArgumentException.ThrowIfNullOrEmpty(request.Kind, nameof(request));
        if (request.BookmarkInterval is { } interval && (interval < TimeSpan.FromMilliseconds(50) || interval > TimeSpan.FromHours(1)))
            throw new ArgumentOutOfRangeException(nameof(request), interval, "BookmarkInterval must be between 50 ms and 1 hour");

        // Checked here, not at the first MoveNextAsync, so a bad request fails where it is made.
        var cursor = new WatchCursor(WatchCursor.ParseStart(request.FromResourceVersion, nameof(request)), request.AllowBookmarks);
        return WatchCoreAsync(request, cursor, cancellationToken);
    }

    private async IAsyncEnumerable<WatchEventBatch> WatchCoreAsync(WatchRequest request, WatchCursor cursor, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var interval = request.BookmarkInterval ?? _options.WatchBookmarkInterval;
        var silence = interval + _options.AttemptTimeout;
        var endpoint = _ring.Preferred;
        var failed = 0;
        var since = _time.GetTimestamp();
        ControlPlaneClientException? previous = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var proto = new WatchResourcesRequest
            {
                ApiVersion = request.ApiVersion,
                Kind = request.Kind,
                Namespace = request.Namespace ?? string.Empty,
                Name = request.Name ?? string.Empty,
                LabelSelector = request.LabelSelector ?? string.Empty,
                ResourceVersion = cursor.PositionText,
                // Always: bookmarks tell the cursor where it is when nothing matches, and prove the member is alive.
                AllowBookmarks = true,
                BookmarkIntervalMs = (int)interval.TotalMilliseconds,
                OmitPreviousObject = request.OmitPreviousObject,
                CoalesceCommits = request.CoalesceCommits,
            };
            var received = 0;
            var startedAt = cursor.Position;
            ControlPlaneClientException error;
            using (var idle = new WatchSilence(silence, _time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, idle.Token))
            using (var call = GetConnection(endpoint).Resources.WatchResources(proto, new CallOptions(cancellationToken: linked.Token)))
            {
                while (true)
                {
                    idle.ReadStarted();
                    var read = await ReadNextAsync(call, endpoint, idle, cancellationToken).ConfigureAwait(false);
                    idle.ReadEnded();
                    if (read.Message is not { } message)
                    {
                        error = read.Error!;
                        break;
                    }

                    if (received++ == 0) _ring.Succeeded(endpoint);

                    if (cursor.Accept(message, endpoint) is { } batch) yield return batch;
                }
            }

            if (!RetryPolicy.IsResumable(error)) throw error.WithAttempts(failed + 1);

            // A stream that moved the position, or lived past its first message (an idle watch gets a bookmark every
            // interval), worked until it broke: not a failed attempt, and the time budget starts again. One that
            // broke right after its first message counts, so a member failing every watch cannot make us spin.
            var worked = cursor.Position != startedAt || received > 1;
            if (worked)
            {
                failed = 0;
                since = _time.GetTimestamp();
            }
            else
            {
                failed++;
            }

            var elapsed = _time.GetElapsedTime(since);
            if (failed >= _options.MaxAttempts || elapsed >= _options.CallTimeout)
                throw GiveUp($"Watch {request.Kind}", error, previous, failed, endpoint);

            // A member that ended a slow reader's watch is healthy: resume there. Otherwise try the next member, at once
            // after a working stream broke, with backoff after attempts that got nothing.
            var next = error.Reason == ErrorReason.ResourceExhausted && worked ? endpoint : _ring.Next(endpoint, null, out _);
            var delay = worked ? TimeSpan.Zero : _retry.GetBackoff(failed, _jitter());
            ClientLog.WatchResuming(_logger, request.Kind, endpoint, cursor.Position is null ? "(now)" : cursor.PositionText, error.Reason, error.Message, next, (long)delay.TotalMilliseconds);
            if (delay > TimeSpan.Zero) await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            previous = error;
            endpoint = next;
        }
    }

    private static async Task<WatchRead> ReadNextAsync(
        AsyncServerStreamingCall<WatchResourcesResponse> call, string endpoint, WatchSilence idle, CancellationToken cancellationToken)
    {
        try
        {
            return await call.ResponseStream.MoveNext(CancellationToken.None).ConfigureAwait(false)
                ? new WatchRead(call.ResponseStream.Current, null)
                : new WatchRead(null, new ControlPlaneClientException(ErrorReason.Unavailable, $"{endpoint} ended the watch") { Endpoint = endpoint });
        }
        catch (Exception ex) when (ex is RpcException or OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("the watch was cancelled", ex, cancellationToken);
        }
        catch (Exception ex) when (ex is RpcException { StatusCode: StatusCode.Cancelled } or OperationCanceledException && idle.Elapsed)
        {
            return new WatchRead(null, new ControlPlaneClientException(
                ErrorReason.DeadlineExceeded, $"{endpoint} sent nothing for {idle.Bound.TotalSeconds:0.###}s, not even a bookmark", ex) { Endpoint = endpoint });
        }
        catch (RpcException ex)
        {
            return new WatchRead(null, ControlPlaneClientException.FromRpcException(ex, endpoint));
        }
    }

    private readonly record struct WatchRead(WatchResourcesResponse? Message, ControlPlaneClientException? Error);
}
