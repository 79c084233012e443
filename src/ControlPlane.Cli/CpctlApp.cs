using System.CommandLine;
using System.CommandLine.Invocation;
using ControlPlane.Cli.Commands;

namespace ControlPlane.Cli;

/// <summary>cpctl's command tree and its entry point: parse, report usage errors with exit code 2, run the verb.</summary>
internal sealed class CpctlApp
{
    private readonly CliEnvironment _environment;

    public CpctlApp(CliEnvironment environment)
    {
        _environment = environment;
        var globals = new GlobalOptions();
        var runner = new VerbRunner(environment, globals);
        Root = new RootCommand("cpctl: the ControlPlane admin CLI")
        {
            ManifestVerbs.Apply(runner),
            ManifestVerbs.Create(runner),
            GetCommand.Create(runner),
            PatchCommand.Create(runner),
            DeleteCommand.Create(runner),
            WatchCommand.Create(runner),
            ClusterCommand.Create(runner),
            MemberCommand.Create(runner),
            LeaderCommand.Create(runner),
            SnapshotCommand.Create(runner, environment),
            CertsCommand.Create(environment),
            CompletionCommand.Create(environment),
        };
        globals.AddTo(Root);
    }

    public RootCommand Root { get; }

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken = default)
    {
        var parse = Root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            foreach (var error in parse.Errors) await _environment.Error.WriteLineAsync($"error: {error.Message}");
            await _environment.Error.WriteLineAsync($"Run '{CommandPath(parse)} --help' for usage.");
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration
        {
            Output = _environment.Out,
            Error = _environment.Error,
            EnableDefaultExceptionHandler = true,
            // Signals are handled by TerminationSignals (Program), so each verb decides how an interruption ends it.
            ProcessTerminationTimeout = null,
        };
        return await parse.InvokeAsync(configuration, cancellationToken);
    }

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Add(result.Command is RootCommand ? "cpctl" : result.Command.Name);
        names.Reverse();
        return string.Join(' ', names);
    }
}
