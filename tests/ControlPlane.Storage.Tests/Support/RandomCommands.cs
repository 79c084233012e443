using System.Text.Json.Nodes;

namespace ControlPlane.Storage.Tests.Support;

/// <summary>
/// Generates a random but seed-determined command stream over a few keys of two kinds (one cluster-scoped):
/// every command kind, preconditions that match or are stale, invalid bodies (broken JSON, a property named twice),
/// oversized objects, request ids that are retried (with a fresh leader stamp, as after a leader change) and clock
/// jumps past the retention.
/// </summary>
internal sealed class RandomCommands(int seed)
{
    private static readonly ResourceKey[] Keys =
    [
        TestCommands.Key("a"),
        TestCommands.Key("b"),
        TestCommands.Key("c"),
        new(string.Empty, "v1", "Gadget", string.Empty, "g1"),
        new(string.Empty, "v1", "Gadget", string.Empty, "g2"),
    ];

    private readonly Random _random = new(seed);
    private readonly List<ResourceCommand> _withIds = [];
    private long _time = TestCommands.T0;
    private int _sequence;

    /// <summary>The next command, choosing preconditions from <paramref name="state"/> (the state it will be applied to).</summary>
    public ResourceCommand Next(StoreState state)
    {
        _time += _random.Next(100) < 3 ? StoreState.RequestRetentionMs / 2 : _random.Next(120_000);
        _sequence++;
        if (_withIds.Count > 0 && _random.Next(100) < 10)
        {
            // Half the retries pick one of the last few ids (still inside the retention window: Replayed), the others
            // any id (mostly expired by now: applied as new). Uniform picks alone left some seeds with no replay at all.
            var from = Chance(50) ? Math.Max(0, _withIds.Count - 5) : 0;
            var retry = _withIds[_random.Next(from, _withIds.Count)];
            return retry with { TimestampMs = _time, Uid = $"uid-{_sequence}" };
        }

        var key = Keys[_random.Next(Keys.Length)];
        var kind = (WriteKind)_random.Next(1, 5);
        var command = new ResourceCommand
        {
            Kind = kind,
            Key = key,
            Body = System.Text.Encoding.UTF8.GetBytes(Body(kind, key)),
            Uid = $"uid-{_sequence}",
            TimestampMs = _time,
            MaxObjectBytes = Chance(3) ? 200 : TestCommands.Limit,
            CreateOnly = kind == WriteKind.Put && Chance(15),
            ExpectedResourceVersion = Chance(25) ? ExpectedVersion(state, key) : 0,
            RequestId = Chance(30) ? $"req-{_sequence}" : string.Empty,
            Reason = (Reason)_random.Next(1, 6),
        };
        if (command.RequestId.Length > 0) _withIds.Add(command);
        return command;
    }

    private bool Chance(int percent) => _random.Next(100) < percent;

    private long ExpectedVersion(StoreState state, ResourceKey key)
    {
        var current = state.Find(key)?.ResourceVersion ?? 0;
        return Chance(60) && current > 0 ? current : _random.Next(1, (int)state.AppliedIndex + 2);
    }

    private string Body(WriteKind kind, ResourceKey key)
    {
        if (Chance(3)) return "{\"broken\":";
        if (Chance(2)) return "{\"twice\":1,\"twice\":2}";
        return kind switch
        {
            WriteKind.Put => Object(key).ToJsonString(),
            WriteKind.Patch => Patch(),
            WriteKind.UpdateStatus => Chance(20) ? "null" : Status().ToJsonString(),
            _ => string.Empty,
        };
    }

    private JsonObject Object(ResourceKey key)
    {
        var metadata = new JsonObject { ["name"] = key.Name };
        if (key.Namespace.Length > 0) metadata["namespace"] = key.Namespace;
        if (Chance(50)) metadata["labels"] = new JsonObject { ["app"] = Pick("web", "db"), ["tier"] = Pick("front", "back") };
        if (Chance(10)) metadata["uid"] = "client-sent";
        var obj = new JsonObject { ["apiVersion"] = key.ApiVersion, ["kind"] = key.Kind, ["metadata"] = metadata, ["spec"] = Spec() };
        if (Chance(30)) obj["status"] = Status();
        return obj;
    }

    private string Patch() => _random.Next(12) switch
    {
        0 => """{"metadata":{"labels":{"app":null}}}""",
        1 => """{"metadata":{"labels":{"app":"not valid!"}}}""",
        2 => """{"metadata":{"name":"renamed"}}""",
        3 => "[1,2]",
        4 => """{"status":{"forged":true}}""",
        5 => """{"spec":null}""",
        6 => """{"metadata":{"annotations":{"note":"n"}}}""",
        7 => """{"spec":{"blob":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}}""",
        _ => new JsonObject { ["spec"] = Spec(), ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["tier"] = Pick("front", "back") } } }.ToJsonString(),
    };

    private JsonObject Spec() => new() { ["replicas"] = _random.Next(4), ["image"] = Pick("nginx", "redis", "ünïcødé") };

    private JsonObject Status() => new() { ["ready"] = Chance(50), ["observed"] = _random.Next(3) };

    private string Pick(params string[] values) => values[_random.Next(values.Length)];
}
