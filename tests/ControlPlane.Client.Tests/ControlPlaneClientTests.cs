using System.Text.Json.Nodes;
using ControlPlane.Contracts.V1;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;

namespace ControlPlane.Client.Tests;

public sealed class ControlPlaneClientTests
{
    private const string A = "http://127.0.0.1:7101";
    private const string B = "http://127.0.0.1:7102";
    private const string C = "http://127.0.0.1:7103";
    private const string GoalJson = """{"apiVersion":"example.com/v1","kind":"Goal","metadata":{"name":"g1","namespace":"team","resourceVersion":"5"},"spec":{"n":1}}""";

    private static readonly ObjectReference G1 = new("example.com/v1", "Goal", "team", "g1");

    private readonly FakeCluster _cluster = new();

    [Fact]
    public async Task Write_RetriedAfterUnavailable_ReusesTheSameRequestIdOnEveryAttempt()
    {
        var attempts = 0;
        _cluster.Handler = call => ++attempts < 3
            ? throw FakeCluster.Failure(StatusCode.Unavailable, "no leader")
            : Written(Outcome.Created);
        using var client = NewClient();

        var result = await client.CreateAsync(JsonNode.Parse(GoalJson)!.AsObject());

        var ids = _cluster.Calls.Select(c => ((CreateResourceRequest)c.Request).Options.RequestId).ToList();
        Assert.Equal(3, ids.Count);
        Assert.False(string.IsNullOrEmpty(ids[0]), "the SDK must generate a request id when the caller gives none");
        Assert.All(ids, id => Assert.Equal(ids[0], id));
        Assert.Equal(ids[0], result.RequestId);
        Assert.Equal(WriteOutcome.Created, result.Outcome);
        Assert.Equal("5", result.ResourceVersion);
    }

    [Fact]
    public async Task Write_CallerRequestId_IsSentAsGivenOnEveryAttempt()
    {
        var attempts = 0;
        _cluster.Handler = call => ++attempts < 2 ? throw FakeCluster.Failure(StatusCode.Unavailable, "down") : Written(Outcome.Patched);
        using var client = NewClient();

        await client.PatchAsync(G1, JsonNode.Parse("""{"spec":{"n":2}}""")!.AsObject(), options: new WriteRequestOptions { RequestId = "op-42", Reason = WriteReason.Controller });

        Assert.All(_cluster.Calls, c =>
        {
            var request = (PatchResourceRequest)c.Request;
            Assert.Equal("op-42", request.Options.RequestId);
            Assert.Equal(Reason.Controller, request.Options.Reason);
        });
        Assert.Equal(2, _cluster.Calls.Count);
    }

    [Fact]
    public async Task Write_SeparateCalls_GetSeparateRequestIds()
    {
        _cluster.Handler = _ => Written(Outcome.Deleted);
        using var client = NewClient();

        await client.DeleteAsync(G1);
        await client.DeleteAsync(G1);

        var ids = _cluster.Calls.Select(c => ((DeleteResourceRequest)c.Request).Options.RequestId).ToList();
        Assert.NotEqual(ids[0], ids[1]);
        Assert.All(_cluster.Calls, c => Assert.Equal(Reason.Operator, ((DeleteResourceRequest)c.Request).Options.Reason));
    }

    [Theory]
    [InlineData(StatusCode.InvalidArgument, "Invalid")]
    [InlineData(StatusCode.NotFound, "NotFound")]
    [InlineData(StatusCode.AlreadyExists, "AlreadyExists")]
    [InlineData(StatusCode.Aborted, "Conflict")]
    [InlineData(StatusCode.FailedPrecondition, "FailedPrecondition")]
    [InlineData(StatusCode.ResourceExhausted, "ResourceExhausted")]
    [InlineData(StatusCode.Internal, "Internal")]
    public async Task Failure_AboutTheRequest_IsNeverRetried(StatusCode code, string reason)
    {
        _cluster.Handler = _ => throw FakeCluster.Failure(code, "no", (ErrorTrailers.Reason, reason));
        using var client = NewClient();

        var error = await Assert.ThrowsAnyAsync<ControlPlaneClientException>(() => client.ApplyAsync(JsonNode.Parse(GoalJson)!.AsObject(), "4"));

        Assert.Single(_cluster.Calls);
        Assert.Equal(Enum.Parse<ErrorReason>(reason), error.Reason);
        Assert.Equal(1, error.Attempts);
    }

