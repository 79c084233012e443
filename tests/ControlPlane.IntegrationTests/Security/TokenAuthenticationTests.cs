using System.Text.RegularExpressions;
using ControlPlane.Client;
using ControlPlane.Contracts.V1;
using ControlPlane.Testing;
using Google.Protobuf;
using Grpc.Core;

namespace ControlPlane.IntegrationTests.Security;

/// <summary>
/// With a token file every gRPC call needs a known bearer token, and the token's role decides what it may do:
/// refused calls change nothing, a write forwarded by a follower keeps its caller's principal, and every mutating
/// or admin call leaves one audit line in the cluster.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class TokenAuthenticationTests(TokenClusterFixture fixture) : IClassFixture<TokenClusterFixture>
{
    private static readonly TimeSpan _wait = TimeSpan.FromSeconds(20);
    private ProcessCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task NoTokenOrAnUnknownOne_IsUnauthenticated_ForReadsAndWrites_AndWritesNothing()
    {
        var client = Cluster.CreateResourceClient(0);
        var missing = await Assert.ThrowsAsync<RpcException>(() => client.GetResourceAsync(new GetResourceRequest { Ref = Objects.Ref("x") }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, missing.StatusCode);
        Assert.Contains("bearer token", missing.Status.Detail, StringComparison.Ordinal);

        var unknown = await Assert.ThrowsAsync<RpcException>(() => client.CreateResourceAsync(
            new CreateResourceRequest { Object = Objects.Widget("unknown-token") }, Bearer("not-a-token-of-this-cluster")).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, unknown.StatusCode);
        Assert.Contains("not one this cluster knows", unknown.Status.Detail, StringComparison.Ordinal);

        var basic = await Assert.ThrowsAsync<RpcException>(() => client.CreateResourceAsync(
            new CreateResourceRequest { Object = Objects.Widget("basic-scheme") }, new Metadata { { "authorization", "Basic " + TokenClusterFixture.AdminToken } }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, basic.StatusCode);

        await AssertAbsentAsync("unknown-token");
        await AssertAbsentAsync("basic-scheme");
    }

    [Fact]
    public async Task HealthCheck_NeedsNoToken()
    {
        using var channel = Cluster.CreateChannel(1);
        var health = new Grpc.Health.V1.Health.HealthClient(channel);
        var answer = await health.CheckAsync(new Grpc.Health.V1.HealthCheckRequest());
        Assert.Equal(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, answer.Status);
    }

    [Fact]
    public async Task Reader_ReadsButCannotWrite_AndTheRefusalChangesNothing()
    {
        var name = "reader-" + Guid.NewGuid().ToString("N")[..8];
        var client = Cluster.CreateResourceClient(1);
        await client.ListResourcesAsync(new ListResourcesRequest { ApiVersion = Objects.ApiVersion, Kind = Objects.Kind }, Bearer(TokenClusterFixture.ReaderToken));

        var denied = await Assert.ThrowsAsync<RpcException>(() => client.CreateResourceAsync(
            new CreateResourceRequest { Object = Objects.Widget(name) }, Bearer(TokenClusterFixture.ReaderToken)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Contains("principal rita (role reader)", denied.Status.Detail, StringComparison.Ordinal);
        await AssertAbsentAsync(name);
        await WaitForAuditAsync(new Regex($@"audit principal=rita method=/controlplane\.v1\.ResourceService/CreateResource target=""example\.com/v1/Widget/default/{name}"" outcome=PermissionDenied"), expectedNode: 1);
    }

    [Fact]
    public async Task Writer_WritesThroughAFollower_UnderItsOwnPrincipal_ButNotStatus()
    {
        var leader = await Cluster.WaitForLeaderAsync();
        var follower = (leader + 1) % Cluster.Count;
        var name = "writer-" + Guid.NewGuid().ToString("N")[..8];
        var requestId = "req-" + name;
        var client = Cluster.CreateResourceClient(follower);
        await client.CreateResourceAsync(
            new CreateResourceRequest { Object = Objects.Widget(name), Options = new ControlPlane.Contracts.V1.WriteOptions { RequestId = requestId } },
            Bearer(TokenClusterFixture.WriterToken));
        await AssertPresentAsync(name);

        // The follower that took the write audits it; so does the leader, marked forwarded-by, and the leader's line
        // names the principal it recorded with the command: the writer's, not the forwarding member's.
        var line = $@"audit principal=wanda method=/controlplane\.v1\.ResourceService/CreateResource target=""Put \(create\) example\.com/v1/Widget/default/{name} reason=Operator request={requestId}"" outcome=OK peer=\S+ forwarded-by=";
        await WaitForAuditAsync(new Regex(line + @"\r?$", RegexOptions.Multiline), expectedNode: follower);
        await WaitForAuditAsync(new Regex(line + $"node{follower}"), expectedNode: leader);

        var status = await Assert.ThrowsAsync<RpcException>(() => client.UpdateResourceStatusAsync(
            new UpdateResourceStatusRequest { Ref = Objects.Ref(name), Status = ByteString.CopyFromUtf8("""{"ready":true}""") },
            Bearer(TokenClusterFixture.WriterToken)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, status.StatusCode);
        Assert.Contains("status writes", status.Status.Detail, StringComparison.Ordinal);
        var stored = Objects.Parse((await GetAsync(name)).Object);
        Assert.Null(stored["status"]);
    }

    [Fact]
    public async Task AForwardedWriteThatFails_IsAuditedWithTheLeadersReason_NotTheGrpcStatus()
    {
        var leader = await Cluster.WaitForLeaderAsync();
        var follower = (leader + 1) % Cluster.Count;
        var name = "stale-" + Guid.NewGuid().ToString("N")[..8];
        var client = Cluster.CreateResourceClient(follower);
        await client.CreateResourceAsync(new CreateResourceRequest { Object = Objects.Widget(name) }, Bearer(TokenClusterFixture.WriterToken));

        // A stale expected resourceVersion: the leader refuses with Conflict, which gRPC carries as Aborted.
        var stale = await Assert.ThrowsAsync<RpcException>(() => client.UpdateResourceAsync(
            new UpdateResourceRequest { Object = Objects.Widget(name, size: 2), ExpectedResourceVersion = "1", Options = new ControlPlane.Contracts.V1.WriteOptions { RequestId = "stale-" + name } },
            Bearer(TokenClusterFixture.WriterToken)).ResponseAsync);
        Assert.Equal(StatusCode.Aborted, stale.StatusCode);

        await WaitForAuditAsync(new Regex($@"method=/controlplane\.v1\.ResourceService/UpdateResource target=""Put [^""]*/{name} reason=Operator request=stale-{name}"" outcome=Conflict peer=\S+ forwarded-by=\r?$", RegexOptions.Multiline), expectedNode: follower);
    }

    [Fact]
    public async Task StatusWriter_WritesStatusButNotTheObject()
    {
        var name = "status-" + Guid.NewGuid().ToString("N")[..8];
        var client = Cluster.CreateResourceClient(2);
        await client.CreateResourceAsync(new CreateResourceRequest { Object = Objects.Widget(name) }, Bearer(TokenClusterFixture.AdminToken));

        await client.UpdateResourceStatusAsync(
            new UpdateResourceStatusRequest { Ref = Objects.Ref(name), Status = ByteString.CopyFromUtf8("""{"ready":true}""") },
            Bearer(TokenClusterFixture.StatusWriterToken));
        var denied = await Assert.ThrowsAsync<RpcException>(() => client.DeleteResourceAsync(
            new DeleteResourceRequest { Ref = Objects.Ref(name) }, Bearer(TokenClusterFixture.StatusWriterToken)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);

        var stored = Objects.Parse((await GetAsync(name)).Object);
        Assert.True(stored["status"]!["ready"]!.GetValue<bool>());
    }

    [Fact]
    public async Task OnlyAdmin_MayResignTheLeader_AndARefusalIsAudited()
    {
        var leader = await Cluster.WaitForLeaderAsync();
        var admin = Cluster.CreateAdminClient(leader);
        var denied = await Assert.ThrowsAsync<RpcException>(() => admin.ResignLeaderAsync(new ResignLeaderRequest(), Bearer(TokenClusterFixture.WriterToken)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Contains("admin calls", denied.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(leader, await Cluster.WaitForLeaderAsync());
        await WaitForAuditAsync(new Regex(@"audit principal=wanda method=/controlplane\.v1\.AdminService/ResignLeader target="""" outcome=PermissionDenied"), expectedNode: leader);

        // A read of the membership is a read.
        // The answering member probes the others over gRPC with the member token: every one answers.
        var members = await admin.ListMembersAsync(new ListMembersRequest(), Bearer(TokenClusterFixture.ReaderToken));
        Assert.Equal(3, members.Members.Count);
        Assert.All(members.Members, m => Assert.True(m.Reachable, $"{m.Name} unreachable: {m.Error}"));
    }

    [Fact]
    public async Task AnAuditLine_EscapesWhatTheCallerChose_SoItCannotFakeAnOutcome()
    {
        var name = "forged-" + Guid.NewGuid().ToString("N")[..8];
        var forged = $"{name}\" outcome=OK peer=ipv4:10.0.0.9 ";
        var denied = await Assert.ThrowsAsync<RpcException>(() => Cluster.CreateResourceClient(2).DeleteResourceAsync(
            new DeleteResourceRequest { Ref = Objects.Ref(forged) }, Bearer(TokenClusterFixture.ReaderToken)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);

        await WaitForAuditAsync(new Regex($@"target=""example\.com/v1/Widget/default/{name}\\"" outcome=OK peer=ipv4:10\.0\.0\.9 "" outcome=PermissionDenied"), expectedNode: 2);
    }

    [Fact]
    public async Task AClientNamingAnotherPrincipal_IsRefused()
    {
        var name = "impersonate-" + Guid.NewGuid().ToString("N")[..8];
        var headers = Bearer(TokenClusterFixture.AdminToken);
        headers.Add("cp-principal", "someone-else");
        var denied = await Assert.ThrowsAsync<RpcException>(() => Cluster.CreateResourceClient(0).CreateResourceAsync(
            new CreateResourceRequest { Object = Objects.Widget(name) }, headers).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Contains("only members", denied.Status.Detail, StringComparison.Ordinal);
        await AssertAbsentAsync(name);
    }

    [Fact]
    public async Task Sdk_SendsItsBearerToken_AndReportsAMissingOneAsUnauthenticated()
    {
        var name = "sdk-" + Guid.NewGuid().ToString("N")[..8];
        await using (var withToken = Sdk(TokenClusterFixture.WriterToken))
        {
            await withToken.CreateAsync(Objects.Parse(Objects.Widget(name)));
            Assert.NotNull(await withToken.GetAsync(Objects.ApiVersion, Objects.Kind, Objects.Namespace, name));
        }

        await using var withoutToken = Sdk(null);
        var e = await Assert.ThrowsAsync<ControlPlaneClientException>(() => withoutToken.GetAsync(Objects.ApiVersion, Objects.Kind, Objects.Namespace, name));
        Assert.Equal(ErrorReason.Unauthenticated, e.Reason);
    }

    private ControlPlaneClient Sdk(string? token)
    {
        var options = new ControlPlaneClientOptions { BearerToken = token, MaxAttempts = 6, CallTimeout = TimeSpan.FromSeconds(30) };
        for (var i = 0; i < Cluster.Count; i++) options.Endpoints.Add(Cluster.GrpcEndpoint(i).ToString());
        return new ControlPlaneClient(options);
    }

    private static Metadata Bearer(string token) => new() { { "authorization", "Bearer " + token } };

    private Task<GetResourceResponse> GetAsync(string name) =>
        Cluster.CreateResourceClient(0).GetResourceAsync(new GetResourceRequest { Ref = Objects.Ref(name) }, Bearer(TokenClusterFixture.AdminToken)).ResponseAsync;

    private async Task AssertPresentAsync(string name) => Assert.Equal(name, Objects.Parse((await GetAsync(name)).Object)["metadata"]!["name"]!.GetValue<string>());

    private async Task AssertAbsentAsync(string name)
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => GetAsync(name));
        Assert.Equal(StatusCode.NotFound, e.StatusCode);
    }

    /// <summary>Waits until the audit line appears in node <paramref name="expectedNode"/>'s log, and in no other node's.</summary>
    private async Task WaitForAuditAsync(Regex line, int expectedNode)
    {
        var counts = new int[Cluster.Count];
        await Eventually.WaitAsync(
            async () =>
            {
                for (var i = 0; i < Cluster.Count; i++) counts[i] = line.Matches(await File.ReadAllTextAsync(Cluster.LogPath(i))).Count;
                return counts[expectedNode] > 0;
            },
            _wait,
            () => $"no audit line matching {line} in node{expectedNode}'s log (see {Cluster.LogPath(expectedNode)})");
        Assert.Equal(1, counts[expectedNode]);
        Assert.Equal(1, counts.Sum());
    }
}
