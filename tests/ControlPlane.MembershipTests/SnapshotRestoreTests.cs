using System.Diagnostics;
using System.Security.Cryptography;
using ControlPlane.Contracts.V1;
using ControlPlane.MembershipTests.Infrastructure;
using ControlPlane.Testing;
using Grpc.Core;

namespace ControlPlane.MembershipTests;

public sealed class SnapshotRestoreTests
{
    [Fact]
    public async Task SnapshotSaved_RestoredIntoFreshCluster_EveryObjectKeepsItsResourceVersion_NewWritesContinueAbove()
    {
        var expected = new Dictionary<string, (long ResourceVersion, int Value)>();
        var file = Path.Combine(Path.GetTempPath(), $"cp-snapshot-{Guid.NewGuid():N}.snap");
        SnapshotHeader header;

        // The old cluster is a single node to keep the test short; the restored one has three members.
        await using (var old = await Clusters.StartAsync(nodes: 1, name: "snapshot-source"))
        {
            var client = old.CreateResourceClient(0);
            for (var i = 0; i < 30; i++) await Widgets.PutAsync(client, $"w{i}", i);
            for (var i = 0; i < 30; i += 3) await Widgets.PutAsync(client, $"w{i}", 1000 + i);
            for (var i = 0; i < 30; i++) expected[$"w{i}"] = (await Widgets.GetAsync(client, $"w{i}"))!.Value;
            header = await SaveAsync(old.CreateAdminClient(0), file);
        }

        try
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.Equal(header.SizeBytes, bytes.LongLength);
            Assert.Equal(header.Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
            Assert.Equal(30, header.ObjectCount);
            Assert.True(header.AppliedIndex >= expected.Values.Max(v => v.ResourceVersion), $"header index {header.AppliedIndex} covers every write");

            // A fresh cluster on new ports and empty data directories, every member seeded from the same file: the
            // first two offline with `cpctl snapshot restore` (the node then starts with no restore flag), the third
            // by the node's own --restore-snapshot flag. Both paths give the same state.
            var seeded = new List<string>();
            await using var fresh = await Clusters.StartAsync(nodes: 3, name: "restored", configure: node =>
            {
                if (node.Index == 2) node.Settings["ControlPlane:Node:RestoreFromSnapshot"] = file;
                else seeded.Add(RestoreWithCpctl(file, header.Sha256, node.DataDirectory));
            });
            try
            {
                Assert.Equal(2, seeded.Count);
                Assert.All(seeded, output => Assert.Contains($"index {header.AppliedIndex}, 30 objects", output, StringComparison.Ordinal));
                foreach (var (name, (resourceVersion, value)) in expected)
                {
                    var read = await Widgets.GetAsync(fresh.CreateResourceClient((int)(resourceVersion % 3)), name);
                    Assert.True(read is not null, $"{name} was restored");
                    Assert.Equal((resourceVersion, value), read.Value);
                }

                // The log continues above the snapshot: resourceVersions never go backwards.
                var next = await Widgets.PutAsync(fresh.CreateResourceClient(0), "after-restore", 1);
                Assert.True(next > header.AppliedIndex, $"first write after the restore got {next}, not above the snapshot's {header.AppliedIndex}");
                var updated = await Widgets.PutAsync(fresh.CreateResourceClient(1), "w0", 7);
                Assert.True(updated > next);
                await Clusters.WaitAsync("the restored members at one applied index and state hash", Clusters.Wait, async () =>
                {
                    var statuses = await Task.WhenAll(Enumerable.Range(0, 3).Select(fresh.StatusAsync));
                    return (statuses.All(s => s.AppliedIndex >= updated) && statuses.Select(s => s.StateHash).Distinct().Count() == 1, string.Join(" ", statuses.Select(s => s.StateHash)));
                });
            }
            catch
            {
                fresh.KeepArtifacts();
                throw;
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// Runs the real cpctl (built next to this checkout's node) to seed <paramref name="dataDirectory"/> offline,
    /// before the cluster starts its processes; returns what cpctl printed.
    /// </summary>
    private static string RestoreWithCpctl(string snapshot, string sha256, string dataDirectory)
    {
        var root = NodeBinary.FindRepositoryRoot(AppContext.BaseDirectory);
        var cpctl = Path.Combine(root, "src", "ControlPlane.Cli", "bin", NodeBinary.BuildConfiguration, $"net{Environment.Version.Major}.{Environment.Version.Minor}", "cpctl.dll");
        Assert.True(File.Exists(cpctl), $"expected the cpctl build at {cpctl}");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { cpctl, "snapshot", "restore", snapshot, "--data-dir", dataDirectory, "--sha256", sha256, "--node-binary", NodeBinary.Locate() },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var reads = new[] { process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync() };
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("cpctl snapshot restore did not finish within 60 s");
        }

        Assert.True(Task.WaitAll(reads, TimeSpan.FromSeconds(10)), "cpctl exited but its output did not end within 10 s");
        var (output, error) = (reads[0].Result, reads[1].Result);
        Assert.True(process.ExitCode == 0, $"cpctl snapshot restore exited {process.ExitCode}: {error}{output}");
        Assert.True(File.Exists(Path.Combine(dataDirectory, "RESTORED")), $"cpctl seeded {dataDirectory}");
        return output;
    }

    private static async Task<SnapshotHeader> SaveAsync(AdminService.AdminServiceClient admin, string path)
    {
        using var call = admin.SaveSnapshot(new SaveSnapshotRequest(), deadline: DateTime.UtcNow.AddSeconds(30));
        SnapshotHeader? header = null;
        await using var output = File.Create(path);
        await foreach (var part in call.ResponseStream.ReadAllAsync())
        {
            if (part.PartCase == SaveSnapshotResponse.PartOneofCase.Header)
            {
                Assert.Null(header);
                header = part.Header;
            }
            else
            {
                Assert.NotNull(header);
                part.Chunk.WriteTo(output);
            }
        }

        return header ?? throw new InvalidOperationException("the snapshot stream had no header");
    }
}
