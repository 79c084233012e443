using System.Globalization;

namespace ControlPlane.Bench.Cli;

/// <summary>Everything one cpbench invocation was asked to do, parsed and checked.</summary>
public sealed record BenchOptions
{
    public const string Usage = """
        cpbench: drive ControlPlane or etcd with the same workloads and report throughput and latency.

        usage:
          cpbench run  --target controlplane|controlplane-grpc|etcd --endpoints URL[,URL...] --scenario NAME [options]
          cpbench wait --target controlplane|controlplane-grpc|etcd --endpoints URL[,URL...] [--timeout 60s]

        scenarios:
          put     unconditional writes over the key space (first pass creates, then replaces)
          get     reads of existing keys (--read linearizable|local; etcd local = serializable)
          list    one page (--page-size) of the whole kind
          watch   --watchers N watch the kind while one paced writer commits --rate writes/s
          mixed   Kubernetes-like: optimistic updates with the read resourceVersion, gets, lists, list-then-watch
          fill    create every key of the key space once, then stop (to measure memory with N objects)

        options:
          --concurrency N     concurrent clients (default 1)
          --value-size BYTES  size of each object's JSON (default 256)
          --keys N            key space (default 1000)
          --duration T        measured time, e.g. 10s, 500ms, 2m (default 10s)
          --warmup T          unmeasured time before it (default 2s)
          --read MODE         linearizable (default) or local, for get and list
          --page-size N       items per list page (default 500)
          --watchers N        watchers for the watch scenario (default 100)
          --rate N            writes/s for the watch scenario (default 500; 0 = as fast as possible)
          --timeout T         deadline of each call, and of wait (default 10s; wait: 60s)
          --json FILE         also write the result as JSON to FILE
          --no-progress       no live progress line (it is shown only when stdout is a terminal anyway)
        """;

    public CommandKind Command { get; init; } = CommandKind.Help;

    public TargetKind Target { get; init; }

    public IReadOnlyList<Uri> Endpoints { get; init; } = [];

    public ScenarioKind Scenario { get; init; }

    public int Concurrency { get; init; } = 1;

    public int ValueSize { get; init; } = 256;

    public int Keys { get; init; } = 1000;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    public bool LinearizableReads { get; init; } = true;

    public int PageSize { get; init; } = 500;

    public int Watchers { get; init; } = 100;

    public int Rate { get; init; } = 500;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    public string? JsonPath { get; init; }

    public bool Progress { get; init; } = true;

    /// <summary>Parses the command line; throws <see cref="ArgumentException"/> naming the offending argument.</summary>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0] is "help" or "--help" or "-h") return new BenchOptions();
        var command = args[0] switch
        {
            "run" => CommandKind.Run,
            "wait" => CommandKind.Wait,
            _ => throw new ArgumentException($"unknown command \"{args[0]}\"; expected run, wait or help"),
        };

