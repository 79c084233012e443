using ControlPlane.Testing.Checkers;

namespace ControlPlane.Testing.Tests.Checkers;

/// <summary>Writes histories by hand for tests: one tick is one millisecond, so explanations read naturally.</summary>
internal sealed class HistoryBuilder
{
    private readonly List<Operation> _operations = [];

    public HistoryBuilder Add(
        OperationKind kind,
        int client,
        string key,
        long invoke,
        long? complete,
        OperationOutcome outcome = OperationOutcome.Ok,
        string? value = null,
        long? expected = null,
        long? rv = null,
        string? seen = null,
        FailureReason failure = FailureReason.Unspecified,
        string? requestId = null,
        bool noOp = false)
    {
        _operations.Add(new Operation
        {
            Id = _operations.Count + 1,
            ClientId = client,
            Key = key,
            Kind = kind,
            Value = value,
            ExpectedVersion = expected,
            RequestId = requestId,
            InvokeTicks = invoke,
            CompleteTicks = complete,
            Outcome = outcome,
            Failure = failure,
            OutputValue = seen,
            OutputVersion = rv,
            NoOp = noOp,
        });
        return this;
    }

    public HistoryBuilder Write(int client, string key, string value, long invoke, long complete, long rv) =>
        Add(OperationKind.Write, client, key, invoke, complete, value: value, rv: rv);

    public HistoryBuilder IndeterminateWrite(int client, string key, string value, long invoke) =>
        Add(OperationKind.Write, client, key, invoke, null, OperationOutcome.Indeterminate, value: value);

    public HistoryBuilder Read(int client, string key, long invoke, long complete, string value, long rv) =>
        Add(OperationKind.Read, client, key, invoke, complete, seen: value, rv: rv);

    public HistoryBuilder ReadAbsent(int client, string key, long invoke, long complete) =>
        Add(OperationKind.Read, client, key, invoke, complete);

    public HistoryBuilder ConditionalWrite(int client, string key, string value, long expected, long invoke, long complete, long rv) =>
        Add(OperationKind.ConditionalWrite, client, key, invoke, complete, value: value, expected: expected, rv: rv);

    public HistoryBuilder ConditionalWriteConflict(int client, string key, string value, long expected, long invoke, long complete) =>
        Add(OperationKind.ConditionalWrite, client, key, invoke, complete, OperationOutcome.Failed, value: value, expected: expected, failure: FailureReason.Conflict);

    public HistoryBuilder Create(int client, string key, string value, long invoke, long complete, long rv) =>
        Add(OperationKind.Create, client, key, invoke, complete, value: value, rv: rv);

    public HistoryBuilder CreateAlreadyExists(int client, string key, string value, long invoke, long complete) =>
        Add(OperationKind.Create, client, key, invoke, complete, OperationOutcome.Failed, value: value, failure: FailureReason.AlreadyExists);

    public HistoryBuilder Delete(int client, string key, long invoke, long complete, long? rv = null) =>
        Add(OperationKind.Delete, client, key, invoke, complete, rv: rv);

    public IReadOnlyList<Operation> Operations => _operations;

    public History Build() => new(_operations.ToList(), ticksPerSecond: 1000);
}
