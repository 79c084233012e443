using System.Text.Json.Nodes;
using ControlPlane.Contracts.V1;
using Google.Protobuf;
using Grpc.Core;

namespace ControlPlane.Client.Tests;

/// <summary>The SDK over its real HTTP/2 channels, against fake members on 127.0.0.1.</summary>
[Trait("Category", "Integration")]
public sealed class TransportTests
{
    [Fact]
    public async Task ConnectionRefused_FailsOverToTheNextEndpoint()
    {
        await using var live = await FakeMember.StartAsync();
        live.ListKinds = (_, _) => new ListKindsResponse { Kinds = { new KindInfo { ApiVersion = "example.com/v1", Kind = "Goal", Count = 2, Namespaced = true } } };
        var dead = FakeMember.DeadEndpoint();
        using var client = new ControlPlaneClient(Options(dead, live.Endpoint));

        var kinds = await client.ListKindsAsync();

        Assert.Equal(new DiscoveredKind("example.com/v1", "Goal", 2, true), Assert.Single(kinds));
        Assert.Equal(live.Endpoint, client.CurrentEndpoint);
    }

    [Fact]
    public async Task TrailersFromTheServer_BecomeTypedExceptions()
    {
        await using var member = await FakeMember.StartAsync();
        member.Create = (_, _) => throw new RpcException(
            new Status(StatusCode.AlreadyExists, "goal \"g1\" already exists"),
            new Metadata { { ErrorTrailers.Reason, "AlreadyExists" }, { ErrorTrailers.CurrentResourceVersion, "17" } });
        using var client = new ControlPlaneClient(Options(member.Endpoint));

        var error = await Assert.ThrowsAsync<AlreadyExistsException>(() => client.CreateAsync(Goal()));

        Assert.Equal("17", error.CurrentResourceVersion);
        Assert.Equal("goal \"g1\" already exists", error.Message);
        Assert.Equal(1, member.Calls);
    }

    [Fact]
    public async Task LeaderHint_SkipsAheadToTheLeader_WithTheSameRequestId()
    {
        await using var follower = await FakeMember.StartAsync();
        await using var leader = await FakeMember.StartAsync();
        var seen = new List<string>();
        follower.Create = (request, _) =>
        {
            lock (seen) seen.Add(request.Options.RequestId);
            throw new RpcException(new Status(StatusCode.Unavailable, "not the leader"),
                new Metadata { { ErrorTrailers.Reason, "Unavailable" }, { ErrorTrailers.LeaderEndpoint, leader.Endpoint } });
        };
        leader.Create = (request, _) =>
        {
            lock (seen) seen.Add(request.Options.RequestId);
            return new WriteResourceResponse { Outcome = Outcome.Created, ResourceVersion = "3", Object = ByteString.CopyFromUtf8(Goal().ToJsonString()) };
        };
        await using var bystander = await FakeMember.StartAsync();
        using var client = new ControlPlaneClient(Options(follower.Endpoint, bystander.Endpoint, leader.Endpoint));

        var result = await client.CreateAsync(Goal());

        Assert.Equal(WriteOutcome.Created, result.Outcome);
        Assert.Equal(0, bystander.Calls);
        Assert.Equal(2, seen.Count);
        Assert.Equal(seen[0], seen[1]);
        Assert.Equal(result.RequestId, seen[0]);
    }

    private static ControlPlaneClientOptions Options(params string[] endpoints)
    {
        var options = new ControlPlaneClientOptions { CallTimeout = TimeSpan.FromSeconds(20), RetryBackoffBase = TimeSpan.FromMilliseconds(10) };
        foreach (var endpoint in endpoints) options.Endpoints.Add(endpoint);
        return options;
    }

    private static JsonObject Goal() =>
        JsonNode.Parse("""{"apiVersion":"example.com/v1","kind":"Goal","metadata":{"name":"g1"}}""")!.AsObject();
}
