using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ControlPlane.Client;

/// <summary>
/// A local, always-converging copy of the objects of one kind, with change callbacks: it lists (one linearizable,
/// unpaginated list, so the snapshot is consistent), then watches from the list's resourceVersion. When the watch
/// position expires it lists again and reports the difference (objects that vanished as Deleted, changed ones as
/// Updated, new ones as Added), so the cache and the handlers converge on the store's state without a gap.
/// </summary>
/// <remarks>
/// <para>Add handlers, start <see cref="RunAsync"/>, then <c>await</c> <see cref="WaitForSyncAsync"/> before trusting
/// the cache. Handlers run one at a time, in commit order, on the informer's loop, after the cache has taken the
/// change; a slow handler slows the informer (the watch then resumes transparently). A handler that throws stops the
/// informer: <see cref="RunAsync"/> fails with that exception.</para>
/// <para>Failures the client could not ride out (a cluster unavailable for longer than the client's call timeout) are
/// retried with backoff, resuming the watch from <see cref="LastSyncResourceVersion"/>; an answer about the request
/// itself (an invalid selector, say) stops the informer.</para>
/// </remarks>
public sealed class ResourceInformer
{
    private readonly IControlPlaneClient _client;
    private readonly ResourceInformerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly List<Func<InformerEvent, CancellationToken, ValueTask>> _handlers = [];
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Dictionary<(string Namespace, string Name), JsonObject> _cache = [];
    private string? _lastSyncResourceVersion;
    private int _started;

    /// <summary>Creates an informer; nothing happens until <see cref="RunAsync"/>.</summary>
    /// <param name="client">The client to list and watch with.</param>
    /// <param name="options">The kind, the filters and the retry delays.</param>
    /// <param name="logger">Receives re-list and retry diagnostics; null for none.</param>
    /// <param name="timeProvider">The clock for retry delays; null for the system clock.</param>
    public ResourceInformer(IControlPlaneClient client, ResourceInformerOptions options, ILogger<ResourceInformer>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.ApiVersion, nameof(options));
        ArgumentException.ThrowIfNullOrEmpty(options.Kind, nameof(options));
        if (options.RetryDelay <= TimeSpan.Zero || options.MaxRetryDelay < options.RetryDelay)
            throw new ArgumentException($"RetryDelay ({options.RetryDelay}) must be positive and not above MaxRetryDelay ({options.MaxRetryDelay})", nameof(options));
        _client = client;
        _options = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>What this informer caches.</summary>
    public ResourceInformerOptions Options => _options;

    /// <summary>True once the first list is in the cache and its handlers have run.</summary>
    public bool HasSynced => _synced.Task.IsCompletedSuccessfully;

    /// <summary>
    /// The resourceVersion the cache reflects: the last list's, then each watch batch's or bookmark's. Null before the
    /// first list. Every commit up to it that the informer selects is in the cache.
    /// </summary>
    public string? LastSyncResourceVersion
    {
        get
        {
            lock (_lock) return _lastSyncResourceVersion;
        }
    }

    /// <summary>How many objects the cache holds.</summary>
    public int Count
    {
        get
        {
            lock (_lock) return _cache.Count;
        }
    }

    /// <summary>The cached objects, ordered by namespace then name. Treat them as read-only.</summary>
    public IReadOnlyList<JsonObject> List()
    {
        lock (_lock)
        {
            return [.. _cache.OrderBy(e => e.Key.Namespace, StringComparer.Ordinal).ThenBy(e => e.Key.Name, StringComparer.Ordinal).Select(e => e.Value)];
        }
    }

