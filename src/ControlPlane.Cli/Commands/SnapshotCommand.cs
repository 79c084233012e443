using System.CommandLine;
using System.Text.Json.Nodes;
using ControlPlane.Cli.Output;

namespace ControlPlane.Cli.Commands;

/// <summary>
/// <c>cpctl snapshot save FILE</c>: a consistent snapshot of the whole store, checked against its SHA-256. A new
/// cluster is rebuilt from the file with <c>cpctl snapshot restore</c> (<see cref="SnapshotRestoreCommand"/>) into an
/// empty data directory per member (scripts/cluster.sh restore FILE does that for the local cluster); see
/// docs/README-membership.md.
/// </summary>
internal static class SnapshotCommand
{
    public static Command Create(VerbRunner runner, CliEnvironment environment)
    {
        var file = new Argument<string>("FILE") { Description = "Where to write the snapshot (replaced only once the whole snapshot arrived intact)" }.RejectOptionLikeValues();
        var save = new Command("save", "Save a consistent snapshot of the whole store to FILE") { file };
        runner.SetAction(save, async (invocation, parse, cancellationToken) =>
        {
            var path = Path.GetFullPath(parse.GetValue(file)!);
            var directory = Path.GetDirectoryName(path)!;
            if (!Directory.Exists(directory)) throw new UsageException($"the folder {directory} does not exist");
            var partial = $"{path}.partial";
            Client.SnapshotInfo info;
            try
            {
                await using (var output = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None))
                {
                    info = await invocation.Client.SaveSnapshotAsync(output, cancellationToken);
                    output.Flush(flushToDisk: true);
                }

                File.Move(partial, path, overwrite: true);
            }
            finally
            {
                File.Delete(partial);
            }

            if (invocation.Format == OutputFormat.Table)
            {
                await invocation.Out.WriteAsync($"snapshot saved to {path}: index {info.AppliedIndex}, {info.ObjectCount} objects, {info.SizeBytes} bytes, sha256 {info.Sha256} (from {info.NodeName})\n");
            }
            else
            {
                var json = ObjectPrinter.ToJson(info)!.AsObject();
                json["path"] = JsonValue.Create(path);
                await invocation.Out.WriteAsync(ObjectPrinter.Render(json, invocation.Format));
            }

            return ExitCodes.Success;
        });
        return new Command("snapshot", "Backups of the whole store") { save, SnapshotRestoreCommand.Create(runner, environment) };
    }
}
