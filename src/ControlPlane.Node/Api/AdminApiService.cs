using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using ControlPlane.Contracts.V1;
using ControlPlane.Core.Errors;
using ControlPlane.Core.Store;
using ControlPlane.Replication;
using ControlPlane.Replication.Membership;
using ControlPlane.Storage.Snapshots;
using Google.Protobuf;
using Grpc.Core;
using CatchUpProgress = ControlPlane.Contracts.V1.CatchUpProgress;

namespace ControlPlane.Node.Api;

/// <summary>
/// Membership, leadership and backups (admin.proto). Membership changes and resignation run on the leader,
/// forwarded there like writes; a snapshot is served by the node that receives the call, after a linearizable
/// read barrier, so it holds every write acknowledged before the call.
/// </summary>
public sealed partial class AdminApiService(
    RaftNode node,
    MembershipManager membership,
    MemberProber prober,
    LeaderRouter router,
    RaftResourceStore store,
    ILogger<AdminApiService> logger) : AdminService.AdminServiceBase
{
    private const int ChunkBytes = 256 * 1024;
    private static readonly TimeSpan ShortBudget = TimeSpan.FromSeconds(15);

    /// <summary>Left to the leader to answer before the caller's deadline passes.</summary>
    private static readonly TimeSpan DeadlineMargin = TimeSpan.FromSeconds(2);

    public override Task<ListMembersResponse> ListMembers(ListMembersRequest request, ServerCallContext context) =>
        request.Local
            ? ListLocalAsync(context.CancellationToken)
            : router.RunOnLeaderAsync(
                context,
                "list members",
                ShortBudget,
                ListLocalAsync,
                (endpoint, options) => router.Peers.Admin(endpoint).ListMembersAsync(request, options).ResponseAsync);

    public override Task<AddMemberResponse> AddMember(AddMemberRequest request, ServerCallContext context)
    {
        var raft = ParseEndpoint(request.RaftEndpoint, "raft_endpoint");
        if (request.CatchUpTimeoutMs < 0) throw ControlPlaneException.Invalid($"catch_up_timeout_ms {request.CatchUpTimeoutMs} is negative");
        var catchUp = request.CatchUpTimeoutMs > 0 ? TimeSpan.FromMilliseconds(request.CatchUpTimeoutMs) : MembershipManager.DefaultCatchUpTimeout;
        if (context.Deadline != DateTime.MaxValue)
        {
            var available = context.Deadline - DateTime.UtcNow - DeadlineMargin;
            if (available <= TimeSpan.Zero) throw ControlPlaneException.Invalid($"the call's deadline leaves no time to catch the member up (allow more than {DeadlineMargin.TotalSeconds:0} s)");
            if (available < catchUp) catchUp = available;
        }

        // Fixed here, before any forwarding, so a retry on a new leader carries the same id.
        if (request.RequestId.Length == 0) request.RequestId = Guid.NewGuid().ToString("D");
        var addition = new MemberAddition(new ClusterMember(request.Name, raft, request.GrpcEndpoint), request.RequestId, catchUp);
        return router.RunOnLeaderAsync(
            context,
            $"add member {request.Name}",
            catchUp + ShortBudget,
            async cancellationToken =>
            {
                var result = await membership.AddAsync(addition, cancellationToken);
                var response = new AddMemberResponse
                {
                    Member = await prober.DescribeAsync(result.Member, cancellationToken),
                    AlreadyMember = result.AlreadyMember,
                    Progress = new CatchUpProgress
                    {
                        MemberAppliedIndex = result.Progress.MemberAppliedIndex,
                        LeaderCommitIndex = result.Progress.LeaderCommitIndex,
                        Attempts = result.Progress.Attempts,
                        ElapsedMs = (long)result.Progress.Elapsed.TotalMilliseconds,
                    },
                    ConfigurationIndex = result.Configuration.Index,
                    Replayed = result.Replayed,
                };
                response.Members.AddRange(await prober.DescribeAsync(result.Configuration, cancellationToken));
                return response;
            },
            (endpoint, options) => router.Peers.Admin(endpoint).AddMemberAsync(request, options).ResponseAsync);
    }

    public override Task<RemoveMemberResponse> RemoveMember(RemoveMemberRequest request, ServerCallContext context)
    {
        var raft = request.RaftEndpoint.Length > 0 ? ParseEndpoint(request.RaftEndpoint, "raft_endpoint") : null;
        if (request.RequestId.Length == 0) request.RequestId = Guid.NewGuid().ToString("D");
        var removal = new MemberRemoval(raft, request.Name.Length > 0 ? request.Name : null, request.RequestId);
        return router.RunOnLeaderAsync(
            context,
            $"remove member {request.RaftEndpoint}{request.Name}",
            ShortBudget,
            async cancellationToken =>
            {
                var result = await membership.RemoveAsync(removal, cancellationToken);
                var response = new RemoveMemberResponse
                {
                    Member = new Member { Name = result.Member.Name, RaftEndpoint = result.Member.RaftEndpoint.ToString(), GrpcEndpoint = result.Member.GrpcEndpoint },
                    AlreadyRemoved = result.AlreadyRemoved,
                    RemovedNodeNotified = result.RemovedNodeNotified,
                    ConfigurationIndex = result.Configuration.Index,
                    Replayed = result.Replayed,
                };
                response.Members.AddRange(await prober.DescribeAsync(result.Configuration, cancellationToken));
                return response;
            },
            (endpoint, options) => router.Peers.Admin(endpoint).RemoveMemberAsync(request, options).ResponseAsync);
    }

    public override Task<ResignLeaderResponse> ResignLeader(ResignLeaderRequest request, ServerCallContext context) =>
        router.RunOnLeaderAsync(
            context,
            "resign leadership",
            ShortBudget,
            async cancellationToken =>
            {
                var started = Stopwatch.GetTimestamp();
                var previous = node.Identity.RaftEndpoint.ToString();
                var resigned = await node.ResignAsync(cancellationToken);
                LogResigned(resigned, node.Term);

                // Never fail once resigned: the router would retry on the next leader and depose it too.
                var budget = (context.Deadline == DateTime.MaxValue ? DateTime.UtcNow + ShortBudget : context.Deadline) - DateTime.UtcNow - TimeSpan.FromMilliseconds(500);
                var leader = budget > TimeSpan.Zero ? await node.WaitForLeaderAsync(budget, cancellationToken) : node.Cluster.Leader;
                return new ResignLeaderResponse
                {
                    PreviousLeaderRaftEndpoint = resigned ? previous : string.Empty,
                    LeaderRaftEndpoint = leader?.EndPoint.ToString() ?? string.Empty,
                    LeaderGrpcEndpoint = leader is null ? string.Empty : await node.GetGrpcEndpointAsync(leader, cancellationToken) ?? string.Empty,
                    Term = node.Term,
                    ElapsedMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                };
            },
            (endpoint, options) => router.Peers.Admin(endpoint).ResignLeaderAsync(request, options).ResponseAsync);

    public override async Task SaveSnapshot(SaveSnapshotRequest request, IServerStreamWriter<SaveSnapshotResponse> responseStream, ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
        var view = await store.ReadViewAsync(ReadConsistency.Linearizable, cancellationToken);
        var temp = Path.Combine(Path.GetTempPath(), $"cp-save-{Environment.ProcessId}-{Guid.NewGuid():N}.snapshot");
        await using var file = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        SnapshotCodec.Write(view, file, cancellationToken);
        file.Position = 0;
        var sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
        file.Position = 4;
        var format = file.ReadByte();
        file.Position = 0;
        await responseStream.WriteAsync(new SaveSnapshotResponse
        {
            Header = new SnapshotHeader
            {
                Format = format,
                AppliedIndex = view.AppliedIndex,
                StateHash = $"{view.Hash}@{view.AppliedIndex}",
                ObjectCount = view.ObjectCount,
                SizeBytes = file.Length,
                Sha256 = sha256,
                NodeName = node.Identity.Name,
                Term = node.Term,
                TakenAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            },
        }, cancellationToken);
        var buffer = new byte[ChunkBytes];
        int read;
        while ((read = await file.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await responseStream.WriteAsync(new SaveSnapshotResponse { Chunk = ByteString.CopyFrom(buffer, 0, read) }, cancellationToken);
        }

        LogSnapshotSaved(view.AppliedIndex, view.ObjectCount, file.Length, sha256);
    }

    public override async Task<NotifyRemovedResponse> NotifyRemoved(NotifyRemovedRequest request, ServerCallContext context)
    {
        var (accepted, detail) = await node.AcceptRemovalNoticeAsync(
            new RemovalNotice(request.RemovedRaftEndpoint, request.ConfigurationIndex, request.LeaderName, request.LeaderRaftEndpoint, request.Term),
            context.CancellationToken);
        LogRemovalNotice(request.LeaderName, request.ConfigurationIndex, accepted, detail);
        return new NotifyRemovedResponse { Accepted = accepted, Detail = detail };
    }

    private async Task<ListMembersResponse> ListLocalAsync(CancellationToken cancellationToken)
    {
        var configuration = await node.LoadConfigurationAsync(cancellationToken);
        var response = new ListMembersResponse
        {
            LeaderRaftEndpoint = node.Cluster.Leader?.EndPoint.ToString() ?? string.Empty,
            Term = node.Term,
            ConfigurationIndex = configuration.Index,
            ChangeInProgress = membership.ChangeInProgress ?? string.Empty,
            AnsweredBy = node.Identity.Name,
        };
        response.Members.AddRange(await prober.DescribeAsync(configuration, cancellationToken));
        return response;
    }

    private static IPEndPoint ParseEndpoint(string value, string field) =>
        IPEndPoint.TryParse(value, out var endpoint) && endpoint.Port != 0
            ? endpoint
            : throw ControlPlaneException.Invalid($"{field} \"{value}\" is not an IP:port (Raft endpoints are addresses, e.g. 127.0.0.1:7204)");

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "Asked to resign leadership: resigned {Resigned} in term {Term}")]
    private partial void LogResigned(bool resigned, long term);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Information, Message = "Streamed a snapshot at index {Index}: {Objects} objects, {Bytes} bytes, sha256 {Sha256}")]
    private partial void LogSnapshotSaved(long index, long objects, long bytes, string sha256);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Warning, Message = "Removal notice from {Leader} at configuration {Index}: accepted {Accepted} ({Detail})")]
    private partial void LogRemovalNotice(string leader, long index, bool accepted, string detail);
}
