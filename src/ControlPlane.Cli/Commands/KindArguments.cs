using System.CommandLine;
using ControlPlane.Client;

namespace ControlPlane.Cli.Commands;

/// <summary>The KIND argument, --api-version and -n that get, patch and delete share, and how they resolve.</summary>
internal sealed class KindArguments
{
    public Argument<string> Kind { get; } = new Argument<string>("KIND")
    {
        Description = "The kind: goals, goal, Goal, Goal.example.com or Goal.v1.example.com",
    }.RejectOptionLikeValues();

    public Option<string?> ApiVersion { get; } = new("--api-version")
    {
        Description = "The kind's group/version, for a kind with no objects yet or to pick among several",
        HelpName = "GROUP/VERSION",
    };

    public Option<string?> Namespace { get; } = new("--namespace", "-n")
    {
        Description = "The namespace (omit for cluster-scoped objects)",
        HelpName = "NAMESPACE",
    };

    public Task<ResolvedKind> ResolveAsync(Invocation invocation, ParseResult parse, CancellationToken cancellationToken) =>
        KindResolver.ResolveAsync(invocation.Client, parse.GetRequiredValue(Kind), parse.GetValue(ApiVersion), cancellationToken);

    /// <summary>A hint for a NotFound when no namespace was given for a kind whose objects have one.</summary>
    public static string NamespaceHint(ResolvedKind kind, string? @namespace) =>
        string.IsNullOrEmpty(@namespace) && kind.Namespaced == true
            ? $"; {kind.DisplayName} objects have namespaces: pass -n NAMESPACE"
            : string.Empty;
}
