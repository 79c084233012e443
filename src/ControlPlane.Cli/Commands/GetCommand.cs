using System.CommandLine;
using System.Text.Json.Nodes;
using ControlPlane.Cli.Output;
using ControlPlane.Client;

namespace ControlPlane.Cli.Commands;

/// <summary><c>cpctl get KIND [NAME]</c>: one object, or a list (every namespace unless -n).</summary>
internal static class GetCommand
{
    private const int PageSize = 500;

    public static Command Create(VerbRunner runner)
    {
        var kind = new KindArguments();
        var name = new Argument<string?>("NAME") { Description = "The object's name (omit to list)", Arity = ArgumentArity.ZeroOrOne }.RejectOptionLikeValues();
        var allNamespaces = new Option<bool>("--all-namespaces", "-A") { Description = "List across every namespace (the default when -n is not given)" };
        var selector = new Option<string?>("--selector", "-l") { Description = "Label selector: a=b, a!=b, a in (x,y), a notin (x), a, !a", HelpName = "SELECTOR" };
        var command = new Command("get", "Show one object or list objects of a kind")
        {
            kind.Kind, name, kind.Namespace, allNamespaces, selector, kind.ApiVersion,
        };
        runner.SetAction(command, async (invocation, parse, cancellationToken) =>
        {
            var objectName = parse.GetValue(name);
            var ns = parse.GetValue(kind.Namespace);
            var all = parse.GetValue(allNamespaces);
            var labelSelector = parse.GetValue(selector);
            if (all && !string.IsNullOrEmpty(ns)) throw new UsageException("-A/--all-namespaces and -n/--namespace cannot be combined");
            if (objectName is not null && all) throw new UsageException("an object cannot be fetched by name across all namespaces: give -n NAMESPACE (or nothing, for a cluster-scoped object)");
            if (objectName is not null && labelSelector is not null) throw new UsageException("NAME and -l/--selector cannot be combined");

            var resolved = await kind.ResolveAsync(invocation, parse, cancellationToken);
            return objectName is null
                ? await ListAsync(invocation, resolved, all ? null : ns, labelSelector, cancellationToken)
                : await GetOneAsync(invocation, resolved, ns, objectName, cancellationToken);
        });
        return command;
    }

    private static async Task<int> GetOneAsync(Invocation invocation, ResolvedKind kind, string? ns, string name, CancellationToken cancellationToken)
    {
        ResourceResult result;
        try
        {
            result = await invocation.Client.GetAsync(kind.ApiVersion, kind.Kind, ns, name, cancellationToken: cancellationToken);
        }
        catch (NotFoundException ex)
        {
            await invocation.Error.WriteLineAsync($"error: {VerbRunner.Describe(ex)}{KindArguments.NamespaceHint(kind, ns)}");
            return ExitCodes.Error;
        }

        await invocation.Out.WriteAsync(invocation.Format == OutputFormat.Table
            ? ObjectPrinter.ResourceTable([result.Object], showNamespace: false, invocation.Now)
            : ObjectPrinter.Render(result.Object, invocation.Format));
        return ExitCodes.Success;
    }

    private static async Task<int> ListAsync(Invocation invocation, ResolvedKind kind, string? ns, string? labelSelector, CancellationToken cancellationToken)
    {
        var items = new List<JsonObject>();
        string? resourceVersion = null;
        string? continueToken = null;
        do
        {
            var page = await invocation.Client.ListAsync(kind.ApiVersion, kind.Kind, ns, labelSelector, PageSize, continueToken, cancellationToken: cancellationToken);
            resourceVersion ??= page.ResourceVersion;
            items.AddRange(page.Items);
            continueToken = page.ContinueToken;
        }
        while (continueToken is not null);

        if (invocation.Format != OutputFormat.Table)
        {
            await invocation.Out.WriteAsync(ObjectPrinter.Render(ObjectPrinter.AsList(items, resourceVersion, unwrapSingle: false), invocation.Format));
            return ExitCodes.Success;
        }

        if (items.Count == 0)
        {
            await invocation.Error.WriteLineAsync(string.IsNullOrEmpty(ns) ? $"No {kind.DisplayName} objects found." : $"No {kind.DisplayName} objects found in namespace {ns}.");
            return ExitCodes.Success;
        }

        var showNamespace = string.IsNullOrEmpty(ns) && items.Any(o => o["metadata"]?["namespace"] is JsonValue);
        await invocation.Out.WriteAsync(ObjectPrinter.ResourceTable(items, showNamespace, invocation.Now));
        return ExitCodes.Success;
    }
}
