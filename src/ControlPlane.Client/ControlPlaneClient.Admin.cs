using System.Security.Cryptography;
using ControlPlane.Contracts.V1;
using Grpc.Core;

namespace ControlPlane.Client;

public sealed partial class ControlPlaneClient
{
    /// <inheritdoc />
    public async Task<MemberList> ListMembersAsync(bool local = false, CancellationToken cancellationToken = default)
    {
        var request = new ListMembersRequest { Local = local };
        var response = await InvokeAsync("ListMembers", (c, o) => c.Admin.ListMembersAsync(request, o), cancellationToken).ConfigureAwait(false);
        return MemberList.FromProto(response);
    }

    /// <inheritdoc />
    public async Task<MemberChange> AddMemberAsync(string name, string raftEndpoint, string grpcEndpoint, TimeSpan? catchUpTimeout = null, string? requestId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(raftEndpoint);
        ArgumentException.ThrowIfNullOrEmpty(grpcEndpoint);
        if (catchUpTimeout is { } timeout) ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero, nameof(catchUpTimeout));
        var request = new AddMemberRequest
        {
            Name = name,
            RaftEndpoint = raftEndpoint,
            GrpcEndpoint = grpcEndpoint,
            RequestId = string.IsNullOrEmpty(requestId) ? Guid.NewGuid().ToString("D") : requestId,
            CatchUpTimeoutMs = (long)(catchUpTimeout?.TotalMilliseconds ?? 0),
        };

        // The leader answers once the member has caught up (or it gives up): one attempt may take the whole call.
        var response = await InvokeAsync("AddMember", (c, o) => c.Admin.AddMemberAsync(request, o), cancellationToken, _options.CallTimeout).ConfigureAwait(false);
        return MemberChange.FromProto(response);
    }

    /// <inheritdoc />
    public async Task<MemberChange> RemoveMemberAsync(string member, string? requestId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(member);
        var request = new RemoveMemberRequest { RequestId = string.IsNullOrEmpty(requestId) ? Guid.NewGuid().ToString("D") : requestId };

        // A member name is a DNS label, so a colon means a Raft endpoint (IP:port).
        if (member.Contains(':', StringComparison.Ordinal)) request.RaftEndpoint = member;
        else request.Name = member;
        var response = await InvokeAsync("RemoveMember", (c, o) => c.Admin.RemoveMemberAsync(request, o), cancellationToken).ConfigureAwait(false);
        return MemberChange.FromProto(response);
    }

    /// <inheritdoc />
    public async Task<LeaderResignation> ResignLeaderAsync(CancellationToken cancellationToken = default)
    {
        // One attempt for the whole call: an attempt cut short after the leader stepped down must not depose the next one.
        var response = await InvokeAsync("ResignLeader", (c, o) => c.Admin.ResignLeaderAsync(new ResignLeaderRequest(), o), cancellationToken, _options.CallTimeout).ConfigureAwait(false);
        return new LeaderResignation(response.PreviousLeaderRaftEndpoint, response.LeaderRaftEndpoint, response.LeaderGrpcEndpoint, response.Term, TimeSpan.FromMilliseconds(response.ElapsedMs));
    }

    /// <inheritdoc />
    public async Task<SnapshotInfo> SaveSnapshotAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var started = _time.GetTimestamp();
        var endpoint = _ring.Preferred;
        for (var attempt = 1; ; attempt++)
        {
            long written = 0;
            try
            {
                var deadline = _time.GetUtcNow().UtcDateTime + (_options.CallTimeout - _time.GetElapsedTime(started));
                var info = await ReceiveSnapshotAsync(endpoint, destination, deadline, w => written = w, cancellationToken).ConfigureAwait(false);
                _ring.Succeeded(endpoint);
                return info;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("the call was cancelled", ex, cancellationToken);
            }
            catch (RpcException ex)
            {
                var error = ControlPlaneClientException.FromRpcException(ex, endpoint, attempt);

                // Retried only before a byte reached the destination, which is not rewound.
                if (written > 0 || !RetryPolicy.IsRetryable(error) || attempt >= _options.MaxAttempts || _time.GetElapsedTime(started) >= _options.CallTimeout)
                    throw GiveUp("SaveSnapshot", error, null, attempt, endpoint);
                var next = _ring.Next(endpoint, error.LeaderEndpoint, out _);
                ClientLog.Retrying(_logger, "SaveSnapshot", attempt, endpoint, error.Reason, error.Message, next, 0);
                await Task.Delay(_retry.GetBackoff(attempt, _jitter()), _time, cancellationToken).ConfigureAwait(false);
                endpoint = next;
            }
        }
    }

    private async Task<SnapshotInfo> ReceiveSnapshotAsync(string endpoint, Stream destination, DateTime deadline, Action<long> progress, CancellationToken cancellationToken)
    {
        using var call = GetConnection(endpoint).Admin.SaveSnapshot(new SaveSnapshotRequest(), new CallOptions(deadline: deadline, cancellationToken: cancellationToken));
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        SnapshotHeader? header = null;
        long written = 0;
        await foreach (var part in call.ResponseStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (part.PartCase == SaveSnapshotResponse.PartOneofCase.Header)
            {
                if (header is not null) throw Damaged(endpoint, "it sent a second header");
                header = part.Header;
                continue;
            }

            if (header is null) throw Damaged(endpoint, "it sent data before its header");
            sha256.AppendData(part.Chunk.Span);
            await destination.WriteAsync(part.Chunk.Memory, cancellationToken).ConfigureAwait(false);
            written += part.Chunk.Length;
            progress(written);
        }

        if (header is null) throw Damaged(endpoint, "it sent no header");
        var digest = Convert.ToHexStringLower(sha256.GetHashAndReset());
        if (written != header.SizeBytes || digest != header.Sha256)
        {
            throw Damaged(endpoint, $"{written} bytes arrived with sha256 {digest}, but the header announced {header.SizeBytes} bytes with sha256 {header.Sha256}");
        }

        await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
        return new SnapshotInfo(header.Format, header.AppliedIndex, header.StateHash, header.ObjectCount, header.SizeBytes, header.Sha256, header.NodeName, DateTimeOffset.FromUnixTimeMilliseconds(header.TakenAtMs));
    }

    private static ControlPlaneClientException Damaged(string endpoint, string problem) =>
        new(ErrorReason.Internal, $"the snapshot stream from {endpoint} is damaged: {problem}") { Endpoint = endpoint };
}
