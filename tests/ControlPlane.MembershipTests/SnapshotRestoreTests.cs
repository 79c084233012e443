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

            // A fresh cluster on new ports and empty data directories, every member seeded from the same file.
            await using var fresh = await Clusters.StartAsync(nodes: 3, name: "restored", configure: node => node.Settings["ControlPlane:Node:RestoreFromSnapshot"] = file);
            try
            {
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