    [Fact]
    public async Task Write_AnswerNamingTheLeader_SendsLaterWritesThere_WhileReadsStayWhereTheyWere()
    {
        _cluster.Handler = call => call.Method == "GetResource"
            ? new GetResourceResponse { Object = ByteString.CopyFromUtf8(GoalJson), AppliedIndex = 9 }
            : Written(Outcome.Created);
        _cluster.SuccessTrailers = call => call.Method == "CreateResource" ? new Metadata { { ErrorTrailers.LeaderEndpoint, C } } : [];
        using var client = NewClient();

        await client.CreateAsync(JsonNode.Parse(GoalJson)!.AsObject());
        await client.CreateAsync(JsonNode.Parse(GoalJson)!.AsObject());
        await client.GetAsync("example.com/v1", "Goal", "team", "g1");

        Assert.Equal([A, C, A], _cluster.Calls.Select(c => c.Endpoint));
        Assert.Equal(A, client.CurrentEndpoint);
    }

    [Fact]
    public async Task Write_LeaderItLearnedFails_FallsBackToTheRing_WithTheSameRequestId()
    {
        var writes = 0;
        _cluster.Handler = call => call.Endpoint == C && ++writes > 1
            ? throw FakeCluster.Failure(StatusCode.Unavailable, "connection refused")
            : Written(Outcome.Created);
        _cluster.SuccessTrailers = call => call.Endpoint == A ? new Metadata { { ErrorTrailers.LeaderEndpoint, C } } : [];
        using var client = NewClient();

        await client.CreateAsync(JsonNode.Parse(GoalJson)!.AsObject());
        await client.CreateAsync(JsonNode.Parse(GoalJson)!.AsObject());
        var result = await client.CreateAsync(JsonNode.Parse(GoalJson)!.AsObject());

        var calls = _cluster.Calls;
        Assert.Equal(A, calls[0].Endpoint);
        Assert.Equal(C, calls[1].Endpoint);
        Assert.Equal(C, calls[2].Endpoint);
        Assert.NotEqual(C, calls[3].Endpoint);
        Assert.Equal(((CreateResourceRequest)calls[2].Request).Options.RequestId, ((CreateResourceRequest)calls[3].Request).Options.RequestId);
        Assert.Equal(WriteOutcome.Created, result.Outcome);
    }

    [Fact]
    public async Task Write_AnswerNamingAnUnconfiguredLeader_IsIgnored()
    {
        _cluster.Handler = _ => Written(Outcome.Created);
        _cluster.SuccessTrailers = _ => new Metadata { { ErrorTrailers.LeaderEndpoint, "http://10.9.8.7:7101" } };
        using var client = NewClient();

        await client.CreateAsync(JsonNode.Parse(GoalJson)!.AsObject());
        await client.CreateAsync(JsonNode.Parse(GoalJson)!.AsObject());

        Assert.Equal([A, A], _cluster.Calls.Select(c => c.Endpoint));
        Assert.DoesNotContain("http://10.9.8.7:7101", client.Endpoints);
    }

    [Fact]
    public async Task Failover_WithLeaderHint_GoesToTheLeaderNext_AndLaterCallsStartThere()
    {
        _cluster.Handler = call => call.Endpoint == C
            ? new GetResourceResponse { Object = ByteString.CopyFromUtf8(GoalJson), AppliedIndex = 9 }
            : throw FakeCluster.Failure(StatusCode.Unavailable, "not the leader",
                (ErrorTrailers.Reason, "Unavailable"), (ErrorTrailers.LeaderEndpoint, C));
        using var client = NewClient();

        var first = await client.GetAsync("example.com/v1", "Goal", "team", "g1");
        await client.GetAsync("example.com/v1", "Goal", "team", "g1");

        Assert.Equal([A, C, C], _cluster.Calls.Select(c => c.Endpoint));
        Assert.Equal(C, client.CurrentEndpoint);
        Assert.Equal("5", first.ResourceVersion);
        Assert.Equal(9, first.AppliedIndex);
        Assert.Equal(1, (int)first.Object["spec"]!["n"]!);
    }

