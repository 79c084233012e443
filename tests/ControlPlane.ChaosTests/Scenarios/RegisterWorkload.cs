using System.Globalization;
using System.Text.Json.Nodes;
using ControlPlane.Client;
using ControlPlane.Testing.Checkers;

namespace ControlPlane.ChaosTests.Scenarios;

/// <summary>
/// Concurrent SDK clients running a per-key register workload (creates, unconditional and conditional Puts,
/// linearizable Gets, Deletes) against the cluster's published gRPC endpoints, recording every operation in a
/// <see cref="HistoryRecorder"/>. Every write carries a unique value and request id. Keys are ConfigMaps in one
/// namespace of their own; each key slot moves to a fresh key after <see cref="OpsPerKey"/> operations, so the
/// linearizability search stays cheap however many operations a fault makes indeterminate.
/// </summary>
public sealed class RegisterWorkload
{
    public const string ApiVersion = "v1";
    public const string Kind = "ConfigMap";
    public const int OpsPerKey = 200;

    private readonly IReadOnlyList<string> _endpoints;
    private readonly Random _random;
    private readonly int[] _slotOps;
    private readonly int[] _slotGeneration;
    private readonly Lock _gate = new();
    private long _writes;
    private int _rejected;
    private int _ok;

    /// <param name="endpoints">The gRPC endpoints the clients use; client i starts at endpoint i (mod count) and fails over in order.</param>
    /// <param name="runTag">A lowercase alphanumeric tag that makes the namespace and request ids unique to this run.</param>
    /// <param name="random">The run's randomness (seeded), used for the operation mix.</param>
    public RegisterWorkload(IReadOnlyList<string> endpoints, string runTag, Random random, int clients = 4, int keySlots = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(endpoints.Count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(clients, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(keySlots, 1);
        _endpoints = endpoints;
        _random = random;
        Clients = clients;
        RunTag = runTag;
        Namespace = $"chaos-{runTag}";
        _slotOps = new int[keySlots];
        _slotGeneration = new int[keySlots];
    }

    public HistoryRecorder Recorder { get; } = new();

    public int Clients { get; }

    public string RunTag { get; }

    /// <summary>Every key of this workload lives here and nothing else does.</summary>
    public string Namespace { get; }

    /// <summary>Operations refused as invalid, too large or forbidden: the workload is well-formed, so any is a bug.</summary>
    public int RejectedCount => Volatile.Read(ref _rejected);

    /// <summary>Operations answered Ok so far (reads included).</summary>
    public int OkCount => Volatile.Read(ref _ok);

    /// <summary>The client settings of the workload: short deadlines, so that a dead member costs seconds, not the default 30 s.</summary>
    public ControlPlaneClientOptions ClientOptions(int client)
    {
        var options = new ControlPlaneClientOptions
        {
            CallTimeout = TimeSpan.FromSeconds(6),
            AttemptTimeout = TimeSpan.FromSeconds(2),
            ConnectTimeout = TimeSpan.FromSeconds(1),
            MaxAttempts = 5,
            RetryBackoffMax = TimeSpan.FromMilliseconds(500),
        };
        for (var i = 0; i < _endpoints.Count; i++)
        {
            options.Endpoints.Add(_endpoints[(client + i) % _endpoints.Count]);
        }

        return options;
    }

    /// <summary>Runs every client until <paramref name="cancellationToken"/> is cancelled; an operation in flight then is recorded as indeterminate.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, Clients).Select(c => Task.Run(() => RunClientAsync(c, cancellationToken), CancellationToken.None)));

    private async Task RunClientAsync(int client, CancellationToken cancellationToken)
    {
        // A member removed from the cluster answers UNAVAILABLE, so the SDK itself moves on to another endpoint.
        var sdk = new ControlPlaneClient(ClientOptions(client));
        var known = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
        while (!cancellationToken.IsCancellationRequested)
        {
            var (key, roll) = Next();
            known.TryGetValue(key, out var rv);
            var step = roll switch
            {
                < 30 => ReadAsync(sdk, client, key, known, cancellationToken),
                < 55 => PutAsync(sdk, client, key, null, known, cancellationToken),
                < 75 when rv > 0 => PutAsync(sdk, client, key, rv, known, cancellationToken),
                < 75 => ReadAsync(sdk, client, key, known, cancellationToken),
                < 87 => CreateAsync(sdk, client, key, known, cancellationToken),
                _ => DeleteAsync(sdk, client, key, known, cancellationToken),
            };
            await step;
        }
        }
        finally
        {
            await sdk.DisposeAsync();
        }
    }

    /// <summary>Picks a key slot and the operation roll (0-99); rotates the slot to a fresh key every <see cref="OpsPerKey"/> operations.</summary>
    private (string Key, int Roll) Next()
    {
        lock (_gate)
        {
            var slot = _random.Next(_slotOps.Length);
            if (++_slotOps[slot] > OpsPerKey)
            {
                _slotOps[slot] = 1;
                _slotGeneration[slot]++;
            }

            return (string.Create(CultureInfo.InvariantCulture, $"k{slot}-{_slotGeneration[slot]}"), _random.Next(100));
        }
    }

    private async Task ReadAsync(ControlPlaneClient sdk, int client, string key, Dictionary<string, long> known, CancellationToken cancellationToken)
    {
        var op = Recorder.Invoke(client, key, OperationKind.Read);
        try
        {
            var result = await sdk.GetAsync(ApiVersion, Kind, Namespace, key, ReadConsistency.Linearizable, cancellationToken);
            var rv = ParseVersion(result.ResourceVersion);
            op.CompleteRead(ValueOf(result.Object), rv);
            Interlocked.Increment(ref _ok);
            known[key] = rv;
        }
        catch (NotFoundException)
        {
            op.CompleteRead(null, null);
            Interlocked.Increment(ref _ok);
            known.Remove(key);
        }
        catch (Exception e) when (IsClientFailure(e))
        {
            // A read that got no answer says nothing; the checkers ignore it.
            op.CompleteIndeterminate(Describe(e));
        }
    }

    private async Task PutAsync(
        ControlPlaneClient sdk, int client, string key, long? expected, Dictionary<string, long> known, CancellationToken cancellationToken)
    {
        var (value, options) = NewWrite();
        var op = Recorder.Invoke(client, key, expected is null ? OperationKind.Write : OperationKind.ConditionalWrite, value, expected, options.RequestId);
        await CompleteWriteAsync(op, key, known, () => sdk.ApplyAsync(Object(key, value), expected?.ToString(CultureInfo.InvariantCulture), options, cancellationToken));
    }

    private async Task CreateAsync(ControlPlaneClient sdk, int client, string key, Dictionary<string, long> known, CancellationToken cancellationToken)
    {
        var (value, options) = NewWrite();
        var op = Recorder.Invoke(client, key, OperationKind.Create, value, requestId: options.RequestId);
        await CompleteWriteAsync(op, key, known, () => sdk.CreateAsync(Object(key, value), options, cancellationToken));
    }

    private async Task DeleteAsync(ControlPlaneClient sdk, int client, string key, Dictionary<string, long> known, CancellationToken cancellationToken)
    {
        var (_, options) = NewWrite();
        var op = Recorder.Invoke(client, key, OperationKind.Delete, requestId: options.RequestId);
        await CompleteWriteAsync(op, key, known, () => sdk.DeleteAsync(new ObjectReference(ApiVersion, Kind, Namespace, key), null, options, cancellationToken));
    }

    /// <summary>
    /// Classifies a write's answer: Ok with its resourceVersion; Conflict, AlreadyExists and NotFound as definite
    /// failures judged against the register (with the current resourceVersion the server reported); invalid, too
    /// large or forbidden as Rejected; anything else (Unavailable, deadline, lost connection, cancellation) as
    /// indeterminate: it may still take effect.
    /// </summary>
    private async Task CompleteWriteAsync(PendingOperation op, string key, Dictionary<string, long> known, Func<Task<WriteResult>> write)
    {
        try
        {
            var result = await write();
            var noOp = result.Outcome == Client.WriteOutcome.NoOp;
            var rv = ParseVersion(result.ResourceVersion);
            op.CompleteOk(rv, noOp);
            Interlocked.Increment(ref _ok);
            if (result.Outcome == Client.WriteOutcome.Deleted || (noOp && result.Object is null)) known.Remove(key);
            else known[key] = rv;
        }
        catch (ControlPlaneClientException e) when (e.Reason is ErrorReason.Conflict or ErrorReason.AlreadyExists or ErrorReason.NotFound)
        {
            var reason = e.Reason switch
            {
                ErrorReason.Conflict => FailureReason.Conflict,
                ErrorReason.AlreadyExists => FailureReason.AlreadyExists,
                _ => FailureReason.NotFound,
            };
            long? current = e.CurrentResourceVersion is { } text ? ParseVersion(text) : null;
            op.CompleteFailed(reason, Describe(e), current);
            if (current > 0) known[key] = current.Value;
        }
        catch (ControlPlaneClientException e) when (e.Reason is ErrorReason.Invalid or ErrorReason.ResourceExhausted
            or ErrorReason.PermissionDenied or ErrorReason.Unauthenticated)
        {
            Interlocked.Increment(ref _rejected);
            op.CompleteFailed(FailureReason.Rejected, Describe(e));
        }
        catch (Exception e) when (IsClientFailure(e))
        {
            op.CompleteIndeterminate(Describe(e));
        }
    }

    private (string Value, WriteRequestOptions Options) NewWrite()
    {
        var n = Interlocked.Increment(ref _writes);
        return (string.Create(CultureInfo.InvariantCulture, $"w{n}"), new WriteRequestOptions { RequestId = $"{RunTag}-{n}" });
    }

    private JsonObject Object(string key, string value) => new()
    {
        ["apiVersion"] = ApiVersion,
        ["kind"] = Kind,
        ["metadata"] = new JsonObject { ["name"] = key, ["namespace"] = Namespace },
        ["spec"] = new JsonObject { ["value"] = value },
    };

    /// <summary>The workload value an object carries (spec.value).</summary>
    public static string ValueOf(JsonObject obj) =>
        obj["spec"]?["value"]?.GetValue<string>() ?? throw new InvalidDataException($"The object has no spec.value: {obj.ToJsonString()}");

    /// <summary>The workload key (metadata.name) and resourceVersion of an object.</summary>
    public static (string Key, long ResourceVersion) KeyOf(JsonObject obj) =>
        (obj["metadata"]?["name"]?.GetValue<string>() ?? throw new InvalidDataException($"The object has no metadata.name: {obj.ToJsonString()}"),
         ParseVersion(obj["metadata"]?["resourceVersion"]?.GetValue<string>() ?? string.Empty));

    public static long ParseVersion(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var rv)
            ? rv
            : throw new InvalidDataException($"A resourceVersion must be a decimal Raft index, got '{text}'.");

    private static bool IsClientFailure(Exception e) => e is ControlPlaneClientException or OperationCanceledException or Grpc.Core.RpcException or HttpRequestException or IOException;

    private static string Describe(Exception e) => e is ControlPlaneClientException c ? $"{c.Reason}: {c.Message}" : $"{e.GetType().Name}: {e.Message}";
}
