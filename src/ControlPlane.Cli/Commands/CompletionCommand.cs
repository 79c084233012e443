using System.CommandLine;

namespace ControlPlane.Cli.Commands;

/// <summary>
/// <c>cpctl completion bash|zsh</c>: prints a shell script that completes cpctl by asking cpctl itself, through
/// System.CommandLine's <c>[suggest]</c> directive (the same protocol dotnet-suggest uses, without installing it).
/// </summary>
internal static class CompletionCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var shell = new Argument<string>("SHELL") { Description = "bash or zsh" };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        var command = new Command("completion", "Print a shell completion script: source <(cpctl completion bash)") { shell };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await environment.Out.WriteAsync(parse.GetRequiredValue(shell) == "zsh" ? Zsh : Bash);
            return ExitCodes.Success;
        });
        return command;
    }

    internal const string Bash = """
        # cpctl completion for bash: source <(cpctl completion bash)
        _cpctl_complete() {
            local IFS=$'\n'
            COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}"))
        }
        complete -o default -F _cpctl_complete cpctl

        """;

    internal const string Zsh = """
        # cpctl completion for zsh: source <(cpctl completion zsh)
        _cpctl_complete() {
            local -a candidates
            candidates=("${(@f)$(${words[1]} "[suggest:${#BUFFER}]" "$BUFFER" 2>/dev/null)}")
            compadd -a candidates
        }
        compdef _cpctl_complete cpctl

        """;
}
