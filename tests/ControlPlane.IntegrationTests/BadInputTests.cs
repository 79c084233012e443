using ControlPlane.Contracts.V1;
using ControlPlane.Testing;
using Google.Protobuf;
using Grpc.Core;

namespace ControlPlane.IntegrationTests;

/// <summary>
/// Every class of bad input gets the right gRPC code and a message naming the problem, and changes nothing:
/// no node's state hash, object count or commit index moves.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class BadInputTests(SharedClusterFixture fixture) : IClassFixture<SharedClusterFixture>
{
    private static readonly ResourceRef Existing = Objects.Ref("bad-input-target");

    private static readonly HashSet<string> DecidedByApply = ["patch growing the object over the limit", "patch of a missing object", "patch renaming the object", "stale expected resourceVersion"];

    public static TheoryData<string> Cases => [.. BadRequests.Keys];

    private static readonly Dictionary<string, (StatusCode Code, string Mentions, Func<ResourceService.ResourceServiceClient, Task> Call)> BadRequests = new()
    {
        ["invalid name"] = (StatusCode.InvalidArgument, "metadata.name \"Bad_Name\"", c => Create(c, """{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"Bad_Name","namespace":"default"}}""")),
        ["missing kind"] = (StatusCode.InvalidArgument, "kind is required", c => Create(c, """{"apiVersion":"example.com/v1","metadata":{"name":"x","namespace":"default"}}""")),
        ["missing apiVersion"] = (StatusCode.InvalidArgument, "apiVersion is required", c => Create(c, """{"kind":"Widget","metadata":{"name":"x","namespace":"default"}}""")),
        ["non-object JSON"] = (StatusCode.InvalidArgument, "must be a JSON object, got an array", c => Create(c, """[{"kind":"Widget"}]""")),
        ["not JSON"] = (StatusCode.InvalidArgument, "not valid JSON", c => Create(c, "{apiVersion: nope")),
        ["status with an undecodable string"] = (StatusCode.InvalidArgument, "status has an undecodable string", c => c.UpdateResourceStatusAsync(new UpdateResourceStatusRequest { Ref = Existing, Status = ByteString.CopyFromUtf8("""{"ready":"\ud800"}""") }).ResponseAsync),
        ["number no comparison can read"] = (StatusCode.InvalidArgument, "exponent beyond", c => Create(c, """{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"x","namespace":"default"},"spec":{"n":1e99999999999}}""")),
        ["status naming a member twice"] = (StatusCode.InvalidArgument, "status is not valid JSON", c => c.UpdateResourceStatusAsync(new UpdateResourceStatusRequest { Ref = Existing, Status = ByteString.CopyFromUtf8("""{"ready":true,"ready":false}""") }).ResponseAsync),
        ["patch not an object"] = (StatusCode.InvalidArgument, "merge patch must be a JSON object", c => c.PatchResourceAsync(new PatchResourceRequest { Ref = Existing, MergePatch = ByteString.CopyFromUtf8("[1,2]") }).ResponseAsync),
        ["object over the size limit"] = (StatusCode.InvalidArgument, $"over the limit of {SharedClusterFixture.MaxObjectBytes} bytes", c => Create(c, $$$"""{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"huge","namespace":"default"},"spec":{"pad":"{{{new string('x', SharedClusterFixture.MaxObjectBytes)}}}"}}""")),
        ["patch growing the object over the limit"] = (StatusCode.InvalidArgument, $"over the limit of {SharedClusterFixture.MaxObjectBytes} bytes", c => c.PatchResourceAsync(new PatchResourceRequest { Ref = Existing, MergePatch = ByteString.CopyFromUtf8($$$"""{"spec":{"pad":"{{{new string('y', SharedClusterFixture.MaxObjectBytes - 100)}}}"}}""") }).ResponseAsync),
        ["unknown metadata field"] = (StatusCode.InvalidArgument, "metadata.owner is not a known field", c => Create(c, """{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"x","namespace":"default","owner":"me"}}""")),
        ["expected resourceVersion not a number"] = (StatusCode.InvalidArgument, "\"12abc\" is not a valid resourceVersion", c => c.DeleteResourceAsync(new DeleteResourceRequest { Ref = Existing, ExpectedResourceVersion = "12abc" }).ResponseAsync),
        ["invalid label value"] = (StatusCode.InvalidArgument, "metadata.labels[\"app\"]", c => Create(c, """{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"x","namespace":"default","labels":{"app":"-bad-"}}}""")),
        ["invalid namespace"] = (StatusCode.InvalidArgument, "metadata.namespace \"Default\"", c => Create(c, """{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"x","namespace":"Default"}}""")),
        ["bad label selector"] = (StatusCode.InvalidArgument, "label selector", c => c.ListResourcesAsync(new ListResourcesRequest { ApiVersion = "example.com/v1", Kind = "Widget", LabelSelector = "app in (a" }).ResponseAsync),
        ["forged continue token"] = (StatusCode.InvalidArgument, "continue_token", c => c.ListResourcesAsync(new ListResourcesRequest { ApiVersion = "example.com/v1", Kind = "Widget", ContinueToken = "bm90LW91cnM" }).ResponseAsync),
        ["negative limit"] = (StatusCode.InvalidArgument, "limit must not be negative", c => c.ListResourcesAsync(new ListResourcesRequest { ApiVersion = "example.com/v1", Kind = "Widget", Limit = -1 }).ResponseAsync),
        ["patch of a missing object"] = (StatusCode.NotFound, "not found", c => c.PatchResourceAsync(new PatchResourceRequest { Ref = Objects.Ref("missing"), MergePatch = ByteString.CopyFromUtf8("""{"spec":{}}""") }).ResponseAsync),
        ["patch renaming the object"] = (StatusCode.InvalidArgument, "cannot change", c => c.PatchResourceAsync(new PatchResourceRequest { Ref = Existing, MergePatch = ByteString.CopyFromUtf8("""{"metadata":{"name":"other"}}""") }).ResponseAsync),
        ["stale expected resourceVersion"] = (StatusCode.Aborted, "not the expected 1", c => c.UpdateResourceAsync(new UpdateResourceRequest { Object = Objects.Widget("bad-input-target", size: 9), ExpectedResourceVersion = "1" }).ResponseAsync),
        ["watch from a malformed position"] = (StatusCode.InvalidArgument, "resource_version", async c =>
        {
            using var call = c.WatchResources(new WatchResourcesRequest { ApiVersion = "example.com/v1", Kind = "Widget", ResourceVersion = "-5" });
            await call.ResponseStream.MoveNext(CancellationToken.None);
        }),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadInput_RefusedWithCodeAndMessage_StoreUnchanged(string @case)
    {
        var (code, mentions, call) = BadRequests[@case];
        var cluster = fixture.Cluster;
        await EnsureTargetAsync(cluster);
        var before = await SnapshotAsync(cluster);

        var e = await Assert.ThrowsAsync<RpcException>(() => call(cluster.CreateResourceClient(1)));
        Assert.Equal(code, e.StatusCode);
        Assert.Contains(mentions, e.Status.Detail, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(e.Trailers.GetValue("cp-error-reason")), "every error names its reason in a trailer");

        // What only apply can decide (conflicts, missing objects, the size of a patched object) passes through the
        // log as a refused command; everything else is refused before anything is proposed.
        var after = await SnapshotAsync(cluster);
        Assert.Equal(before.Objects, after.Objects);
        if (!DecidedByApply.Contains(@case)) Assert.Equal(before.CommitIndex, after.CommitIndex);
        var target = await cluster.GetLinearizableAsync(0, Existing);
        Assert.Equal(before.TargetJson, target.Object.ToStringUtf8());
    }

    private static Task Create(ResourceService.ResourceServiceClient client, string json) =>
        client.CreateResourceAsync(new CreateResourceRequest { Object = ByteString.CopyFromUtf8(json) }).ResponseAsync;

    private static async Task EnsureTargetAsync(ProcessCluster cluster)
    {
        try
        {
            await cluster.CreateResourceClient(0).CreateResourceAsync(new CreateResourceRequest { Object = Objects.Widget("bad-input-target", size: 1) });
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.AlreadyExists)
        {
        }
    }

    /// <summary>The leader's commit index, each node's object hash (at equal indexes) and the target object.</summary>
    private static async Task<(long CommitIndex, string Objects, string TargetJson)> SnapshotAsync(ProcessCluster cluster)
    {
        var leader = await cluster.WaitForLeaderAsync();
        var commit = (await cluster.GetStatusAsync(leader)).CommitIndex;
        var statuses = await cluster.WaitForAppliedAsync(commit);
        var hashes = statuses.Select(s => s.StateHash!.Split('@')[0]).Distinct().ToArray();
        Assert.Single(hashes);
        var target = await cluster.GetLinearizableAsync(0, Existing);
        return (commit, $"{hashes[0]}/{statuses[0].ObjectCount}", target.Object.ToStringUtf8());
    }
}
