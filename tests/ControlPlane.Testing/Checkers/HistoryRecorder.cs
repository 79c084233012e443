namespace ControlPlane.Testing.Checkers;

/// <summary>
/// Records a history as workload clients run: <see cref="Invoke"/> before sending a request, one of the
/// <c>Complete*</c> methods of the returned <see cref="PendingOperation"/> when the answer (or the timeout)
/// arrives. Thread-safe; an invocation costs one clock read, one small allocation and one uncontended lock.
/// Times come from <see cref="TimeProvider.GetTimestamp"/> (a Stopwatch for the system provider), so the fault
/// injector should take its timestamps from <see cref="Now"/>. Operations never completed are recorded as
/// indeterminate.
/// </summary>
public sealed class HistoryRecorder
{
    private readonly Lock _gate = new();
    private readonly List<PendingOperation> _operations = [];
    private long _lastId;

    public HistoryRecorder(TimeProvider? timeProvider = null) => Time = timeProvider ?? TimeProvider.System;

    internal TimeProvider Time { get; }

    /// <summary>The current time on the history's clock, e.g. to note when a fault was injected.</summary>
    public long Now => Time.GetTimestamp();

    public int Count
    {
        get
        {
            lock (_gate) return _operations.Count;
        }
    }

    /// <summary>Notes the invocation of an operation and returns the handle its client completes.</summary>
    public PendingOperation Invoke(
        int clientId, string key, OperationKind kind, string? value = null, long? expectedVersion = null, string? requestId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var pending = new PendingOperation(this, new Operation
        {
            Id = Interlocked.Increment(ref _lastId),
            ClientId = clientId,
            Key = key,
            Kind = kind,
            Value = value,
            ExpectedVersion = expectedVersion,
            RequestId = requestId,
            InvokeTicks = Time.GetTimestamp(),
            Outcome = OperationOutcome.Indeterminate,
        });
        lock (_gate) _operations.Add(pending);
        return pending;
    }

    /// <summary>A snapshot of everything recorded so far, in invocation order; pending operations appear indeterminate.</summary>
    public History ToHistory(IReadOnlyDictionary<string, string>? notes = null)
    {
        PendingOperation[] pending;
        lock (_gate) pending = [.. _operations];
        return new History([.. pending.Select(p => p.Current)], Time.TimestampFrequency)
        {
            Notes = notes ?? new Dictionary<string, string>(),
        };
    }
}
