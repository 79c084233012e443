using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ControlPlane.Cli.Output;
using ControlPlane.Cli.Restore;

namespace ControlPlane.Cli.Commands;

/// <summary>
/// <c>cpctl snapshot restore FILE --config NODE.json [--data-dir DIR]</c>: builds one member's data directory offline
/// from a saved snapshot, as <c>etcdutl snapshot restore</c> does. cpctl checks the file (its SHA-256 trailer, and the
/// whole file's SHA-256 against --sha256) and the target directory, then runs the node binary's offline restore
/// mode (<c>--restore-only</c>), which owns the snapshot format and checks it again. Every check runs before
/// anything is written, so a refusal leaves the file system as it was. Start the node on the directory afterwards.
/// </summary>
internal static class SnapshotRestoreCommand
{
    public static Command Create(VerbRunner runner, CliEnvironment environment)
    {
        var file = new Argument<string>("FILE") { Description = "The snapshot written by `cpctl snapshot save`" }.RejectOptionLikeValues();
        var config = new Option<string?>("--config") { Description = "The member's node configuration (cluster-configs/nodeN.json); its DataDirectory is the target unless --data-dir is given" };
        var dataDir = new Option<string?>("--data-dir") { Description = "The data directory to create; it must not exist or be empty" };
        var sha256 = new Option<string?>("--sha256") { Description = "Refuse the file unless its SHA-256 is this (the value `cpctl snapshot save` printed)" };
        var nodeBinary = new Option<string?>("--node-binary") { Description = $"The ControlPlane.Node.dll to run (default: ${NodeBinaryLocator.Variable}, next to cpctl, or this checkout's build)" };
        var restore = new Command("restore", "Build a new member's data directory from a saved snapshot (offline; then start the node on it)")
        {
            file, config, dataDir, sha256, nodeBinary,
        };
        runner.SetAction(restore, async (invocation, parse, cancellationToken) =>
        {
            var configPath = parse.GetValue(config);
            var dataDirectory = parse.GetValue(dataDir);
            if (string.IsNullOrEmpty(configPath) && string.IsNullOrEmpty(dataDirectory))
                throw new UsageException("name the data directory to build: --data-dir DIR, or --config NODE.json (its ControlPlane:Node:DataDirectory)");
            var snapshot = Path.GetFullPath(parse.GetValue(file)!);
            if (!File.Exists(snapshot)) return await FailAsync(invocation, $"snapshot {snapshot} does not exist");
            if (configPath is { Length: > 0 } && !File.Exists(configPath)) return await FailAsync(invocation, $"--config file {Path.GetFullPath(configPath)} does not exist");
            if (dataDirectory is { Length: > 0 })
            {
                dataDirectory = Path.GetFullPath(dataDirectory);
                if (File.Exists(dataDirectory)) return await FailAsync(invocation, $"--data-dir {dataDirectory} is a file, not a directory");
                if (Directory.Exists(dataDirectory) && Directory.EnumerateFileSystemEntries(dataDirectory).Any())
                    return await FailAsync(invocation, $"--data-dir {dataDirectory} is not empty; a restore builds a new member's data directory: name a new one, or delete this one first");
            }

            try
            {
                await SnapshotFileCheck.VerifyAsync(snapshot, parse.GetValue(sha256), cancellationToken);
            }
            catch (InvalidDataException e)
            {
                return await FailAsync(invocation, e.Message);
            }

            string node;
            try
            {
                node = NodeBinaryLocator.Locate(parse.GetValue(nodeBinary), environment.GetEnvironmentVariable, environment.CpctlDirectory);
            }
            catch (FileNotFoundException e)
            {
                return await FailAsync(invocation, e.Message);
            }

            var start = node.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? new ProcessStartInfo("dotnet") { ArgumentList = { node } } : new ProcessStartInfo(node);
            start.ArgumentList.Add("--restore-only");
            start.ArgumentList.Add($"--restore-snapshot={snapshot}");
            if (configPath is { Length: > 0 }) start.ArgumentList.Add($"--config={Path.GetFullPath(configPath)}");
            if (dataDirectory is { Length: > 0 }) start.ArgumentList.Add($"--ControlPlane:Node:DataDirectory={dataDirectory}");
            var outcome = await environment.RunProcessAsync(start, cancellationToken);
            if (outcome.ExitCode != 0)
            {
                var reason = outcome.Error.Trim();
                return await FailAsync(invocation, reason.Length > 0 ? reason : $"the node binary's restore exited with code {outcome.ExitCode}");
            }

            JsonObject seed;
            try
            {
                seed = JsonNode.Parse(outcome.Out)?.AsObject() ?? throw new JsonException("empty output");
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            {
                return await FailAsync(invocation, $"the node binary {node} did not answer as expected ({e.Message}): {outcome.Out.Trim()} {outcome.Error.Trim()}");
            }

            if (invocation.Format == OutputFormat.Table)
            {
                var verb = seed["alreadyRestored"]?.GetValue<bool>() == true ? "was already restored from" : "restored from";
                await invocation.Out.WriteAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{seed["dataDirectory"]} {verb} {seed["source"]}: index {seed["appliedIndex"]}, {seed["objectCount"]} objects, state hash {seed["stateHash"]}, sha256 {seed["sha256"]}\n"));
            }
            else
            {
                await invocation.Out.WriteAsync(ObjectPrinter.Render(seed, invocation.Format));
            }

            return ExitCodes.Success;
        });
        return restore;
    }

    private static async Task<int> FailAsync(Invocation invocation, string message)
    {
        await invocation.Error.WriteLineAsync($"error: {message}");
        return ExitCodes.Error;
    }
}
