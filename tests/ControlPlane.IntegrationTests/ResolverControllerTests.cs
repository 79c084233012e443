using System.Text.Json.Nodes;
using ControlPlane.Contracts.V1;
using ControlPlane.Testing;
using Google.Protobuf;
using Grpc.Core;
using Xunit.Abstractions;

namespace ControlPlane.IntegrationTests;

/// <summary>The resolver runs on the leader of a real three-node cluster, and on the next leader after a kill.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class ResolverControllerTests(ITestOutputHelper output)
{
    private const string Api = "planning.controlplane.dev/v1";

    [Fact]
    public async Task GoalAndPlans_GoalStatusNamesBestPlan_NextLeaderTakesOverAfterKill()
    {
        await using var cluster = await ProcessCluster.StartAsync();
        var leader = await cluster.WaitForLeaderAsync();
        var client = cluster.CreateResourceClient((leader + 1) % cluster.Count);
        await Create(client, Plan("web-v1", "1.0.0"));
        await Create(client, Plan("web-v2", "1.2.0"));
        await Create(client, """{"apiVersion":"planning.controlplane.dev/v1","kind":"Goal","metadata":{"name":"web","namespace":"prod"},"spec":{}}""");

        var status = await WaitForActivePlan(cluster, (leader + 2) % cluster.Count, "web-v2");
        Assert.Equal("Ready", status["phase"]!.GetValue<string>());
        var condition = status["conditions"]!.AsArray().Single()!;
        Assert.Equal("PlanResolved", condition["type"]!.GetValue<string>());
        Assert.Equal("PlanFound", condition["reason"]!.GetValue<string>());

        // The controller moves with leadership: kill the leader, add a better Plan, the new leader resolves it.
        await cluster.KillAsync(leader);
        var next = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30), excluding: [leader]);
        var survivor = cluster.CreateResourceClient(next);
        await Eventually.WaitAsync(
            async () =>
            {
                try
                {
                    await Create(survivor, Plan("web-v3", "2.0.0"));
                    return true;
                }
                catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
                {
                    return false;
                }
                catch (RpcException e) when (e.StatusCode is StatusCode.AlreadyExists)
                {
                    return true;
                }
            },
            TimeSpan.FromSeconds(30),
            () => "creating Plan web-v3 on the new leader");
        await WaitForActivePlan(cluster, next, "web-v3");
        output.WriteLine($"resolver moved from node{leader} to node{next}");
    }

    private static string Plan(string name, string version) =>
        $$$"""{"apiVersion":"{{{Api}}}","kind":"Plan","metadata":{"name":"{{{name}}}","namespace":"prod"},"spec":{"goalRef":{"name":"web"},"version":"{{{version}}}"}}""";

    private static Task Create(ResourceService.ResourceServiceClient client, string json) =>
        client.CreateResourceAsync(new CreateResourceRequest { Object = ByteString.CopyFromUtf8(json) }, deadline: DateTime.UtcNow.AddSeconds(10)).ResponseAsync;

    private static async Task<JsonObject> WaitForActivePlan(ProcessCluster cluster, int node, string plan)
    {
        JsonObject? status = null;
        await Eventually.WaitAsync(
            async () =>
            {
                try
                {
                    var goal = await cluster.CreateResourceClient(node).GetResourceAsync(new GetResourceRequest { Ref = new ResourceRef { ApiVersion = Api, Kind = "Goal", Namespace = "prod", Name = "web" } });
                    status = JsonNode.Parse(goal.Object.Span)!["status"] as JsonObject;
                    return status?["activePlanRef"]?["name"]?.GetValue<string>() == plan;
                }
                catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(30),
            () => $"Goal prod/web to name Plan {plan}; last status: {status?.ToJsonString() ?? "none"}");
        return status!;
    }
}
