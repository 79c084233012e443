using ControlPlane.Testing.Checkers;

namespace ControlPlane.Testing.Tests.Checkers;

/// <summary>
/// Generates histories from a real sequential store: concurrent clients invoke operations on a few keys, each
/// operation takes effect at one instant between its invocation and its answer, against one versioned register
/// per key and one global resourceVersion counter. Some operations become indeterminate: the client gives up,
/// and the operation takes effect later or never. Every history it makes is linearizable by construction.
/// </summary>
internal sealed class RegisterWorkloadSimulator
{
    private readonly Random _random;
    private readonly int _seed;
    private readonly PriorityQueue<Event, (long Time, long Sequence)> _events = new();
    private readonly Dictionary<string, VersionedValue> _store = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _applications = new(StringComparer.Ordinal);
    private readonly Dictionary<(int Client, string Key), long> _lastSeen = [];
    private readonly List<Operation> _operations = [];
    private long _sequence;
    private long _resourceVersion;

    private RegisterWorkloadSimulator(int seed) => (_seed, _random) = (seed, new Random(seed));

    public int Keys { get; init; } = 3;

    public int Clients { get; init; } = 4;

    public int Operations { get; init; } = 200;

    /// <summary>Chance that an operation ends indeterminate.</summary>
    public double IndeterminateRate { get; init; } = 0.05;

    /// <summary>Whether clients delete; without deletes a key stays present from its first write on.</summary>
    public bool Deletes { get; init; } = true;

    public static SimulatedRun Run(int seed, int keys = 3, int clients = 4, int operations = 200, double indeterminateRate = 0.05, bool deletes = true) =>
        new RegisterWorkloadSimulator(seed) { Keys = keys, Clients = clients, Operations = operations, IndeterminateRate = indeterminateRate, Deletes = deletes }.Run();

    private SimulatedRun Run()
    {
        for (var client = 1; client <= Clients; client++) Schedule(_random.Next(0, 5), new Event(EventType.Invoke, client, -1));
        while (_events.TryDequeue(out var next, out var at))
        {
            switch (next.Type)
            {
                case EventType.Invoke when _operations.Count < Operations:
                    Invoke(next.Client, at.Time);
                    break;
                case EventType.Apply:
                    Apply(next.Op);
                    break;
                case EventType.Complete:
                    Complete(next.Op, at.Time);
                    break;
            }
        }

        var history = new History(_operations, ticksPerSecond: 1000) { Notes = new Dictionary<string, string> { ["seed"] = _seed.ToString() } };
        return new SimulatedRun(_seed, history, _store, _applications);
    }

    private void Invoke(int client, long now)
    {
        var id = _operations.Count + 1;
        var key = $"key-{_random.Next(Keys)}";
        var kind = PickKind();
        long? expected = null;
        if (kind == OperationKind.ConditionalWrite || (kind == OperationKind.Delete && _random.NextDouble() < 0.3))
        {
            // Usually what this client last saw, sometimes the truth, sometimes a guess that is surely wrong.
            var roll = _random.NextDouble();
            expected = roll < 0.6 && _lastSeen.TryGetValue((client, key), out var seen) ? seen
                : roll < 0.9 && _store.TryGetValue(key, out var current) ? current.ResourceVersion
                : _random.Next(1, 1000);
        }

        _operations.Add(new Operation
        {
            Id = id,
            ClientId = client,
            Key = key,
            Kind = kind,
            Value = kind is OperationKind.Write or OperationKind.ConditionalWrite or OperationKind.Create ? $"v{id}" : null,
            ExpectedVersion = expected,
            RequestId = kind == OperationKind.Read ? null : $"req-{id}",
            InvokeTicks = now,
            Outcome = OperationOutcome.Ok,
        });

        var applyAt = now + _random.Next(0, 20);
        var answerAt = applyAt + _random.Next(0, 20);
        if (_random.NextDouble() < IndeterminateRate)
        {
            // The client gives up; the operation applies before, after, or never.
            var gaveUpAt = now + _random.Next(1, 30);
            _operations[^1] = _operations[^1] with { Outcome = OperationOutcome.Indeterminate, CompleteTicks = gaveUpAt };
            if (_random.NextDouble() < 0.5) Schedule(now + _random.Next(0, 60), new Event(EventType.Apply, client, id - 1));
            Schedule(gaveUpAt + _random.Next(0, 5), new Event(EventType.Invoke, client, -1));
            return;
        }

        Schedule(applyAt, new Event(EventType.Apply, client, id - 1));
        Schedule(answerAt, new Event(EventType.Complete, client, id - 1));
    }

    private OperationKind PickKind() => _random.Next(100) switch
    {
        < 35 => OperationKind.Read,
        < 55 => OperationKind.Write,
        < 75 => OperationKind.ConditionalWrite,
        < 87 => OperationKind.Create,
        _ => Deletes ? OperationKind.Delete : OperationKind.Write,
    };

    /// <summary>The sequential store: decides the operation's result at the instant it takes effect.</summary>
    private void Apply(int index)
    {
        var op = _operations[index];
        var present = _store.TryGetValue(op.Key, out var current);
        var result = op with { };
        switch (op.Kind)
        {
            case OperationKind.Read:
                result = present ? op with { OutputValue = current!.Value, OutputVersion = current.ResourceVersion } : op;
                break;
            case OperationKind.Write:
            case OperationKind.ConditionalWrite when present && current!.ResourceVersion == op.ExpectedVersion:
            case OperationKind.Create when !present:
                result = op with { OutputVersion = Mutate(op, op.Value) };
                break;
            case OperationKind.Delete when present && (op.ExpectedVersion is null || op.ExpectedVersion == current!.ResourceVersion):
                result = op with { OutputVersion = Mutate(op, null) };
                break;
            case OperationKind.Delete when !present && op.ExpectedVersion is null:
                result = op with { NoOp = true };
                break;
            default:
                var reason = op.Kind == OperationKind.Create ? FailureReason.AlreadyExists : present ? FailureReason.Conflict : FailureReason.NotFound;
                var reported = _random.NextDouble() < 0.5 ? present ? current!.ResourceVersion : 0 : (long?)null;
                result = op with { Outcome = OperationOutcome.Failed, Failure = reason, OutputVersion = reported };
                break;
        }

        if (op.Outcome != OperationOutcome.Indeterminate) _operations[index] = result;
    }

    private long Mutate(Operation op, string? value)
    {
        var rv = ++_resourceVersion;
        if (value is null) _store.Remove(op.Key);
        else _store[op.Key] = new VersionedValue(value, rv);
        _applications[op.RequestId!] = _applications.GetValueOrDefault(op.RequestId!) + 1;
        return rv;
    }

    private void Complete(int index, long now)
    {
        var op = _operations[index] = _operations[index] with { CompleteTicks = now };
        if (op.Outcome == OperationOutcome.Ok && op.OutputVersion is { } rv && op.Kind != OperationKind.Delete)
        {
            _lastSeen[(op.ClientId, op.Key)] = rv;
        }

        Schedule(now + _random.Next(0, 5), new Event(EventType.Invoke, op.ClientId, -1));
    }

    private void Schedule(long time, Event e) => _events.Enqueue(e, (time, _sequence++));

    private enum EventType
    {
        Invoke,
        Apply,
        Complete,
    }

    private readonly record struct Event(EventType Type, int Client, int Op);
}
