using System.Diagnostics;
using ControlPlane.Cli.Restore;
using ControlPlane.Client;
using Microsoft.Extensions.Time.Testing;

namespace ControlPlane.Cli.Tests;

/// <summary>Runs cpctl in memory: captured stdout/stderr, a given stdin, a fake client, a fixed clock.</summary>
internal sealed class CliHarness
{
    public FakeControlPlaneClient Client { get; } = new();

    public Dictionary<string, string> Environment { get; } = [];

    public List<ControlPlaneClientOptions> ClientOptions { get; } = [];

    /// <summary>Every child process cpctl started, in order.</summary>
    public List<ProcessStartInfo> Processes { get; } = [];

    /// <summary>Answers for cpctl's child processes (the node binary's offline restore); by default they fail.</summary>
    public Func<ProcessStartInfo, ProcessOutcome> RunProcess { get; set; } = start => new ProcessOutcome(99, string.Empty, $"no process expected: {start.FileName}");

    /// <summary>Where cpctl believes it lives (the node binary is looked for next to it).</summary>
    public string CpctlDirectory { get; set; } = AppContext.BaseDirectory;

    /// <summary>Five minutes after the fake store's creationTimestamp.</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2030, 1, 1, 0, 5, 0, TimeSpan.Zero));

    public async Task<CliRun> RunAsync(string commandLine, string stdin = "", CancellationToken cancellationToken = default) =>
        await RunAsync(System.CommandLine.Parsing.CommandLineParser.SplitCommandLine(commandLine).ToArray(), stdin, cancellationToken);

    /// <param name="args">The command line.</param>
    /// <param name="stdin">What cpctl reads from standard input.</param>
    /// <param name="cancellationToken">Stands for Ctrl-C.</param>
    public async Task<CliRun> RunAsync(string[] args, string stdin = "", CancellationToken cancellationToken = default)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var environment = new CliEnvironment
        {
            Out = output,
            Error = error,
            In = new StringReader(stdin),
            GetEnvironmentVariable = name => Environment.GetValueOrDefault(name),
            Time = Time,
            CpctlDirectory = CpctlDirectory,
            RunProcessAsync = (start, _) =>
            {
                Processes.Add(start);
                return Task.FromResult(RunProcess(start));
            },
            CreateClient = options =>
            {
                ClientOptions.Add(options);
                return Client;
            },
        };
        var exitCode = await new CpctlApp(environment).RunAsync(args, cancellationToken);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }
}

internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}--- stderr\n{Error}";
}
