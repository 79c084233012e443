using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ControlPlane.Cli.Restore;

namespace ControlPlane.Cli.Tests;

/// <summary>
/// cpctl snapshot restore: the checks cpctl makes before it runs the node binary's offline restore (each refusal
/// leaves the file system exactly as it was and starts no process), and how it runs and reports the node binary.
/// The end-to-end restore into a fresh cluster is in ControlPlane.MembershipTests (SnapshotRestoreTests).
/// </summary>
public sealed class CpctlSnapshotRestoreTests : IDisposable
{
    private readonly CliHarness _cli = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("cpctl-restore-tests-").FullName;
    private readonly string _snapshot;
    private readonly string _node;

    public CpctlSnapshotRestoreTests()
    {
        // Any bytes followed by their SHA-256 pass cpctl's own check; the node binary checks the format itself.
        var content = "CPS1 a snapshot body"u8.ToArray();
        _snapshot = Path.Combine(_dir, "backup.snap");
        File.WriteAllBytes(_snapshot, [.. content, .. SHA256.HashData(content)]);
        _node = Path.Combine(_dir, "ControlPlane.Node.dll");
        File.WriteAllText(_node, "stands for the node binary");
        _cli.Environment[NodeBinaryLocator.Variable] = _node;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task MissingSnapshot_Exit1_NothingCreated()
    {
        var before = Listing();
        var run = await _cli.RunAsync($"snapshot restore {_dir}/nope.snap --data-dir {_dir}/member1");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"snapshot {_dir}/nope.snap does not exist", run.Error, StringComparison.Ordinal);
        Assert.Equal(before, Listing());
        Assert.Empty(_cli.Processes);
    }

    [Fact]
    public async Task CorruptSnapshot_Exit1_NamesTheChecksum_NothingCreated()
    {
        var bytes = await File.ReadAllBytesAsync(_snapshot);
        bytes[3] ^= 0x40;
        await File.WriteAllBytesAsync(_snapshot, bytes);
        var before = Listing();

        var run = await _cli.RunAsync($"snapshot restore {_snapshot} --data-dir {_dir}/member1");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("is corrupt or truncated: its SHA-256 trailer does not match its contents", run.Error, StringComparison.Ordinal);
        Assert.Equal(before, Listing());
        Assert.Equal(bytes, await File.ReadAllBytesAsync(_snapshot));
        Assert.Empty(_cli.Processes);
    }

    [Fact]
    public async Task TruncatedSnapshot_Exit1()
    {
        await File.WriteAllBytesAsync(_snapshot, [1, 2, 3]);
        var run = await _cli.RunAsync($"snapshot restore {_snapshot} --data-dir {_dir}/member1");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("is not a ControlPlane snapshot: 3 bytes", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists($"{_dir}/member1"));
    }

    [Fact]
    public async Task NonEmptyDataDirectory_Exit1_LeftAsItWas()
    {
        var target = Directory.CreateDirectory(Path.Combine(_dir, "member1")).FullName;
        await File.WriteAllTextAsync(Path.Combine(target, "wal"), "old data");
        var before = Listing();

        var run = await _cli.RunAsync($"snapshot restore {_snapshot} --data-dir {target}");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"--data-dir {target} is not empty", run.Error, StringComparison.Ordinal);
        Assert.Equal(before, Listing());
        Assert.Equal("old data", await File.ReadAllTextAsync(Path.Combine(target, "wal")));
        Assert.Empty(_cli.Processes);
    }

    [Fact]
    public async Task Sha256NotTheSaved_Exit1()
    {
        var run = await _cli.RunAsync($"snapshot restore {_snapshot} --data-dir {_dir}/member1 --sha256 {new string('0', 64)}");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("it is not the snapshot that was saved", run.Error, StringComparison.Ordinal);
        Assert.Empty(_cli.Processes);
    }

    [Fact]
    public async Task NoTarget_IsAUsageError()
    {
        var run = await _cli.RunAsync($"snapshot restore {_snapshot}");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--data-dir DIR, or --config NODE.json", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingConfig_Exit1()
    {
        var run = await _cli.RunAsync($"snapshot restore {_snapshot} --config {_dir}/node9.json");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"--config file {_dir}/node9.json does not exist", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidSnapshot_RunsTheNodeBinarysOfflineRestore_AndReportsWhatItSeeded()
    {
        var config = Path.Combine(_dir, "node1.json");
        await File.WriteAllTextAsync(config, "{}");
        var sha = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(_snapshot)));
        _cli.RunProcess = _ => new ProcessOutcome(0, $$"""{"source":"{{_snapshot}}","dataDirectory":"{{_dir}}/member1","sha256":"{{sha}}","appliedIndex":42,"objectCount":7,"stateHash":"abc","alreadyRestored":false}""" + "\n", string.Empty);

        var run = await _cli.RunAsync($"snapshot restore {_snapshot} --config {config} --data-dir {_dir}/member1 --sha256 {sha.ToUpperInvariant()}");

        Assert.True(run.ExitCode == 0, run.ToString());
        var start = Assert.Single(_cli.Processes);
        Assert.Equal("dotnet", start.FileName);
        Assert.Equal([_node, "--restore-only", $"--restore-snapshot={_snapshot}", $"--config={config}", $"--ControlPlane:Node:DataDirectory={_dir}/member1"], start.ArgumentList);
        Assert.Equal($"{_dir}/member1 restored from {_snapshot}: index 42, 7 objects, state hash abc, sha256 {sha}\n", run.Out);
    }

    [Fact]
    public async Task ValidSnapshot_Json_IsTheNodesAnswer()
    {
        _cli.RunProcess = _ => new ProcessOutcome(0, """{"dataDirectory":"/d","appliedIndex":42,"alreadyRestored":true}""", string.Empty);

        var run = await _cli.RunAsync($"snapshot restore {_snapshot} --data-dir {_dir}/member1 -o json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var json = JsonNode.Parse(run.Out)!;
        Assert.Equal(42, json["appliedIndex"]!.GetValue<long>());
        Assert.True(json["alreadyRestored"]!.GetValue<bool>());
    }

    [Fact]
    public async Task NodeBinaryRefuses_Exit1_WithItsReason()
    {
        _cli.RunProcess = _ => new ProcessOutcome(2, string.Empty, "/x/backup.snap is not a usable ControlPlane snapshot: state hash mismatch\n");

        var run = await _cli.RunAsync($"snapshot restore {_snapshot} --data-dir {_dir}/member1");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: /x/backup.snap is not a usable ControlPlane snapshot: state hash mismatch\n", run.Error);
    }

    [Fact]
    public async Task NoNodeBinary_Exit1_SaysWhereItLookedAndHowToFix()
    {
        _cli.Environment.Remove(NodeBinaryLocator.Variable);
        _cli.CpctlDirectory = Directory.CreateDirectory(Path.Combine(_dir, "bin")).FullName;

        var run = await _cli.RunAsync($"snapshot restore {_snapshot} --data-dir {_dir}/member1");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"looked at {_dir}/bin/ControlPlane.Node.dll", run.Error, StringComparison.Ordinal);
        Assert.Contains("--node-binary", run.Error, StringComparison.Ordinal);
        Assert.Empty(_cli.Processes);
    }

    private string Listing() => string.Join("\n", Directory.EnumerateFileSystemEntries(_dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
}
