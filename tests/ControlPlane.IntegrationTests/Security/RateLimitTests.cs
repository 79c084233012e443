using ControlPlane.Contracts.V1;
using ControlPlane.Testing;
using Grpc.Core;

namespace ControlPlane.IntegrationTests.Security;

/// <summary>
/// A client over its write rate is refused with ResourceExhausted and writes nothing more, while its reads still
/// pass; forwarded writes are not counted twice.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class RateLimitTests
{
    [Fact]
    public async Task WritesOverTheBurst_AreRefused_ResourceExhausted_AndChangeNothing_ReadsStillPass()
    {
        await using var cluster = await ProcessCluster.StartAsync(new ProcessClusterOptions
        {
            Name = "rate-limit",

            // One write a minute after a burst of three: nothing is replenished while the test runs.
            Configure = node =>
            {
                node.Settings["ControlPlane:Security:RateLimit:WritesPerSecond"] = "0.0166";
                node.Settings["ControlPlane:Security:RateLimit:Burst"] = "3";
            },
        });
        var leader = await cluster.WaitForLeaderAsync();
        var follower = (leader + 1) % cluster.Count;

        // Two through a follower: it counts them, and the leader does not count them again. The test's client and the
        // follower are both 127.0.0.1, so counted twice the third direct write below would already be refused.
        var viaFollower = cluster.CreateResourceClient(follower);
        for (var i = 0; i < 2; i++) await viaFollower.CreateResourceAsync(new CreateResourceRequest { Object = Objects.Widget($"limited-{i}") });
        var client = cluster.CreateResourceClient(leader);
        for (var i = 2; i < 5; i++) await client.CreateResourceAsync(new CreateResourceRequest { Object = Objects.Widget($"limited-{i}") });
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.CreateResourceAsync(new CreateResourceRequest { Object = Objects.Widget("limited-5") }).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains("is over its write rate limit (0.0166 per second, burst 3); retry after", refused.Status.Detail, StringComparison.Ordinal);
        var listed = await client.ListResourcesAsync(new ListResourcesRequest { ApiVersion = Objects.ApiVersion, Kind = Objects.Kind, Namespace = Objects.Namespace });
        Assert.Equal(["limited-0", "limited-1", "limited-2", "limited-3", "limited-4"], listed.Items.Select(i => Objects.Parse(i)["metadata"]!["name"]!.GetValue<string>()));
    }
}
