using System.Globalization;
using System.Runtime.CompilerServices;
using ControlPlane.Bench.Scenarios;
using ControlPlane.Contracts.V1;
using Google.Protobuf;
using Grpc.Core;

namespace ControlPlane.Bench.Targets;

/// <summary>
/// Drives ControlPlane through the generated gRPC client of ControlPlane.Contracts, without the SDK (target
/// <c>controlplane-grpc</c>): the baseline that shows what the SDK (<see cref="ControlPlaneTarget"/>) costs per call.
/// </summary>
public sealed class ControlPlaneGrpcTarget(IReadOnlyList<Uri> endpoints, TimeSpan callTimeout) : IBenchTarget
{
    private readonly Channels _channels = new(endpoints);
    private ResourceService.ResourceServiceClient[]? _clients;

    public async Task<long> PutAsync(int client, string name, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        var response = await Resources(client).UpdateResourceAsync(
            new UpdateResourceRequest { Object = UnsafeByteOperations.UnsafeWrap(json) }, Call(cancellationToken));
        return long.Parse(response.ResourceVersion, CultureInfo.InvariantCulture);
    }

    public async Task<UpdateResult> UpdateAsync(int client, string name, ReadOnlyMemory<byte> json, long expectedVersion, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Resources(client).UpdateResourceAsync(
                new UpdateResourceRequest
                {
                    Object = UnsafeByteOperations.UnsafeWrap(json),
                    ExpectedResourceVersion = expectedVersion.ToString(CultureInfo.InvariantCulture),
                },
                Call(cancellationToken));
            return new UpdateResult(true, long.Parse(response.ResourceVersion, CultureInfo.InvariantCulture));
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Aborted)
        {
            return new UpdateResult(false, 0);
        }
    }

    public async Task<ReadResult> GetAsync(int client, string name, bool linearizable, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Resources(client).GetResourceAsync(
                new GetResourceRequest { Ref = Ref(name), Read = Read(linearizable) }, Call(cancellationToken));
            var span = response.Object.Span;
            return BenchObjects.TryReadResourceVersion(span, out var version)
                ? new ReadResult(true, version, span.Length)
                : throw new InvalidDataException($"{name}: the object has no metadata.resourceVersion");
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return new ReadResult(false, 0, 0);
        }
    }

    public async Task<ListPage> ListAsync(int client, int limit, bool linearizable, CancellationToken cancellationToken)
    {
        var response = await Resources(client).ListResourcesAsync(
            new ListResourcesRequest
            {
                ApiVersion = BenchObjects.ApiVersion,
                Kind = BenchObjects.Kind,
                Namespace = BenchObjects.Namespace,
                Limit = limit,
                Read = Read(linearizable),
            },
            Call(cancellationToken));
        return new ListPage(response.Items.Count, long.Parse(response.ResourceVersion, CultureInfo.InvariantCulture));
    }

    public async IAsyncEnumerable<WatchDelivery> WatchAsync(int client, long afterVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var call = Resources(client).WatchResources(
            new WatchResourcesRequest
            {
                ApiVersion = BenchObjects.ApiVersion,
                Kind = BenchObjects.Kind,
                Namespace = BenchObjects.Namespace,
                ResourceVersion = afterVersion > 0 ? afterVersion.ToString(CultureInfo.InvariantCulture) : string.Empty,
                AllowBookmarks = true, // the first bookmark confirms the watch is established
                OmitPreviousObject = true, // as the etcd target: without prev_kv
                CoalesceCommits = true, // as etcd's watch batches the events waiting for a watcher
            },
            cancellationToken: cancellationToken);
        var established = false;
        await foreach (var message in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            if (!established)
            {
                established = true;
                yield return WatchDelivery.EstablishedMarker;
            }

            foreach (var e in message.Events)
            {
                yield return new WatchDelivery(false, e.Object.Memory);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _channels.Dispose();
        return ValueTask.CompletedTask;
    }

    private ResourceService.ResourceServiceClient Resources(int client) =>
        Channels.Pick(_clients ??= _channels.Create(c => new ResourceService.ResourceServiceClient(c)), client);

    private CallOptions Call(CancellationToken cancellationToken) => new(deadline: DateTime.UtcNow + callTimeout, cancellationToken: cancellationToken);

    private static ResourceRef Ref(string name) => new() { ApiVersion = BenchObjects.ApiVersion, Kind = BenchObjects.Kind, Namespace = BenchObjects.Namespace, Name = name };

    private static ReadOptions Read(bool linearizable) => new() { Mode = linearizable ? ReadMode.Linearizable : ReadMode.Local };
}
