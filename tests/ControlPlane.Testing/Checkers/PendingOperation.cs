namespace ControlPlane.Testing.Checkers;

/// <summary>An invoked operation waiting for its answer. Complete it exactly once.</summary>
public sealed class PendingOperation
{
    private readonly HistoryRecorder _recorder;
    private readonly Operation _invocation;
    private Operation? _completed;

    internal PendingOperation(HistoryRecorder recorder, Operation invocation) => (_recorder, _invocation) = (recorder, invocation);

    public long Id => _invocation.Id;

    internal Operation Current => Volatile.Read(ref _completed) ?? _invocation;

    /// <summary>A write answered Ok with the resourceVersion it returned (and whether the server said NO_OP).</summary>
    public void CompleteOk(long? resourceVersion, bool noOp = false)
    {
        if (_invocation.Kind == OperationKind.Read) throw Misuse("a read completes with CompleteRead");
        Complete(_invocation with { Outcome = OperationOutcome.Ok, OutputVersion = resourceVersion, NoOp = noOp });
    }

    /// <summary>A read answered: the value and resourceVersion seen, or both null when the key was absent (NotFound).</summary>
    public void CompleteRead(string? value, long? resourceVersion)
    {
        if (_invocation.Kind != OperationKind.Read) throw Misuse("only a read completes with CompleteRead");
        if ((value is null) != (resourceVersion is null)) throw Misuse("a read sees a value with its resourceVersion, or neither (absent)");
        Complete(_invocation with { Outcome = OperationOutcome.Ok, OutputValue = value, OutputVersion = resourceVersion });
    }

    /// <summary>A definite failure: the operation was not applied. Pass the current resourceVersion the server reported (Conflict, AlreadyExists), if any.</summary>
    public void CompleteFailed(FailureReason reason, string? error = null, long? currentResourceVersion = null) =>
        Complete(_invocation with { Outcome = OperationOutcome.Failed, Failure = reason, Error = error, OutputVersion = currentResourceVersion });

    /// <summary>No definite answer (timeout, Unavailable, lost connection): it may still take effect.</summary>
    public void CompleteIndeterminate(string? error = null) =>
        Complete(_invocation with { Outcome = OperationOutcome.Indeterminate, Error = error });

    private void Complete(Operation completed)
    {
        completed = completed with { CompleteTicks = _recorder.Time.GetTimestamp() };
        if (Interlocked.CompareExchange(ref _completed, completed, null) is not null) throw Misuse("it was already completed");
    }

    private InvalidOperationException Misuse(string problem) =>
        new($"Operation {_invocation.Id} ({_invocation.Kind} '{_invocation.Key}' by client {_invocation.ClientId}): {problem}.");
}