    /// <summary>The cached object of that namespace and name. Treat it as read-only.</summary>
    /// <param name="namespace">The namespace; null or empty for a cluster-scoped object.</param>
    /// <param name="name">The object's name.</param>
    /// <param name="obj">The object, when cached.</param>
    public bool TryGet(string? @namespace, string name, [NotNullWhen(true)] out JsonObject? obj)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_lock) return _cache.TryGetValue((@namespace ?? string.Empty, name), out obj);
    }

    /// <summary>Adds a handler of cache changes. Add every handler before <see cref="RunAsync"/>, so none misses a change.</summary>
    /// <param name="handler">Called once per change, in order; the token is <see cref="RunAsync"/>'s.</param>
    /// <exception cref="InvalidOperationException">The informer is already running.</exception>
    public void AddHandler(Func<InformerEvent, CancellationToken, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (Volatile.Read(ref _started) != 0)
            throw new InvalidOperationException("add handlers before RunAsync: a handler added later would miss the changes already delivered");
        _handlers.Add(handler);
    }

    /// <summary>Adds a synchronous handler of cache changes. Add every handler before <see cref="RunAsync"/>.</summary>
    /// <param name="handler">Called once per change, in order.</param>
    /// <exception cref="InvalidOperationException">The informer is already running.</exception>
    public void AddHandler(Action<InformerEvent> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        AddHandler((e, _) =>
        {
            handler(e);
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>Completes when the first list is in the cache and its Added handlers have run.</summary>
    /// <param name="cancellationToken">Stops waiting (the informer keeps running).</param>
    /// <exception cref="ControlPlaneClientException">The informer stopped before it synced, with this error.</exception>
    /// <exception cref="OperationCanceledException">The wait, or the informer, was cancelled first.</exception>
    public Task WaitForSyncAsync(CancellationToken cancellationToken = default) => _synced.Task.WaitAsync(cancellationToken);

    /// <summary>Lists, then watches and keeps the cache current until <paramref name="cancellationToken"/> is cancelled. Call it once.</summary>
    /// <param name="cancellationToken">Stops the informer.</param>
    /// <exception cref="OperationCanceledException">The informer was stopped (the normal end).</exception>
    /// <exception cref="ControlPlaneClientException">The cluster refused the list or watch for good (an invalid selector, say).</exception>
    /// <exception cref="InvalidOperationException">RunAsync was already called.</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0) throw new InvalidOperationException("RunAsync was already called: an informer runs once");
        try
        {
            await RunCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _synced.TrySetCanceled(cancellationToken);
            throw;
        }
        catch (Exception ex)
        {
            _synced.TrySetException(ex);
            throw;
        }
    }

    private async Task RunCoreAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        var expiredInARow = 0;
        while (true)
        {
            ResourceList? list = null;
            try
            {
                // Unpaginated: later pages would come from a later state than the list's resourceVersion.
                list = await _client.ListAsync(_options.ApiVersion, _options.Kind, _options.Namespace, _options.LabelSelector, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (ControlPlaneClientException ex) when (RetryPolicy.IsResumable(ex))
            {
                await BackOffAsync("list", ex, ++failures, cancellationToken).ConfigureAwait(false);
                continue;
            }

            failures = 0;
            await ReplaceAsync(list, cancellationToken).ConfigureAwait(false);
            ClientLog.InformerListed(_logger, _options.Kind, list.Items.Count, list.ResourceVersion);

            // Watch until the position expires; other failures resume from the last position.
            while (true)
            {
                var (error, progressed) = await WatchAsync(cancellationToken).ConfigureAwait(false);
                if (progressed) failures = 0;
                if (error is ExpiredException expired)
                {
                    ClientLog.InformerRelisting(_logger, _options.Kind, LastSyncResourceVersion ?? string.Empty, expired.OldestResourceVersion ?? "unknown");
                    // Re-list at once; only a position that expires again straight after a list waits first.
                    if (++expiredInARow > 1) await Task.Delay(Backoff(expiredInARow - 1), _time, cancellationToken).ConfigureAwait(false);
                    break;
                }

                expiredInARow = 0;
                await BackOffAsync("watch", error, ++failures, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Watches from the cache's position and applies every batch; returns the error that ended the watch and whether any batch came first.</summary>
    private async Task<(ControlPlaneClientException Error, bool Progressed)> WatchAsync(CancellationToken cancellationToken)
    {
        var request = new WatchRequest(_options.ApiVersion, _options.Kind)
        {
            Namespace = _options.Namespace,
            LabelSelector = _options.LabelSelector,
            FromResourceVersion = LastSyncResourceVersion,
            AllowBookmarks = true,

            // The cache holds the old object, so the stream need not carry it.
            OmitPreviousObject = true,
            CoalesceCommits = true,
        };
        var watch = _client.WatchAsync(request, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var progressed = false;
        await using (watch.ConfigureAwait(false))
        {
            while (true)
            {
                // Only the client's own failures are caught here: a handler's exception ends the informer.
                try
                {
                    if (!await watch.MoveNextAsync().ConfigureAwait(false))
                        return (new ControlPlaneClientException(ErrorReason.Unavailable, "the watch ended"), progressed);
                }
                catch (ControlPlaneClientException ex) when (ex is ExpiredException || RetryPolicy.IsResumable(ex))
                {
                    return (ex, progressed);
                }

                progressed = true;
                await ApplyAsync(watch.Current, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Takes a list as the new cache and reports what changed against the old one.</summary>
    private async Task ReplaceAsync(ResourceList list, CancellationToken cancellationToken)
    {
        var next = new Dictionary<(string, string), JsonObject>(list.Items.Count);
        foreach (var item in list.Items) next[KeyOf(item)] = item;
        var changes = new List<InformerEvent>();
        lock (_lock)
        {
            foreach (var (key, old) in _cache)
            {
                if (!next.ContainsKey(key)) changes.Add(new InformerEvent(InformerEventType.Deleted, old, null, list.ResourceVersion));
            }

            foreach (var item in list.Items)
            {
                if (!_cache.TryGetValue(KeyOf(item), out var old))
                    changes.Add(new InformerEvent(InformerEventType.Added, item, null, list.ResourceVersion));
                else if (ResourceVersionOf(old) != ResourceVersionOf(item))
                    changes.Add(new InformerEvent(InformerEventType.Updated, item, old, list.ResourceVersion));
            }

            _cache = next;
            _lastSyncResourceVersion = list.ResourceVersion;
        }

        await NotifyAsync(changes, cancellationToken).ConfigureAwait(false);
        _synced.TrySetResult();
    }

    /// <summary>Applies one batch (one or more commits, or a bookmark) to the cache at once, then runs the handlers.</summary>
    private async Task ApplyAsync(WatchEventBatch batch, CancellationToken cancellationToken)
    {
        var changes = new List<InformerEvent>(batch.Events.Count);
        lock (_lock)
        {
            foreach (var e in batch.Events)
            {
                var key = (e.Namespace, e.Name);
                _cache.TryGetValue(key, out var old);
                if (e.Type == WatchEventType.Deleted)
                {
                    if (_cache.Remove(key)) changes.Add(new InformerEvent(InformerEventType.Deleted, e.Object, null, batch.ResourceVersion));
                }
                else
                {
                    _cache[key] = e.Object;
                    changes.Add(old is null
                        ? new InformerEvent(InformerEventType.Added, e.Object, null, batch.ResourceVersion)
                        : new InformerEvent(InformerEventType.Updated, e.Object, old, batch.ResourceVersion));
                }
            }

            _lastSyncResourceVersion = batch.ResourceVersion;
        }

        await NotifyAsync(changes, cancellationToken).ConfigureAwait(false);
    }

    private async Task NotifyAsync(List<InformerEvent> changes, CancellationToken cancellationToken)
    {
        foreach (var change in changes)
        {
            foreach (var handler in _handlers) await handler(change, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task BackOffAsync(string operation, ControlPlaneClientException error, int failures, CancellationToken cancellationToken)
    {
        var delay = Backoff(failures);
        ClientLog.InformerRetrying(_logger, _options.Kind, operation, error.Reason, error.Message, (long)delay.TotalMilliseconds);
        await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
    }

    private TimeSpan Backoff(int failures)
    {
        var ticks = _options.RetryDelay.Ticks * Math.Pow(2, Math.Clamp(failures - 1, 0, 30));
        return ticks >= _options.MaxRetryDelay.Ticks ? _options.MaxRetryDelay : TimeSpan.FromTicks((long)ticks);
    }

    private static (string, string) KeyOf(JsonObject obj) =>
        (WatchEvent.MetadataString(obj, "namespace"), WatchEvent.MetadataString(obj, "name"));

    private static string ResourceVersionOf(JsonObject obj) => WatchEvent.MetadataString(obj, "resourceVersion");
}
