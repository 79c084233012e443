using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using ControlPlane.Cli.Output;
using ControlPlane.Client;

namespace ControlPlane.Cli.Commands;

/// <summary><c>cpctl patch KIND NAME -p JSON</c>: an RFC 7386 JSON merge patch.</summary>
internal static class PatchCommand
{
    public static Command Create(VerbRunner runner)
    {
        var kind = new KindArguments();
        var name = new Argument<string>("NAME") { Description = "The object's name" }.RejectOptionLikeValues();
        var patch = new Option<string>("--patch", "-p") { Description = "The JSON merge patch (an object; null deletes a field)", HelpName = "JSON", Required = true };
        var resourceVersion = new Option<string?>("--resource-version") { Description = "Patch only if the object still has this resourceVersion", HelpName = "RV" };
        var command = new Command("patch", "Apply a JSON merge patch to an object")
        {
            kind.Kind, name, patch, kind.Namespace, kind.ApiVersion, resourceVersion,
        };
        runner.SetAction(command, async (invocation, parse, cancellationToken) =>
        {
            var mergePatch = ParsePatch(parse.GetRequiredValue(patch));
            var resolved = await kind.ResolveAsync(invocation, parse, cancellationToken);
            var reference = new ObjectReference(resolved.ApiVersion, resolved.Kind, parse.GetValue(kind.Namespace) ?? string.Empty, parse.GetRequiredValue(name));
            WriteResult result;
            try
            {
                result = await invocation.Client.PatchAsync(reference, mergePatch, parse.GetValue(resourceVersion), cancellationToken: cancellationToken);
            }
            catch (NotFoundException ex)
            {
                await invocation.Error.WriteLineAsync($"error: {VerbRunner.Describe(ex)}{KindArguments.NamespaceHint(resolved, reference.Namespace)}");
                return ExitCodes.Error;
            }

            await invocation.Out.WriteAsync(invocation.Format == OutputFormat.Table
                ? $"{resolved.DisplayName}/{reference.Name} {(result.Outcome == WriteOutcome.NoOp ? "patched (no change)" : "patched")}\n"
                : ObjectPrinter.Render(result.Object, invocation.Format));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <exception cref="UsageException">The patch is not a JSON object.</exception>
    internal static JsonObject ParsePatch(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw new UsageException("-p/--patch must be a JSON object, e.g. '{\"spec\":{\"replicas\":3}}'");
        }
        catch (JsonException ex)
        {
            throw new UsageException($"-p/--patch is not valid JSON: {ex.Message}");
        }
    }
}