        var options = new BenchOptions { Command = command, Timeout = command == CommandKind.Wait ? TimeSpan.FromSeconds(60) : TimeSpan.FromSeconds(10) };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        bool targetSet = false, scenarioSet = false;
        for (var i = 1; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"unexpected argument \"{arg}\"; options start with --");
            string name;
            string? inline = null;
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                name = arg[2..eq];
                inline = arg[(eq + 1)..];
            }
            else
            {
                name = arg[2..];
            }

            if (!seen.Add(name)) throw new ArgumentException($"--{name} is given more than once");
            if (name is "no-progress" or "help")
            {
                if (inline is not null) throw new ArgumentException($"--{name} takes no value");
                if (name == "help") return new BenchOptions();
                options = options with { Progress = false };
                continue;
            }

            string value;
            if (inline is not null)
            {
                value = inline;
            }
            else
            {
                if (i + 1 >= args.Count) throw new ArgumentException($"--{name} needs a value");
                value = args[++i];
            }

            options = name switch
            {
                "target" => options with { Target = ParseTarget(value) },
                "endpoints" => options with { Endpoints = ParseEndpoints(value) },
                "scenario" => options with { Scenario = ParseScenario(value) },
                "concurrency" => options with { Concurrency = ParseInt(name, value, 1, 10_000) },
                "value-size" => options with { ValueSize = ParseInt(name, value, 64, 1 << 20) },
                "keys" => options with { Keys = ParseInt(name, value, 1, 10_000_000) },
                "duration" => options with { Duration = ParseDuration(name, value, allowZero: false) },
                "warmup" => options with { Warmup = ParseDuration(name, value, allowZero: true) },
                "read" => options with { LinearizableReads = ParseRead(value) },
                "page-size" => options with { PageSize = ParseInt(name, value, 1, 100_000) },
                "watchers" => options with { Watchers = ParseInt(name, value, 1, 100_000) },
                "rate" => options with { Rate = ParseInt(name, value, 0, 1_000_000) },
                "timeout" => options with { Timeout = ParseDuration(name, value, allowZero: false) },
                "json" => options with { JsonPath = value.Length > 0 ? value : throw new ArgumentException("--json needs a file name") },
                _ => throw new ArgumentException($"unknown option --{name}"),
            };
            targetSet |= name == "target";
            scenarioSet |= name == "scenario";
        }

        if (!targetSet) throw new ArgumentException("--target is required (controlplane or etcd)");
        if (options.Endpoints.Count == 0) throw new ArgumentException("--endpoints is required (comma-separated URLs, e.g. http://127.0.0.1:2379)");
        if (command == CommandKind.Run && !scenarioSet) throw new ArgumentException("--scenario is required (put, get, list, watch, mixed or fill)");
        return options;
    }

    /// <summary>Parses "10s", "250ms", "2m", "1h" or a plain number of seconds.</summary>
    public static TimeSpan ParseDuration(string option, string text, bool allowZero)
    {
        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : text.EndsWith('h') ? (text[..^1], 3600.0)
            : (text, 1.0);
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || double.IsInfinity(value))
        {
            throw new ArgumentException($"--{option}: \"{text}\" is not a duration (examples: 10s, 250ms, 2m)");
        }

        var seconds = value * unit;
        if (seconds > 86_400) throw new ArgumentException($"--{option}: {text} is longer than a day");
        if (seconds == 0 && !allowZero) throw new ArgumentException($"--{option} must be more than zero");
        return TimeSpan.FromSeconds(seconds);
    }

    private static int ParseInt(string option, string text, int min, int max)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw new ArgumentException($"--{option}: \"{text}\" is not a whole number");
        }

        if (value < min || value > max) throw new ArgumentException($"--{option}: {value} is outside {min}..{max}");
        return value;
    }

    private static TargetKind ParseTarget(string text) => text.ToLowerInvariant() switch
    {
        "controlplane" or "cp" => TargetKind.ControlPlane,
        "controlplane-grpc" or "cp-grpc" => TargetKind.ControlPlaneGrpc,
        "etcd" => TargetKind.Etcd,
        _ => throw new ArgumentException($"--target: \"{text}\" is not a target; expected controlplane, controlplane-grpc or etcd"),
    };

    private static ScenarioKind ParseScenario(string text) =>
        Enum.TryParse<ScenarioKind>(text, ignoreCase: true, out var scenario) && !int.TryParse(text, out _)
            ? scenario
            : throw new ArgumentException($"--scenario: \"{text}\" is not a scenario; expected put, get, list, watch, mixed or fill");

    private static bool ParseRead(string text) => text.ToLowerInvariant() switch
    {
        "linearizable" => true,
        "local" or "serializable" => false,
        _ => throw new ArgumentException($"--read: \"{text}\" is not a read mode; expected linearizable or local"),
    };

    private static Uri[] ParseEndpoints(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0) throw new ArgumentException("--endpoints: no endpoint given");
        return [.. parts.Select(p =>
        {
            var withScheme = p.Contains("://", StringComparison.Ordinal) ? p : "http://" + p;
            var authority = withScheme[(withScheme.IndexOf("://", StringComparison.Ordinal) + 3)..].Split('/')[0];
            if (!Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !authority.Contains(':', StringComparison.Ordinal))
            {
                throw new ArgumentException($"--endpoints: \"{p}\" is not an http(s) URL with a port, e.g. http://127.0.0.1:2379");
            }

            return uri;
        })];
    }
}
