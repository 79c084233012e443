using System.Diagnostics;
using ControlPlane.Cli.Restore;
using ControlPlane.Client;

namespace ControlPlane.Cli;

/// <summary>What cpctl touches outside itself, so tests can run it in memory: console streams, environment, clock, client.</summary>
internal sealed class CliEnvironment
{
    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    public required TextReader In { get; init; }

    public required Func<string, string?> GetEnvironmentVariable { get; init; }

    public required TimeProvider Time { get; init; }

    /// <summary>Makes the client for one invocation; the real one dials the cluster.</summary>
    public required Func<ControlPlaneClientOptions, IControlPlaneClient> CreateClient { get; init; }

    /// <summary>Runs a child process to its end (cpctl snapshot restore runs the node binary's offline restore mode).</summary>
    public Func<ProcessStartInfo, CancellationToken, Task<ProcessOutcome>> RunProcessAsync { get; init; } = ProcessRunner.RunAsync;

    /// <summary>Where cpctl itself lives; the node binary is looked for next to it and in its checkout.</summary>
    public string CpctlDirectory { get; init; } = AppContext.BaseDirectory;

    public static CliEnvironment FromConsole() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        In = Console.In,
        GetEnvironmentVariable = Environment.GetEnvironmentVariable,
        Time = TimeProvider.System,
        CreateClient = options => new ControlPlaneClient(options),
    };
}
