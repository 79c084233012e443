using System.Text.Json.Nodes;
using ControlPlane.ChaosTests.Infrastructure;
using ControlPlane.Contracts.V1;
using Google.Protobuf;
using Xunit.Abstractions;

namespace ControlPlane.ChaosTests.Cluster;

/// <summary>
/// The first real container cluster: three nodes from the node image elect a leader, a write sent to a follower is
/// forwarded and committed, and every node reads it back. Needs scripts/chaos-setup.sh (node image).
/// </summary>
[Trait("Category", "Chaos")]
public sealed class ClusterStartTests(ContainerCluster cluster, ITestOutputHelper output) : IClassFixture<ContainerCluster>
{
    private static readonly TimeSpan _electionDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public Task ThreeNodes_ElectOneLeader_AndAWriteThroughAFollowerIsReadBackFromEveryNode() =>
        ChaosRun.ExecuteAsync(cluster, output, async run =>
        {
            var leader = await cluster.WaitForLeaderAsync(_electionDeadline);
            run.Record($"leader {leader}");
            var follower = cluster.NodeNames.First(n => n != leader);

            var name = $"chaos-smoke-{run.Seed:x8}";
            var written = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ConfigMap",
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
                ["spec"] = new JsonObject { ["seed"] = run.Seed },
            };
            using (var channel = cluster.CreateChannel(follower))
            {
                var client = new ResourceService.ResourceServiceClient(channel);
                var response = await client.CreateResourceAsync(
                    new CreateResourceRequest { Object = ByteString.CopyFromUtf8(written.ToJsonString()) },
                    deadline: DateTime.UtcNow.AddSeconds(15));
                Assert.Equal(Outcome.Created, response.Outcome);
                run.Record($"created {name} through {follower} at resourceVersion {response.ResourceVersion}");
                Assert.True(long.TryParse(response.ResourceVersion, out var version) && version > 0,
                    $"resourceVersion must be a positive Raft index, got '{response.ResourceVersion}'");

                foreach (var node in cluster.NodeNames)
                {
                    using var nodeChannel = cluster.CreateChannel(node);
                    var read = await new ResourceService.ResourceServiceClient(nodeChannel).GetResourceAsync(
                        new GetResourceRequest
                        {
                            Ref = new ResourceRef { ApiVersion = "v1", Kind = "ConfigMap", Namespace = "default", Name = name },
                            Read = new ReadOptions { Mode = ReadMode.Linearizable },
                        },
                        deadline: DateTime.UtcNow.AddSeconds(15));
                    var stored = JsonNode.Parse(read.Object.ToStringUtf8())!.AsObject();
                    Assert.Equal(run.Seed, stored["spec"]!["seed"]!.GetValue<int>());
                    Assert.Equal(response.ResourceVersion, stored["metadata"]!["resourceVersion"]!.GetValue<string>());
                    run.Record($"{node} read {name} at resourceVersion {response.ResourceVersion} (applied {read.AppliedIndex})");
                }
            }

            var index = await cluster.WaitForConvergenceAsync(TimeSpan.FromSeconds(15));
            run.Record($"converged at applied index {index}");
        });
}
