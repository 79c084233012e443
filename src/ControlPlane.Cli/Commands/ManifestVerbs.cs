using System.CommandLine;
using System.Text.Json.Nodes;
using ControlPlane.Cli.Manifests;
using ControlPlane.Cli.Output;
using ControlPlane.Client;

namespace ControlPlane.Cli.Commands;

/// <summary>
/// The verbs that take objects from manifests (<c>-f</c>): apply, create, and delete -f. Each object is sent on its
/// own; a failure is reported and the rest still go (like kubectl), and the exit code is 1 if any failed.
/// </summary>
internal static class ManifestVerbs
{
    /// <summary><c>cpctl apply -f FILE</c>: create or replace every object in the manifests.</summary>
    public static Command Apply(VerbRunner runner) =>
        WriteCommand(runner, "apply", "Create or replace the objects in manifests", (client, obj, ct) => client.ApplyAsync(obj, cancellationToken: ct));

    /// <summary><c>cpctl create -f FILE</c>: create every object in the manifests; an existing one is an error.</summary>
    public static Command Create(VerbRunner runner) =>
        WriteCommand(runner, "create", "Create the objects in manifests (fails for objects that exist)", (client, obj, ct) => client.CreateAsync(obj, cancellationToken: ct));

    public static Option<string[]> FileOption(string description) => new("--filename", "-f")
    {
        Description = description,
        HelpName = "FILE",
        Arity = ArgumentArity.OneOrMore,
    };

    /// <summary>The kubectl word for a write's outcome.</summary>
    public static string Verb(WriteOutcome outcome) => outcome switch
    {
        WriteOutcome.Created => "created",
        WriteOutcome.Replaced => "configured",
        WriteOutcome.Patched => "patched",
        WriteOutcome.Deleted => "deleted",
        WriteOutcome.StatusUpdated => "status updated",
        WriteOutcome.NoOp => "unchanged",
        _ => "written",
    };

    /// <summary>Sends every object of the manifests through <paramref name="write"/> and prints each outcome.</summary>
    /// <param name="invocation">The run.</param>
    /// <param name="paths">The -f values.</param>
    /// <param name="write">The write of one object; returns the line's verb and the object to print for -o json|yaml (null: none).</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    public static async Task<int> RunAsync(
        Invocation invocation,
        IReadOnlyList<string> paths,
        Func<JsonObject, CancellationToken, Task<(string? Verb, JsonObject? Printed)>> write,
        CancellationToken cancellationToken)
    {
        var manifests = ManifestReader.ReadAll(paths, invocation.In);
        if (manifests.Count == 0) throw new ManifestException($"no objects found in {string.Join(", ", paths)}");

        var printed = new List<JsonObject>();
        var failed = false;
        foreach (var manifest in manifests)
        {
            var display = $"{ObjectPrinter.KindDisplay(manifest.Object)}/{NameOf(manifest.Object)}";
            try
            {
                var (verb, obj) = await write(manifest.Object, cancellationToken);
                if (verb is null) continue;
                if (invocation.Format == OutputFormat.Table) await invocation.Out.WriteLineAsync($"{display} {verb}");
                else if (obj is not null) printed.Add(obj);
            }
            catch (ControlPlaneClientException ex)
            {
                failed = true;
                await invocation.Error.WriteLineAsync($"error: {display} ({manifest.Source}): {VerbRunner.Describe(ex)}");
            }
            catch (ArgumentException ex)
            {
                failed = true;
                await invocation.Error.WriteLineAsync($"error: {manifest.Source}: {ex.Message}");
            }
        }

        if (invocation.Format != OutputFormat.Table && printed.Count > 0)
            await invocation.Out.WriteAsync(ObjectPrinter.Render(ObjectPrinter.AsList(printed, null, unwrapSingle: true), invocation.Format));
        return failed ? ExitCodes.Error : ExitCodes.Success;
    }

    private static Command WriteCommand(VerbRunner runner, string name, string description, Func<IControlPlaneClient, JsonObject, CancellationToken, Task<WriteResult>> write)
    {
        var files = FileOption("Manifest file (JSON or YAML), directory, or - for standard input");
        files.Required = true;
        var command = new Command(name, description) { files };
        runner.SetAction(command, (invocation, parse, cancellationToken) =>
            RunAsync(invocation, parse.GetRequiredValue(files), async (obj, ct) =>
            {
                var result = await write(invocation.Client, obj, ct);
                return (Verb(result.Outcome), result.Object);
            }, cancellationToken));
        return command;
    }

    private static string NameOf(JsonObject obj) =>
        obj["metadata"]?["name"] is JsonValue value && value.TryGetValue<string>(out var name) ? name : "<no name>";
}
