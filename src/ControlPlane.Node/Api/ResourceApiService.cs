using System.Globalization;
using ControlPlane.Contracts.V1;
using ControlPlane.Core.Errors;
using ControlPlane.Core.Resources;
using ControlPlane.Core.Selectors;
using ControlPlane.Core.Store;
using ControlPlane.Core.Validation;
using ControlPlane.Core.Watch;
using ControlPlane.Node.Configuration;
using ControlPlane.Replication;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Options;
using ContractWriteOptions = ControlPlane.Contracts.V1.WriteOptions;

namespace ControlPlane.Node.Api;

/// <summary>The public resource API. Validates at the edge, so bad input never reaches the log.</summary>
public sealed class ResourceApiService(
    RaftResourceStore store, WriteCoordinator writes, IOptions<StorageOptions> storage, IHostApplicationLifetime lifetime, TimeProvider time, WatchPacer pacer) : ResourceService.ResourceServiceBase
{
    private const int MaxRequestIdLength = 128;
    private readonly int _maxObjectBytes = storage.Value.MaxObjectBytes;

    public override async Task<GetResourceResponse> GetResource(GetResourceRequest request, ServerCallContext context)
    {
        var key = ApiConversions.ToKey(request.Ref);
        var (resource, applied) = await store.GetAsync(key, ApiConversions.ToConsistency(request.Read), context.CancellationToken);
        if (resource is null) throw new ControlPlaneException(ErrorCode.NotFound, $"{key.Kind} \"{Describe(key)}\" not found");
        return new GetResourceResponse { Object = ApiConversions.ToBytes(resource), AppliedIndex = applied };
    }

    public override async Task<ListResourcesResponse> ListResources(ListResourcesRequest request, ServerCallContext context)
    {
        var kind = ToKind(request.ApiVersion, request.Kind);
        if (request.Namespace.Length > 0 && !NameRules.IsDns1123Label(request.Namespace, out var nsError))
        {
            throw ControlPlaneException.Invalid($"namespace \"{request.Namespace}\": {nsError}");
        }

        if (request.Limit < 0) throw ControlPlaneException.Invalid($"limit must not be negative (got {request.Limit})");
        var query = new ListQuery
        {
            Kind = kind,
            Namespace = request.Namespace.Length > 0 ? request.Namespace : null,
            Selector = LabelSelector.Parse(request.LabelSelector),
            Limit = request.Limit,
            After = request.ContinueToken.Length > 0 ? ApiConversions.DecodeContinue(request.ContinueToken, kind) : null,
        };
        var result = await store.ListAsync(query, ApiConversions.ToConsistency(request.Read), context.CancellationToken);
        var response = new ListResourcesResponse
        {
            ResourceVersion = result.ResourceVersion.ToString(CultureInfo.InvariantCulture),
            ContinueToken = result.Next is { } next ? ApiConversions.EncodeContinue(next) : string.Empty,
            RemainingItemCount = result.RemainingItemCount,
        };
        foreach (var item in result.Items) response.Items.Add(ApiConversions.ToBytes(item));
        return response;
    }

    public override async Task<ListKindsResponse> ListKinds(ListKindsRequest request, ServerCallContext context)
    {
        var view = await store.ReadViewAsync(ApiConversions.ToConsistency(request.Read), context.CancellationToken);
        var response = new ListKindsResponse();
        foreach (var (kind, objects) in view.Kinds)
        {
            response.Kinds.Add(new KindInfo
            {
                ApiVersion = kind.ApiVersion,
                Kind = kind.Kind,
                Count = objects.Count,
                Namespaced = objects.Keys.Any(k => k.Namespace.Length > 0),
            });
        }

        return response;
    }

    public override async Task WatchResources(WatchResourcesRequest request, IServerStreamWriter<WatchResourcesResponse> responseStream, ServerCallContext context)
    {
        var kind = ToKind(request.ApiVersion, request.Kind);
        if (request.Namespace.Length > 0 && !NameRules.IsDns1123Label(request.Namespace, out var nsError))
        {
            throw ControlPlaneException.Invalid($"namespace \"{request.Namespace}\": {nsError}");
        }

        if (request.Name.Length > 0 && !NameRules.IsDns1123Subdomain(request.Name, out var nameError))
        {
            throw ControlPlaneException.Invalid($"name \"{request.Name}\": {nameError}");
        }

        if (request.BookmarkIntervalMs < 0) throw ControlPlaneException.Invalid($"bookmark_interval_ms must not be negative (got {request.BookmarkIntervalMs})");
        var query = new WatchQuery
        {
            Kind = kind,
            Namespace = request.Namespace.Length > 0 ? request.Namespace : null,
            Name = request.Name.Length > 0 ? request.Name : null,
            Selector = LabelSelector.Parse(request.LabelSelector),
            FromResourceVersion = request.ResourceVersion.Length > 0 ? ParseWatchStart(request.ResourceVersion) : null,
            OmitPrevious = request.OmitPreviousObject,
        };
        var interval = TimeSpan.FromMilliseconds(request.BookmarkIntervalMs > 0 ? Math.Max(request.BookmarkIntervalMs, 50) : 5000);

        // The stream ends when the caller goes away or when this node starts shutting down. Kestrel would otherwise
        // wait for the stream until the host's shutdown timeout and then abort it mid-read.
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        using var watcher = store.Watch(query);

        // Idle: promise the watcher that nothing it wants happened up to the latest commit. Sending restarts the timer,
        // so bookmarks come only after the stream was quiet for most of an interval; at most eight restarts an interval,
        // since a busy watch sends a message per commit and each restart takes the timer queue's lock.
        using var idle = request.AllowBookmarks ? time.CreateTimer(static w => ((IResourceWatcher)w!).RequestBookmark(), watcher, interval, interval) : null;
        var restartEvery = interval / 8;
        var restarted = time.GetTimestamp();
        if (request.AllowBookmarks) watcher.RequestBookmark();
        var reader = watcher.ReadAllAsync(ended.Token).GetAsyncEnumerator(ended.Token);
        Task<bool>? pending = null;
        using var paced = request.CoalesceCommits ? pacer.Join() : null;
        try
        {
            var next = Track(reader.MoveNextAsync(), ref pending);
            while (await next)
            {
                var response = WatchResponses.For(reader.Current);
                next = Track(reader.MoveNextAsync(), ref pending);
                if (paced is not null && !response.Bookmark)
                {
                    // Events went out moments ago: let the commits behind this one gather until the lane's tick.
                    if (paced.MustWait()) await paced.NextTickAsync();
                    response = WatchResponses.Coalesce(response, reader, ref next);
                    next = Track(next, ref pending);
                }

                // Messages already queued behind this one go into the same HTTP/2 write: buffer this one and flush with
                // the last, so a watcher that fell behind catches up in few socket writes instead of one per message.
                responseStream.WriteOptions = next.IsCompleted ? BufferedWrite : null;
                await responseStream.WriteAsync(response, ended.Token);
                if (!response.Bookmark) paced?.Sent();
                if (idle is not null && time.GetElapsedTime(restarted) >= restartEvery)
                {
                    idle.Change(interval, interval);
                    restarted = time.GetTimestamp();
                }
            }
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            throw new ControlPlaneException(ErrorCode.Unavailable, "node shutting down; watch again on another member from the last resourceVersion received");
        }
        finally
        {
            // Disposing an async iterator while its MoveNextAsync runs throws: end the read first, then dispose.
            if (pending is { IsCompleted: false })
            {
                await ended.CancelAsync();
                await FinishReadAsync(pending);
            }

            await reader.DisposeAsync();
        }
    }

    /// <summary>A read that completed at once stays a ValueTask; one still running becomes a task that can be awaited twice.</summary>
    private static ValueTask<bool> Track(ValueTask<bool> read, ref Task<bool>? pending)
    {
        if (read.IsCompleted) return read;
        pending = read.AsTask();
        return new ValueTask<bool>(pending);
    }

    private static async Task FinishReadAsync(Task<bool> read)
    {
        try
        {
            await read.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or ControlPlaneException)
        {
            // The call is over; how its last read ended does not matter.
        }
    }

    private static readonly Grpc.Core.WriteOptions BufferedWrite = new(WriteFlags.BufferHint);

    /// <summary>"0" is accepted for a watch start (from the beginning of retained history), unlike a precondition.</summary>
    private static long ParseWatchStart(string text) => text == "0" ? 0 : ObjectValidator.ParseResourceVersion(text, "resource_version");

    public override Task<WriteResourceResponse> CreateResource(CreateResourceRequest request, ServerCallContext context)
    {
        var options = EnsureOptions(request.Options ??= new ContractWriteOptions());
        var (key, _) = ApiConversions.ToObject(request.Object, _maxObjectBytes);
        var write = Build(WriteKind.Put, key, request.Object, 0, options, context) with { CreateOnly = true };
        return writes.ExecuteAsync(write, context, (client, call) => client.CreateResourceAsync(request, call));
    }

    public override Task<WriteResourceResponse> UpdateResource(UpdateResourceRequest request, ServerCallContext context)
    {
        var options = EnsureOptions(request.Options ??= new ContractWriteOptions());
        var (key, fromObject) = ApiConversions.ToObject(request.Object, _maxObjectBytes);
        var expected = ApiConversions.ToExpectedVersion(request.ExpectedResourceVersion);
        if (expected == 0 && fromObject is not null) expected = ObjectValidator.ParseResourceVersion(fromObject, "metadata.resourceVersion");
        var write = Build(WriteKind.Put, key, request.Object, expected, options, context);
        return writes.ExecuteAsync(write, context, (client, call) => client.UpdateResourceAsync(request, call));
    }

    public override Task<WriteResourceResponse> PatchResource(PatchResourceRequest request, ServerCallContext context)
    {
        var options = EnsureOptions(request.Options ??= new ContractWriteOptions());
        var key = ApiConversions.ToKey(request.Ref);
        if (request.MergePatch.IsEmpty) throw ControlPlaneException.Invalid("merge_patch is required");
        if (request.MergePatch.Length > _maxObjectBytes) throw ControlPlaneException.Invalid($"the merge patch is {request.MergePatch.Length} bytes, over the limit of {_maxObjectBytes} bytes");
        ObjectValidator.ParseDocument(request.MergePatch.Memory, "merge patch").Dispose();
        var write = Build(WriteKind.Patch, key, request.MergePatch, ApiConversions.ToExpectedVersion(request.ExpectedResourceVersion), options, context);
        return writes.ExecuteAsync(write, context, (client, call) => client.PatchResourceAsync(request, call));
    }

    public override Task<WriteResourceResponse> UpdateResourceStatus(UpdateResourceStatusRequest request, ServerCallContext context)
    {
        var options = EnsureOptions(request.Options ??= new ContractWriteOptions());
        var key = ApiConversions.ToKey(request.Ref);
        if (request.Status.Length > _maxObjectBytes) throw ControlPlaneException.Invalid($"the status is {request.Status.Length} bytes, over the limit of {_maxObjectBytes} bytes");
        ApiConversions.ValidateJsonValue(request.Status, "status");
        var write = Build(WriteKind.UpdateStatus, key, request.Status, ApiConversions.ToExpectedVersion(request.ExpectedResourceVersion), options, context);
        return writes.ExecuteAsync(write, context, (client, call) => client.UpdateResourceStatusAsync(request, call));
    }

    public override Task<WriteResourceResponse> DeleteResource(DeleteResourceRequest request, ServerCallContext context)
    {
        var options = EnsureOptions(request.Options ??= new ContractWriteOptions());
        var key = ApiConversions.ToKey(request.Ref);
        var write = Build(WriteKind.Delete, key, ByteString.Empty, ApiConversions.ToExpectedVersion(request.ExpectedResourceVersion), options, context);
        return writes.ExecuteAsync(write, context, (client, call) => client.DeleteResourceAsync(request, call));
    }

    /// <summary>Every write gets a request id before anything else, so a forwarded or retried write is applied once.</summary>
    private static ContractWriteOptions EnsureOptions(ContractWriteOptions options)
    {
        if (options.RequestId.Length > MaxRequestIdLength)
        {
            throw ControlPlaneException.Invalid($"request_id is {options.RequestId.Length} characters, more than {MaxRequestIdLength}");
        }

        if (options.RequestId.Length == 0) options.RequestId = Guid.NewGuid().ToString("N");
        return options;
    }

    /// <summary>The write with the client's bytes as its body: validated by the caller, never re-serialized.</summary>
    private WriteRequest Build(WriteKind kind, ResourceKey key, ByteString body, long expected, ContractWriteOptions options, ServerCallContext context) => new()
    {
        Kind = kind,
        Key = key,
        Body = body.Memory,
        ExpectedResourceVersion = expected,
        Reason = ApiConversions.ToReason(options.Reason),
        RequestId = options.RequestId,
        Principal = writes.PrincipalOf(context),
    };

    private static ResourceKind ToKind(string apiVersion, string kind)
    {
        if (string.IsNullOrEmpty(apiVersion)) throw ControlPlaneException.Invalid("api_version is required");
        if (!NameRules.IsApiVersion(apiVersion, out var avError)) throw ControlPlaneException.Invalid($"api_version \"{apiVersion}\": {avError}");
        if (string.IsNullOrEmpty(kind)) throw ControlPlaneException.Invalid("kind is required");
        if (!NameRules.IsKind(kind, out var kindError)) throw ControlPlaneException.Invalid($"kind \"{kind}\": {kindError}");
        return ResourceKind.Create(apiVersion, kind);
    }

    private static string Describe(ResourceKey key) => key.Namespace.Length == 0 ? key.Name : $"{key.Namespace}/{key.Name}";
}
