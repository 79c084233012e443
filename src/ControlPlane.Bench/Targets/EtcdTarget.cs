using System.Runtime.CompilerServices;
using System.Text;
using ControlPlane.Bench.Etcd;
using ControlPlane.Bench.Scenarios;
using Google.Protobuf;
using Grpc.Core;

namespace ControlPlane.Bench.Targets;

/// <summary>
/// Drives etcd v3 through its gRPC KV and Watch services, storing objects the way the Kubernetes API
/// server does: one key per object under a per-kind prefix, optimistic updates as a Txn comparing the
/// key's mod revision, lists as a prefix range.
/// </summary>
public sealed class EtcdTarget : IBenchTarget
{
    private static readonly string Prefix = $"/registry/{BenchObjects.ApiVersion.Split('/')[0]}/benchobjects/{BenchObjects.Namespace}/";
    private static readonly ByteString PrefixBytes = ByteString.CopyFromUtf8(Prefix);
    private static readonly ByteString PrefixEnd = RangeEnd(Prefix);

    private readonly Channels _channels;
    private readonly KV.KVClient[] _kv;
    private readonly Watch.WatchClient[] _watch;
    private readonly TimeSpan _callTimeout;

    public EtcdTarget(IReadOnlyList<Uri> endpoints, TimeSpan callTimeout)
    {
        _channels = new Channels(endpoints);
        _kv = _channels.Create(c => new KV.KVClient(c));
        _watch = _channels.Create(c => new Watch.WatchClient(c));
        _callTimeout = callTimeout;
    }

    public async Task<long> PutAsync(int client, string name, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        var response = await Channels.Pick(_kv, client).PutAsync(
            new PutRequest { Key = Key(name), Value = UnsafeByteOperations.UnsafeWrap(json) }, Call(cancellationToken));
        return response.Header.Revision;
    }

    public async Task<UpdateResult> UpdateAsync(int client, string name, ReadOnlyMemory<byte> json, long expectedVersion, CancellationToken cancellationToken)
    {
        var key = Key(name);
        var request = new TxnRequest
        {
            Compare = { new Compare { Key = key, Target = Compare.Types.CompareTarget.Mod, Result = Compare.Types.CompareResult.Equal, ModRevision = expectedVersion } },
            Success = { new RequestOp { RequestPut = new PutRequest { Key = key, Value = UnsafeByteOperations.UnsafeWrap(json) } } },
        };
        var response = await Channels.Pick(_kv, client).TxnAsync(request, Call(cancellationToken));
        return new UpdateResult(response.Succeeded, response.Succeeded ? response.Header.Revision : 0);
    }

    public async Task<ReadResult> GetAsync(int client, string name, bool linearizable, CancellationToken cancellationToken)
    {
        var response = await Channels.Pick(_kv, client).RangeAsync(
            new RangeRequest { Key = Key(name), Serializable = !linearizable }, Call(cancellationToken));
        return response.Kvs.Count == 0 ? new ReadResult(false, 0, 0) : new ReadResult(true, response.Kvs[0].ModRevision, response.Kvs[0].Value.Length);
    }

    public async Task<ListPage> ListAsync(int client, int limit, bool linearizable, CancellationToken cancellationToken)
    {
        var response = await Channels.Pick(_kv, client).RangeAsync(
            new RangeRequest { Key = PrefixBytes, RangeEnd = PrefixEnd, Limit = limit, Serializable = !linearizable }, Call(cancellationToken));
        return new ListPage(response.Kvs.Count, response.Header.Revision);
    }

    public async IAsyncEnumerable<WatchDelivery> WatchAsync(int client, long afterVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var call = Channels.Pick(_watch, client).Watch(cancellationToken: cancellationToken);
        await call.RequestStream.WriteAsync(
            new WatchRequest
            {
                CreateRequest = new WatchCreateRequest { Key = PrefixBytes, RangeEnd = PrefixEnd, StartRevision = afterVersion > 0 ? afterVersion + 1 : 0 },
            },
            cancellationToken);
        await foreach (var response in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            if (response.Canceled)
            {
                throw new InvalidOperationException($"etcd cancelled the watch: {response.CancelReason} (compact revision {response.CompactRevision})");
            }

            if (response.Created) yield return WatchDelivery.EstablishedMarker;
            foreach (var e in response.Events)
            {
                yield return new WatchDelivery(false, e.Kv.Value.Memory);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _channels.Dispose();
        return ValueTask.CompletedTask;
    }

    private static ByteString Key(string name) => ByteString.CopyFromUtf8(Prefix + name);

    /// <summary>The end of the range holding every key with this prefix: the prefix with its last byte incremented.</summary>
    private static ByteString RangeEnd(string prefix)
    {
        var bytes = Encoding.UTF8.GetBytes(prefix);
        bytes[^1]++;
        return ByteString.CopyFrom(bytes);
    }

    private CallOptions Call(CancellationToken cancellationToken) => new(deadline: DateTime.UtcNow + _callTimeout, cancellationToken: cancellationToken);
}