    [Fact]
    public async Task Read_ConnectionBrokenOnPausedMember_FailsOverToTheNextMember()
    {
        _cluster.Handler = call => call.Endpoint == A
            ? throw KeepAliveTimeout()
            : new GetResourceResponse { Object = ByteString.CopyFromUtf8(GoalJson), AppliedIndex = 9 };
        using var client = NewClient();

        var result = await client.GetAsync("example.com/v1", "Goal", "team", "g1");

        Assert.Equal([A, B], _cluster.Calls.Select(c => c.Endpoint));
        Assert.Equal("5", result.ResourceVersion);
    }

    [Fact]
    public async Task Write_ConnectionBrokenOnPausedMember_IsSentToTheNextMemberWithTheSameRequestId()
    {
        _cluster.Handler = call => call.Endpoint == A ? throw KeepAliveTimeout() : Written(Outcome.Created);
        using var client = NewClient();

        var result = await client.CreateAsync(JsonNode.Parse(GoalJson)!.AsObject());

        var ids = _cluster.Calls.Select(c => ((CreateResourceRequest)c.Request).Options.RequestId).Distinct().ToList();
        Assert.Equal([A, B], _cluster.Calls.Select(c => c.Endpoint));
        Assert.Equal([result.RequestId], ids);
    }

    [Theory]
    [InlineData(true)]  // our server's own Internal: the reason trailer says the server answered
    [InlineData(false)] // an Internal from anything else that is not a broken connection
    public async Task Internal_NotFromABrokenConnection_IsNeverRetried(bool withReasonTrailer)
    {
        var cause = withReasonTrailer ? new HttpRequestException("ignored: the trailer wins") : null;
        var failure = new RpcException(new Status(StatusCode.Internal, "boom", cause),
            withReasonTrailer ? new Metadata { { ErrorTrailers.Reason, "Internal" } } : []);
        _cluster.Handler = _ => throw failure;
        using var client = NewClient();

        var error = await Assert.ThrowsAsync<ControlPlaneClientException>(() => client.GetAsync("example.com/v1", "Goal", "team", "g1"));

        Assert.Single(_cluster.Calls);
        Assert.Equal((ErrorReason.Internal, false), (error.Reason, error.IsTransportFailure));
    }

    [Fact]
    public async Task Failover_WithoutHint_TriesTheEndpointsInOrder()
    {
        _cluster.Handler = call => call.Endpoint == C
            ? new ListKindsResponse()
            : throw FakeCluster.Failure(StatusCode.Unavailable, "connection refused");
        using var client = NewClient();

        await client.ListKindsAsync();

        Assert.Equal([A, B, C], _cluster.Calls.Select(c => c.Endpoint));
    }

    [Fact]
    public async Task Failover_HintNamingAnUnconfiguredMember_AddsItToTheRing()
    {
        const string D = "http://127.0.0.1:7104";
        _cluster.Handler = call => call.Endpoint == D
            ? new GetClusterStatusResponse { Term = 3 }
            : throw FakeCluster.Failure(StatusCode.Unavailable, "not the leader", (ErrorTrailers.LeaderEndpoint, "127.0.0.1:7104"));
        using var client = NewClient();

        var status = await client.GetClusterStatusAsync();

        Assert.Equal([A, D], _cluster.Calls.Select(c => c.Endpoint));
        Assert.Equal(3, status.Term);
        Assert.Contains(D, client.Endpoints);
    }

    [Fact]
    public async Task ClusterStatus_MapsLagAndLastContact_AndLeavesThemNullWhenUnknown()
    {
        var response = new GetClusterStatusResponse { Term = 3 };
        response.Members.Add(new MemberStatus { Name = "node1", RaftEndpoint = "127.0.0.1:7201", Reachable = true, LagEntries = 0, LastContactMs = 2 });
        response.Members.Add(new MemberStatus { Name = "node2", RaftEndpoint = "127.0.0.1:7202", Reachable = true, LagEntries = 17, LastContactMs = 0 });
        response.Members.Add(new MemberStatus { Name = "node3", RaftEndpoint = "127.0.0.1:7203", Reachable = false, LastContactMs = 95_000 });
        response.Members.Add(new MemberStatus { Name = "node4", RaftEndpoint = "127.0.0.1:7204", Reachable = false });
        _cluster.Handler = _ => response;
        using var client = NewClient();

        var status = await client.GetClusterStatusAsync();

        Assert.Equal([0L, 17L, null, null], status.Members.Select(m => m.LagEntries));
        Assert.Equal([TimeSpan.FromMilliseconds(2), TimeSpan.Zero, TimeSpan.FromSeconds(95), null], status.Members.Select(m => m.LastContact));
    }

