using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using ControlPlane.Contracts.V1;
using Google.Protobuf;

namespace ControlPlane.Client;

public sealed partial class ControlPlaneClient
{
    /// <inheritdoc />
    public async Task<ResourceResult> GetAsync(string apiVersion, string kind, string? @namespace, string name, ReadConsistency? read = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiVersion);
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var request = new GetResourceRequest
        {
            Ref = new ObjectReference(apiVersion, kind, @namespace ?? string.Empty, name).ToProto(),
            Read = (read ?? ReadConsistency.Linearizable).ToProto(),
        };
        var response = await InvokeAsync("Get", (c, o) => c.Resources.GetResourceAsync(request, o), cancellationToken, mayRunTwice: true).ConfigureAwait(false);
        return new ResourceResult(response.Object.Memory, response.AppliedIndex, "Get");
    }

    /// <inheritdoc />
    public async Task<ResourceList> ListAsync(string apiVersion, string kind, string? @namespace = null, string? labelSelector = null, int limit = 0, string? continueToken = null, ReadConsistency? read = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiVersion);
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var request = new ListResourcesRequest
        {
            ApiVersion = apiVersion,
            Kind = kind,
            Namespace = @namespace ?? string.Empty,
            LabelSelector = labelSelector ?? string.Empty,
            Limit = limit,
            ContinueToken = continueToken ?? string.Empty,
            Read = (read ?? ReadConsistency.Linearizable).ToProto(),
        };
        var response = await InvokeAsync("List", (c, o) => c.Resources.ListResourcesAsync(request, o), cancellationToken, mayRunTwice: true).ConfigureAwait(false);
        return new ResourceList(
            new LazyJsonObjectList(response.Items, "List"),
            response.ResourceVersion,
            string.IsNullOrEmpty(response.ContinueToken) ? null : response.ContinueToken,
            response.RemainingItemCount);
    }

    /// <inheritdoc />
    public Task<WriteResult> CreateAsync(JsonObject obj, WriteRequestOptions? options = null, CancellationToken cancellationToken = default) =>
        CreateAsync(Serialize(obj), options, cancellationToken);

    /// <inheritdoc />
    public Task<WriteResult> CreateAsync(ReadOnlyMemory<byte> json, WriteRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = new CreateResourceRequest { Object = ByteString.CopyFrom(json.Span), Options = ToProto(options) };
        return WriteAsync("Create", request.Options, (c, o) => c.Resources.CreateResourceAsync(request, o), cancellationToken);
    }

    /// <inheritdoc />
    public Task<WriteResult> ApplyAsync(JsonObject obj, string? expectedResourceVersion = null, WriteRequestOptions? options = null, CancellationToken cancellationToken = default) =>
        ApplyAsync(Serialize(obj), expectedResourceVersion, options, cancellationToken);

    /// <inheritdoc />
    public Task<WriteResult> ApplyAsync(ReadOnlyMemory<byte> json, string? expectedResourceVersion = null, WriteRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = new UpdateResourceRequest
        {
            Object = ByteString.CopyFrom(json.Span),
            ExpectedResourceVersion = expectedResourceVersion ?? string.Empty,
            Options = ToProto(options),
        };
        return WriteAsync("Apply", request.Options, (c, o) => c.Resources.UpdateResourceAsync(request, o), cancellationToken);
    }

    /// <inheritdoc />
    public Task<WriteResult> PatchAsync(ObjectReference reference, JsonObject mergePatch, string? expectedResourceVersion = null, WriteRequestOptions? options = null, CancellationToken cancellationToken = default) =>
        PatchAsync(reference, Serialize(mergePatch), expectedResourceVersion, options, cancellationToken);

    /// <inheritdoc />
    public Task<WriteResult> PatchAsync(ObjectReference reference, ReadOnlyMemory<byte> mergePatch, string? expectedResourceVersion = null, WriteRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var request = new PatchResourceRequest
        {
            Ref = reference.ToProto(),
            MergePatch = ByteString.CopyFrom(mergePatch.Span),
            ExpectedResourceVersion = expectedResourceVersion ?? string.Empty,
            Options = ToProto(options),
        };
        return WriteAsync("Patch", request.Options, (c, o) => c.Resources.PatchResourceAsync(request, o), cancellationToken);
    }

    /// <inheritdoc />
    public Task<WriteResult> UpdateStatusAsync(ObjectReference reference, JsonNode? status, string? expectedResourceVersion = null, WriteRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var request = new UpdateResourceStatusRequest
        {
            Ref = reference.ToProto(),
            Status = UnsafeByteOperations.UnsafeWrap(Serialize(status)),
            ExpectedResourceVersion = expectedResourceVersion ?? string.Empty,
            Options = ToProto(options),
        };
        return WriteAsync("UpdateStatus", request.Options, (c, o) => c.Resources.UpdateResourceStatusAsync(request, o), cancellationToken);
    }

    /// <inheritdoc />
    public Task<WriteResult> DeleteAsync(ObjectReference reference, string? expectedResourceVersion = null, WriteRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var request = new DeleteResourceRequest
        {
            Ref = reference.ToProto(),
            ExpectedResourceVersion = expectedResourceVersion ?? string.Empty,
            Options = ToProto(options),
        };
        return WriteAsync("Delete", request.Options, (c, o) => c.Resources.DeleteResourceAsync(request, o), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DiscoveredKind>> ListKindsAsync(ReadConsistency? read = null, CancellationToken cancellationToken = default)
    {
        var request = new ListKindsRequest { Read = (read ?? ReadConsistency.Linearizable).ToProto() };
        var response = await InvokeAsync("ListKinds", (c, o) => c.Resources.ListKindsAsync(request, o), cancellationToken, mayRunTwice: true).ConfigureAwait(false);
        return response.Kinds.Select(k => new DiscoveredKind(k.ApiVersion, k.Kind, k.Count, k.Namespaced)).ToList();
    }

    private async Task<WriteResult> WriteAsync(
        string operation,
        Contracts.V1.WriteOptions writeOptions,
        Func<EndpointConnection, Grpc.Core.CallOptions, Grpc.Core.AsyncUnaryCall<WriteResourceResponse>> call,
        CancellationToken cancellationToken)
    {
        // Every attempt carries writeOptions.RequestId, which the server deduplicates: a write whose answer was lost
        // with the connection is safe to send to another member.
        var response = await InvokeAsync(operation, call, cancellationToken, mayRunTwice: true, toLeader: true).ConfigureAwait(false);
        return new WriteResult(ToOutcome(response.Outcome), response.ResourceVersion, response.Object.Memory, writeOptions.RequestId, operation);
    }

    /// <summary>The request id is fixed here, once per logical call, so that every retry carries the same one.</summary>
    private Contracts.V1.WriteOptions ToProto(WriteRequestOptions? options) => new()
    {
        RequestId = string.IsNullOrEmpty(options?.RequestId) ? Guid.NewGuid().ToString("N") : options.RequestId,
        Reason = (Contracts.V1.Reason)(int)(options?.Reason ?? _options.DefaultWriteReason),
    };

    private static WriteOutcome ToOutcome(Outcome outcome) => outcome switch
    {
        Outcome.Created => WriteOutcome.Created,
        Outcome.Replaced => WriteOutcome.Replaced,
        Outcome.Patched => WriteOutcome.Patched,
        Outcome.Deleted => WriteOutcome.Deleted,
        Outcome.NoOp => WriteOutcome.NoOp,
        Outcome.StatusUpdated => WriteOutcome.StatusUpdated,
        _ => WriteOutcome.Unspecified,
    };

    private static byte[] Serialize(JsonNode? node)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            if (node is null) writer.WriteNullValue();
            else node.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
