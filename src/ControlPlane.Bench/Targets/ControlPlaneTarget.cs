using System.Globalization;
using System.Runtime.CompilerServices;
using ControlPlane.Bench.Scenarios;
using ControlPlane.Client;

namespace ControlPlane.Bench.Targets;

/// <summary>
/// Drives ControlPlane through the SDK (ControlPlane.Client), as applications do: its failover, retries of what is
/// safe to retry, and a request id on every write (the server deduplicates with it). One client per endpoint, each
/// starting at its own endpoint, so simulated clients spread over the members round-robin as they do for etcd.
/// The SDK parses objects only when asked, so reading <c>RawObject</c> and <c>ResourceVersion</c> here costs what the
/// raw gRPC client (<see cref="ControlPlaneGrpcTarget"/>) costs.
/// </summary>
public sealed class ControlPlaneTarget : IBenchTarget
{
    private readonly ControlPlaneClient[] _clients;

    public ControlPlaneTarget(IReadOnlyList<Uri> endpoints, TimeSpan callTimeout)
    {
        if (endpoints.Count == 0) throw new ArgumentException("at least one endpoint is needed", nameof(endpoints));
        _clients = new ControlPlaneClient[endpoints.Count];
        for (var i = 0; i < endpoints.Count; i++)
        {
            var options = new ControlPlaneClientOptions
            {
                CallTimeout = callTimeout,
                AttemptTimeout = callTimeout,
                MaxReceiveMessageBytes = 256 << 20,
                DefaultWriteReason = WriteReason.Operator,
            };
            for (var k = 0; k < endpoints.Count; k++) options.Endpoints.Add(endpoints[(i + k) % endpoints.Count].ToString().TrimEnd('/'));
            _clients[i] = new ControlPlaneClient(options);
        }
    }

    public async Task<long> PutAsync(int client, string name, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        var result = await Pick(client).ApplyAsync(json, cancellationToken: cancellationToken);
        return ParseVersion(result.ResourceVersion);
    }

    public async Task<UpdateResult> UpdateAsync(int client, string name, ReadOnlyMemory<byte> json, long expectedVersion, CancellationToken cancellationToken)
    {
        try
        {
            var result = await Pick(client).ApplyAsync(json, expectedVersion.ToString(CultureInfo.InvariantCulture), cancellationToken: cancellationToken);
            return new UpdateResult(true, ParseVersion(result.ResourceVersion));
        }
        catch (ConflictException)
        {
            return new UpdateResult(false, 0);
        }
    }

    public async Task<ReadResult> GetAsync(int client, string name, bool linearizable, CancellationToken cancellationToken)
    {
        try
        {
            var result = await Pick(client).GetAsync(
                BenchObjects.ApiVersion, BenchObjects.Kind, BenchObjects.Namespace, name, Read(linearizable), cancellationToken);
            return result.ResourceVersion.Length > 0
                ? new ReadResult(true, ParseVersion(result.ResourceVersion), result.RawObject.Length)
                : throw new InvalidDataException($"{name}: the object has no metadata.resourceVersion");
        }
        catch (NotFoundException)
        {
            return new ReadResult(false, 0, 0);
        }
    }

    public async Task<ListPage> ListAsync(int client, int limit, bool linearizable, CancellationToken cancellationToken)
    {
        var page = await Pick(client).ListAsync(
            BenchObjects.ApiVersion, BenchObjects.Kind, BenchObjects.Namespace, limit: limit, read: Read(linearizable), cancellationToken: cancellationToken);
        return new ListPage(page.Items.Count, ParseVersion(page.ResourceVersion));
    }

    public async IAsyncEnumerable<WatchDelivery> WatchAsync(int client, long afterVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new WatchRequest(BenchObjects.ApiVersion, BenchObjects.Kind)
        {
            Namespace = BenchObjects.Namespace,
            FromResourceVersion = afterVersion > 0 ? afterVersion.ToString(CultureInfo.InvariantCulture) : null,
            AllowBookmarks = true, // the first bookmark confirms the watch is established

            // As the etcd target watches: without prev_kv, one object per event.
            OmitPreviousObject = true,

            // As etcd's watch batches the events waiting for a watcher.
            CoalesceCommits = true,
        };
        var established = false;
        await foreach (var batch in Pick(client).WatchAsync(request, cancellationToken))
        {
            if (!established)
            {
                established = true;
                yield return WatchDelivery.EstablishedMarker;
            }

            foreach (var e in batch.Events)
            {
                yield return new WatchDelivery(false, e.RawObject);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }
    }

    private ControlPlaneClient Pick(int client) => Channels.Pick(_clients, client);

    private static long ParseVersion(string text) => long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    private static ReadConsistency Read(bool linearizable) => linearizable ? ReadConsistency.Linearizable : ReadConsistency.Local;
}