    [Fact]
    public async Task MemberList_MapsLagAndLastContact()
    {
        var response = new ListMembersResponse();
        response.Members.Add(new Member { Name = "node2", RaftEndpoint = "127.0.0.1:7202", Reachable = true, LagEntries = 4, LastContactMs = 1 });
        response.Members.Add(new Member { Name = "node3", RaftEndpoint = "127.0.0.1:7203" });
        _cluster.Handler = _ => response;
        using var client = NewClient();

        var list = await client.ListMembersAsync(local: false);

        Assert.Equal([4L, null], list.Members.Select(m => m.LagEntries));
        Assert.Equal([TimeSpan.FromMilliseconds(1), null], list.Members.Select(m => m.LastContact));
    }

    [Fact]
    public async Task Failover_AllDown_StopsAtMaxAttemptsAndSaysHowManyWereMade()
    {
        _cluster.Handler = _ => throw FakeCluster.Failure(StatusCode.Unavailable, "connection refused");
        using var client = NewClient(o => o.MaxAttempts = 4);

        var error = await Assert.ThrowsAsync<UnavailableException>(() => client.ListAsync("example.com/v1", "Goal"));

        Assert.Equal([A, B, C, A], _cluster.Calls.Select(c => c.Endpoint));
        Assert.Equal(4, error.Attempts);
        Assert.Equal(A, error.Endpoint);
    }

    [Fact]
    public async Task AttemptTimeout_IsRetriedOnTheNextEndpoint()
    {
        _cluster.Handler = call => call.Endpoint == A
            ? throw FakeCluster.Failure(StatusCode.DeadlineExceeded, "deadline exceeded")
            : new ListResourcesResponse { ResourceVersion = "12" };
        using var client = NewClient();

        var list = await client.ListAsync("example.com/v1", "Goal");

        Assert.Equal([A, B], _cluster.Calls.Select(c => c.Endpoint));
        Assert.Equal("12", list.ResourceVersion);
        Assert.Null(list.ContinueToken);
    }

