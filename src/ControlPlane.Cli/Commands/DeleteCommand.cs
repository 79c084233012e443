using System.CommandLine;
using System.Text.Json.Nodes;
using ControlPlane.Cli.Output;
using ControlPlane.Client;

namespace ControlPlane.Cli.Commands;

/// <summary><c>cpctl delete KIND NAME</c> or <c>cpctl delete -f FILE</c>. A missing object is an error unless --ignore-not-found.</summary>
internal static class DeleteCommand
{
    public static Command Create(VerbRunner runner)
    {
        var kind = new KindArguments();
        kind.Kind.Arity = ArgumentArity.ZeroOrOne;
        var name = new Argument<string?>("NAME") { Description = "The object's name", Arity = ArgumentArity.ZeroOrOne }.RejectOptionLikeValues();
        var files = ManifestVerbs.FileOption("Delete the objects named in these manifests (- for standard input)");
        var ignoreNotFound = new Option<bool>("--ignore-not-found") { Description = "Succeed quietly when an object does not exist" };
        var command = new Command("delete", "Delete an object, or the objects in manifests")
        {
            kind.Kind, name, kind.Namespace, kind.ApiVersion, files, ignoreNotFound,
        };
        runner.SetAction(command, async (invocation, parse, cancellationToken) =>
        {
            var kindText = parse.GetValue(kind.Kind);
            var objectName = parse.GetValue(name);
            var paths = parse.GetValue(files) ?? [];
            var quiet = parse.GetValue(ignoreNotFound);
            if (paths.Length > 0)
            {
                if (kindText is not null) throw new UsageException("give either KIND NAME or -f FILE, not both");
                return await ManifestVerbs.RunAsync(invocation, paths, async (obj, ct) =>
                {
                    var reference = ObjectReference.FromObject(obj);
                    var result = await invocation.Client.DeleteAsync(reference, cancellationToken: ct);
                    return Outcome(result, ObjectPrinter.KindDisplay(obj), reference.Name, quiet, hint: string.Empty);
                }, cancellationToken);
            }

            if (kindText is null) throw new UsageException("delete needs KIND NAME or -f FILE");
            if (objectName is null) throw new UsageException($"delete needs the NAME of the {kindText} to delete");

            var resolved = await kind.ResolveAsync(invocation, parse, cancellationToken);
            var ns = parse.GetValue(kind.Namespace) ?? string.Empty;
            var deleted = await invocation.Client.DeleteAsync(new ObjectReference(resolved.ApiVersion, resolved.Kind, ns, objectName), cancellationToken: cancellationToken);
            var (verb, printed) = Outcome(deleted, resolved.DisplayName, objectName, quiet, KindArguments.NamespaceHint(resolved, ns));
            if (verb is null) return ExitCodes.Success;
            await invocation.Out.WriteAsync(invocation.Format == OutputFormat.Table
                ? $"{resolved.DisplayName}/{objectName} {verb}\n"
                : ObjectPrinter.Render(printed, invocation.Format));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>A delete of a missing object answers NoOp; cpctl reports it as NotFound, as kubectl does.</summary>
    private static (string? Verb, JsonObject? Printed) Outcome(WriteResult result, string display, string name, bool quiet, string hint)
    {
        if (result.Outcome != WriteOutcome.NoOp) return (ManifestVerbs.Verb(result.Outcome), result.Object);
        if (quiet) return (null, null);
        throw new NotFoundException($"{display} \"{name}\" not found{hint}");
    }
}