    [Fact]
    public async Task Backoff_IsWaitedOnTheClockBeforeTheNextAttempt()
    {
        var time = new FakeTimeProvider();
        var attempts = 0;
        _cluster.Handler = _ => ++attempts == 1
            ? throw FakeCluster.Failure(StatusCode.Unavailable, "no leader")
            : new ListKindsResponse();
        using var client = NewClient(o => o.RetryBackoffBase = TimeSpan.FromMilliseconds(100), time, jitter: 0.0);

        var call = client.ListKindsAsync();

        // Equal jitter with jitter 0 after one failure: exactly half of the 100 ms base.
        Assert.False(call.IsCompleted, "the second attempt must wait for the backoff");
        time.Advance(TimeSpan.FromMilliseconds(49));
        Assert.Single(_cluster.Calls);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await call.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, _cluster.Calls.Count);
    }

    [Fact]
    public async Task LeaderHint_IsFollowedWithoutBackoff()
    {
        var time = new FakeTimeProvider();
        _cluster.Handler = call => call.Endpoint == B
            ? new ListKindsResponse()
            : throw FakeCluster.Failure(StatusCode.Unavailable, "follower", (ErrorTrailers.LeaderEndpoint, B + "/"));
        using var client = NewClient(o => o.RetryBackoffBase = TimeSpan.FromSeconds(1), time);

        var call = client.ListKindsAsync();

        Assert.True(call.IsCompletedSuccessfully, "a fresh leader hint is tried at once, without waiting on the clock");
        await call;
        Assert.Equal([A, B], _cluster.Calls.Select(c => c.Endpoint));
    }

    [Fact]
    public async Task CallTimeout_BoundsAllAttemptsTogether()
    {
        var time = new FakeTimeProvider();
        _cluster.Handler = _ =>
        {
            time.Advance(TimeSpan.FromMilliseconds(600)); // each attempt takes 600 ms
            throw FakeCluster.Failure(StatusCode.Unavailable, "slow");
        };
        using var client = NewClient(o => o.CallTimeout = TimeSpan.FromSeconds(1), time);

        var error = await Assert.ThrowsAsync<UnavailableException>(() => client.ListKindsAsync());

        Assert.Equal(2, _cluster.Calls.Count);
        Assert.Equal(2, error.Attempts);
    }

    [Fact]
    public async Task CallTimeout_EndingInAnAttemptDeadline_SaysWhatFailedBefore()
    {
        var time = new FakeTimeProvider();
        var attempts = 0;
        _cluster.Handler = _ =>
        {
            time.Advance(TimeSpan.FromMilliseconds(600));
            throw ++attempts == 1
                ? FakeCluster.Failure(StatusCode.Unavailable, "connection refused")
                : FakeCluster.Failure(StatusCode.DeadlineExceeded, "deadline exceeded");
        };
        using var client = NewClient(o => o.CallTimeout = TimeSpan.FromSeconds(1), time);

        var error = await Assert.ThrowsAsync<ControlPlaneClientException>(() => client.ListKindsAsync());

        Assert.Equal(ErrorReason.DeadlineExceeded, error.Reason);
        Assert.Equal(2, error.Attempts);
        Assert.Contains("call timeout of 1s", error.Message, StringComparison.Ordinal);
        Assert.Contains("before that: Unavailable: connection refused", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attempt_DeadlineIsTheAttemptTimeout_OrWhatIsLeftOfTheCall()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var attempts = 0;
        _cluster.Handler = _ =>
        {
            time.Advance(TimeSpan.FromSeconds(4));
            return ++attempts < 3 ? throw FakeCluster.Failure(StatusCode.DeadlineExceeded, "slow") : new ListKindsResponse();
        };
        using var client = NewClient(o => { o.CallTimeout = TimeSpan.FromSeconds(10); o.AttemptTimeout = TimeSpan.FromSeconds(4); }, time);

        await client.ListKindsAsync();

        var start = time.Start.UtcDateTime;
        Assert.Equal(
            [start.AddSeconds(4), start.AddSeconds(8), start.AddSeconds(10)],
            _cluster.Calls.Select(c => c.Options.Deadline!.Value));
    }

    [Fact]
    public async Task Cancellation_ByTheCaller_SurfacesAsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        _cluster.Handler = call =>
        {
            cts.Cancel();
            throw FakeCluster.Failure(StatusCode.Cancelled, "cancelled");
        };
        using var client = NewClient();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ListKindsAsync(cancellationToken: cts.Token));
        Assert.Single(_cluster.Calls);
    }

    [Fact]
    public async Task UpdateStatus_SendsTheStatusAsJson()
    {
        _cluster.Handler = _ => Written(Outcome.StatusUpdated);
        using var client = NewClient();

        var result = await client.UpdateStatusAsync(G1, JsonNode.Parse("""{"phase":"Ready","n":1.50}"""), expectedResourceVersion: "5");

        var request = (UpdateResourceStatusRequest)_cluster.Calls.Single().Request;
        Assert.Equal("""{"phase":"Ready","n":1.50}""", request.Status.ToStringUtf8());
        Assert.Equal("5", request.ExpectedResourceVersion);
        Assert.Equal("team", request.Ref.Namespace);
        Assert.Equal(WriteOutcome.StatusUpdated, result.Outcome);
    }

    [Fact]
    public async Task Delete_NoOp_HasNoObject()
    {
        _cluster.Handler = _ => new WriteResourceResponse { Outcome = Outcome.NoOp, ResourceVersion = "8" };
        using var client = NewClient();

        var result = await client.DeleteAsync(G1);

        Assert.Equal(WriteOutcome.NoOp, result.Outcome);
        Assert.Null(result.Object);
        Assert.True(result.RawObject.IsEmpty);
    }

    [Fact]
    public async Task Get_ServerAnswersNonObject_IsAnInternalError()
    {
        _cluster.Handler = _ => new GetResourceResponse { Object = ByteString.CopyFromUtf8("[1,2]") };
        using var client = NewClient();

        var error = await Assert.ThrowsAsync<ControlPlaneClientException>(() => client.GetAsync("v1", "Thing", null, "x"));

        Assert.Equal(ErrorReason.Internal, error.Reason);
    }

    [Fact]
    public async Task Read_ConsistencyIsSent()
    {
        _cluster.Handler = _ => new ListResourcesResponse { ContinueToken = "next", RemainingItemCount = 3 };
        using var client = NewClient();

        var page = await client.ListAsync("v1", "Thing", "ns", "app=web", limit: 2, continueToken: "t1", read: ReadConsistency.NotOlderThan("77"));

        var request = (ListResourcesRequest)_cluster.Calls.Single().Request;
        Assert.Equal(ReadMode.NotOlderThan, request.Read.Mode);
        Assert.Equal("77", request.Read.MinResourceVersion);
        Assert.Equal(("ns", "app=web", 2, "t1"), (request.Namespace, request.LabelSelector, request.Limit, request.ContinueToken));
        Assert.Equal("next", page.ContinueToken);
        Assert.Equal(3, page.RemainingItemCount);
    }

    [Fact]
    public async Task Dispose_ThenCall_Throws()
    {
        var client = NewClient();
        await client.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.ListKindsAsync());
    }

    [Fact]
    public async Task Write_ObjectIsParsedOnlyWhenAskedFor()
    {
        // Malformed on purpose: a caller that reads only the version and the bytes must not pay for (or trip on) parsing.
        _cluster.Handler = _ => new WriteResourceResponse { Outcome = Outcome.Replaced, Object = ByteString.CopyFromUtf8("{not json"), ResourceVersion = "9" };
        using var client = NewClient();

        var result = await client.ApplyAsync("{}"u8.ToArray());

        Assert.Equal(("9", 9), (result.ResourceVersion, result.RawObject.Length));
        var error = Assert.Throws<ControlPlaneClientException>(() => result.Object);
        Assert.Equal(ErrorReason.Internal, error.Reason);
    }

    [Fact]
    public async Task Get_ResourceVersionIsReadWithoutParsingTheObject_ObjectParsedOnFirstAccess()
    {
        _cluster.Handler = _ => new GetResourceResponse { Object = ByteString.CopyFromUtf8("""{"kind":"Thing","metadata":{"name":"x","resourceVersion":"12"},"spec":{"a":[1,{"b":2}]}}""") };
        using var client = NewClient();

        var result = await client.GetAsync("v1", "Thing", null, "x");

        Assert.Equal("12", result.ResourceVersion);
        Assert.Same(result.Object, result.Object);
        Assert.Equal("Thing", (string?)result.Object["kind"]);
    }

    private static WriteResourceResponse Written(Outcome outcome) =>
        new() { Outcome = outcome, Object = ByteString.CopyFromUtf8(GoalJson), ResourceVersion = "5" };

    /// <summary>What Grpc.Net.Client reports when a paused member misses the HTTP/2 keep-alive ping: Internal, no trailers.</summary>
    private static RpcException KeepAliveTimeout() => new(new Status(
        StatusCode.Internal,
        "Error starting gRPC call. HttpRequestException: An HTTP/2 connection could not be established because the server did not respond.",
        new HttpRequestException("keep-alive ping timeout", new IOException("The server did not respond to the HTTP/2 keep-alive ping in time."))));

    private ControlPlaneClient NewClient(Action<ControlPlaneClientOptions>? configure = null, TimeProvider? time = null, double jitter = 0.5)
    {
        var options = new ControlPlaneClientOptions { RetryBackoffBase = TimeSpan.Zero, RetryBackoffMax = TimeSpan.FromSeconds(2) };
        options.Endpoints.Add(A);
        options.Endpoints.Add(B);
        options.Endpoints.Add(C);
        configure?.Invoke(options);
        return new ControlPlaneClient(options, _cluster.InvokerFor, time, () => jitter);
    }
}
