using System.Net;
using ControlPlane.Core.Errors;
using ControlPlane.Core.Validation;
using DotNext.Net.Cluster.Consensus.Raft;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Replication.Membership;

/// <summary>
/// Membership changes on the leader, one at a time (P9). An add catches the new node up before it becomes a
/// voter (DotNext's AddMemberAsync warms it up for WarmupRounds and answers false while it is behind; this
/// retries until a deadline and then refuses with the configuration unchanged). A removal is refused when
/// fewer of the remaining members answer than the new configuration's quorum needs, and the removed node is
/// told, since Raft never tells it. A retry with the same request id answers the original outcome: from memory on
/// the leader that ran it, and from the replicated <see cref="AdminRequestLog"/> on any later leader, so a retry
/// after a leader change never runs the change a second time (for example re-adding a member that was removed
/// since). A request is recorded Pending before its change and Succeeded after; a leader that loses leadership
/// in between leaves it Pending, and the next change (on whichever node leads) first settles every Pending request
/// from the configuration: its member is in (an add) or out (a removal) exactly when its change committed, since
/// no other change can have run after it.
/// </summary>
public sealed partial class MembershipManager
{
    /// <summary>How long a node gets to answer a status probe before it counts as unreachable.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The catch-up deadline when a request names none.</summary>
    public static readonly TimeSpan DefaultCatchUpTimeout = TimeSpan.FromSeconds(30);

    private const int RememberedRequests = 1024;
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(250);

    private readonly RaftNode _node;
    private readonly IMemberClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly RequestTable<MemberAddResult> _adds = new(RememberedRequests);
    private readonly RequestTable<MemberRemoveResult> _removals = new(RememberedRequests);
    private readonly AdminRequestLog _requests;
    private string? _inProgress;

    public MembershipManager(RaftNode node, IMemberClient client, RaftResourceStore store, TimeProvider time, ILogger<MembershipManager> logger)
    {
        _requests = new AdminRequestLog(store);
        _node = node;
        _client = client;
        _time = time;
        _logger = logger;
    }

    /// <summary>The change running right now, described for an operator, or null.</summary>
    public string? ChangeInProgress
    {
        get
        {
            lock (_gate)
            {
                return _inProgress;
            }
        }
    }

    public Task<MemberAddResult> AddAsync(MemberAddition request, CancellationToken cancellationToken)
    {
        var member = request.Member;
        if (!NameRules.IsDns1123Label(member.Name, out var nameError)) throw ControlPlaneException.Invalid($"member name \"{member.Name}\": {nameError}");
        // The cluster's own scheme: https:// when the members serve TLS, http:// when they do not.
        var scheme = _node.Identity.GrpcEndpoint.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? Uri.UriSchemeHttps : Uri.UriSchemeHttp;
        if (!Uri.TryCreate(member.GrpcEndpoint, UriKind.Absolute, out var grpc) || grpc.Scheme != scheme || grpc.Port <= 0)
        {
            throw ControlPlaneException.Invalid($"gRPC endpoint \"{member.GrpcEndpoint}\" is not an {scheme}://host:port URL, as this cluster's members use");
        }

        if (member.RaftEndpoint.Port == 0) throw ControlPlaneException.Invalid($"Raft endpoint {member.RaftEndpoint} has no port");
        if (request.CatchUpTimeout <= TimeSpan.Zero) throw ControlPlaneException.Invalid("the catch-up timeout must be positive");
        var normalized = request with { Member = member with { GrpcEndpoint = member.GrpcEndpoint.TrimEnd('/') } };
        var description = $"add {member.Name} ({member.RaftEndpoint}, {normalized.Member.GrpcEndpoint})";
        var requestId = string.IsNullOrEmpty(request.RequestId) ? Guid.NewGuid().ToString("D") : request.RequestId;
        var pending = new AdminRequestRecord(requestId, description, AdminRequestRecord.Add, AdminRequestRecord.Pending, member.Name, member.RaftEndpoint.ToString(), normalized.Member.GrpcEndpoint);
        return RunOnceAsync(
            _adds,
            requestId,
            description,
            () => RunRecordedAsync(
                pending,
                () => AddCoreAsync(normalized),
                result => pending with { Phase = AdminRequestRecord.Succeeded, NoChange = result.AlreadyMember },
                (record, configuration) => new MemberAddResult(
                    normalized.Member, record.NoChange, new CatchUpProgress(-1, _node.Log.LastCommittedEntryIndex, 0, TimeSpan.Zero), configuration) { Replayed = true }),
            r => r with { Replayed = true },
            cancellationToken);
    }

    public Task<MemberRemoveResult> RemoveAsync(MemberRemoval request, CancellationToken cancellationToken)
    {
        if ((request.RaftEndpoint is null) == string.IsNullOrEmpty(request.Name))
        {
            throw ControlPlaneException.Invalid("name exactly one of the member's Raft endpoint and its name");
        }

        var description = request.RaftEndpoint is { } endpoint ? $"remove {endpoint}" : $"remove {request.Name}";
        var identified = string.IsNullOrEmpty(request.RequestId) ? request with { RequestId = Guid.NewGuid().ToString("D") } : request;
        return RunOnceAsync(_removals, identified.RequestId, description, () => RunRemovalAsync(identified, description), r => r with { Replayed = true }, cancellationToken);
    }

    private async Task<MemberRemoveResult> RunRemovalAsync(MemberRemoval request, string description)
    {
        // The pending record names the target's endpoint, so a later leader can tell from the configuration whether
        // the removal committed.
        var configuration = await _node.LoadConfigurationAsync(CancellationToken.None).ConfigureAwait(false);
        var target = request.RaftEndpoint is { } endpoint
            ? _node.KnownMembers.Find(endpoint) ?? new ClusterMember(string.Empty, endpoint, string.Empty)
            : _node.KnownMembers.FindByName(request.Name!, configuration.Members);
        var pending = new AdminRequestRecord(
            request.RequestId, description, AdminRequestRecord.Remove, AdminRequestRecord.Pending, target?.Name ?? request.Name ?? string.Empty, target?.RaftEndpoint.ToString() ?? string.Empty, target?.GrpcEndpoint ?? string.Empty);
        return await RunRecordedAsync(
            pending,
            () => RemoveCoreAsync(request),
            result => pending with
            {
                Phase = AdminRequestRecord.Succeeded,
                MemberName = result.Member.Name,
                RaftEndpoint = result.Member.RaftEndpoint.ToString(),
                NoChange = result.AlreadyRemoved,
                Notified = result.RemovedNodeNotified,
            },
            (record, after) => new MemberRemoveResult(
                new ClusterMember(record.MemberName, IPEndPoint.Parse(record.RaftEndpoint), record.GrpcEndpoint), record.NoChange, record.Notified, after) { Replayed = true }).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs one change under its replicated record: settles what earlier leaders left pending, answers a request id
    /// that already succeeded from its record (never running it again), else records it Pending, runs it, and
    /// records it Succeeded. A change that fails is forgotten (it changed nothing, so a retry may run it again); one
    /// cut short by a leader change stays Pending for the next leader to settle.
    /// </summary>
    private async Task<T> RunRecordedAsync<T>(
        AdminRequestRecord pending, Func<Task<T>> change, Func<T, AdminRequestRecord> succeeded, Func<AdminRequestRecord, MemberConfiguration, T> replay)
    {
        var configuration = await _node.LoadConfigurationAsync(CancellationToken.None).ConfigureAwait(false);
        AdminRequestRecord? earlier = null;
        foreach (var record in await _requests.ListAsync(CancellationToken.None).ConfigureAwait(false))
        {
            var settled = record.Phase == AdminRequestRecord.Pending ? await SettleAsync(record, configuration).ConfigureAwait(false) : record;
            if (record.RequestId == pending.RequestId) earlier = settled;
        }

        if (earlier is not null)
        {
            if (earlier.Change != pending.Change)
            {
                throw ControlPlaneException.Invalid($"request id {pending.RequestId} was already used for another membership change ({earlier.Change}); use a new request id for {pending.Change}");
            }

            LogReplayedFromLog(pending.RequestId, earlier.Change);
            return replay(earlier, configuration);
        }

        await _requests.SaveAsync(pending, CancellationToken.None).ConfigureAwait(false);
        T result;
        try
        {
            result = await change().ConfigureAwait(false);
        }
        catch (ControlPlaneException e) when (e.Code == ErrorCode.Unavailable)
        {
            throw;
        }
        catch (ControlPlaneException)
        {
            await _requests.DeleteAsync(pending.RequestId, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        // A leader that removed itself (or lost leadership just now) cannot write any more: the record stays Pending
        // and the next leader settles it from the configuration, which shows the change. The change itself succeeded.
        if (_node.IsRemoved || !_node.IsLeader)
        {
            LogLeftPending(pending.RequestId, pending.Change);
            return result;
        }

        try
        {
            await _requests.SaveAsync(succeeded(result), CancellationToken.None).ConfigureAwait(false);
            await _requests.TrimAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (ControlPlaneException e)
        {
            LogLeftPending(pending.RequestId, $"{pending.Change}: {e.Message}");
        }

        return result;
    }

    /// <summary>
    /// A request an earlier leader left Pending: its change committed exactly when the configuration shows it (no
    /// change runs before the pending ones are settled). Records it Succeeded, or forgets it.
    /// </summary>
    private async Task<AdminRequestRecord?> SettleAsync(AdminRequestRecord record, MemberConfiguration configuration)
    {
        var inConfiguration = IPEndPoint.TryParse(record.RaftEndpoint, out var endpoint) && configuration.Contains(endpoint);
        var committed = record.Operation == AdminRequestRecord.Add ? inConfiguration : endpoint is not null && !inConfiguration;
        LogSettled(record.RequestId, record.Change, committed);
        if (!committed)
        {
            await _requests.DeleteAsync(record.RequestId, CancellationToken.None).ConfigureAwait(false);
            return null;
        }

        var done = record with { Phase = AdminRequestRecord.Succeeded };
        await _requests.SaveAsync(done, CancellationToken.None).ConfigureAwait(false);
        return done;
    }

    private async Task<T> RunOnceAsync<T>(RequestTable<T> table, string requestId, string description, Func<Task<T>> change, Func<T, T> replayed, CancellationToken cancellationToken)
    {
        Task<T> outcome;
        lock (_gate)
        {
            if (table.Find(requestId, description) is { } earlier)
            {
                outcome = earlier;
                description = string.Empty;
            }
            else
            {
                if (_inProgress is { } running)
                {
                    throw new ControlPlaneException(ErrorCode.FailedPrecondition, $"another membership change is in progress: {running}; only one change runs at a time, retry when it has finished");
                }

                if (!_node.IsLeader) throw NotLeader($"{description} must run on the leader, and this node is not the leader");
                _inProgress = $"{description} (request id {requestId}, started {_time.GetUtcNow():HH:mm:ss.fff} UTC)";

                // The change runs to its own deadline even if this caller goes away, so a retry finds its outcome.
                outcome = Task.Run(async () =>
                {
                    try
                    {
                        return await change().ConfigureAwait(false);
                    }
                    finally
                    {
                        lock (_gate)
                        {
                            _inProgress = null;
                        }
                    }
                }, CancellationToken.None);
                table.Add(requestId, description, outcome);
            }
        }

        if (description.Length == 0)
        {
            LogReplayed(requestId);
            return replayed(await outcome.WaitAsync(cancellationToken).ConfigureAwait(false));
        }

        try
        {
            return await outcome.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ControlPlaneException e) when (e.Code == ErrorCode.Unavailable)
        {
            // Leadership moved: the next leader decides; a retry here must run again rather than replay this.
            lock (_gate)
            {
                table.Forget(requestId, outcome);
            }

            throw;
        }
    }

    private async Task<MemberAddResult> AddCoreAsync(MemberAddition request)
    {
        var started = _time.GetTimestamp();
        var member = request.Member;
        var endpoint = member.RaftEndpoint;
        var configuration = await _node.LoadConfigurationAsync(CancellationToken.None).ConfigureAwait(false);
        if (configuration.Contains(endpoint))
        {
            var known = _node.KnownMembers.Find(endpoint);
            if (known is { Name.Length: > 0 } && known.Name != member.Name)
            {
                throw new ControlPlaneException(ErrorCode.AlreadyExists, $"{endpoint} is already a member, named {known.Name}, not {member.Name}");
            }

            if (known is { GrpcEndpoint.Length: > 0 } && known.GrpcEndpoint != member.GrpcEndpoint)
            {
                throw new ControlPlaneException(ErrorCode.AlreadyExists, $"{known.Name} ({endpoint}) is already a member, with gRPC endpoint {known.GrpcEndpoint}, not {member.GrpcEndpoint}");
            }

            _node.KnownMembers.Record(member);
            return new MemberAddResult(member, AlreadyMember: true, new CatchUpProgress(-1, _node.Log.LastCommittedEntryIndex, 0, _time.GetElapsedTime(started)), configuration);
        }

        if (_node.KnownMembers.FindByName(member.Name, configuration.Members) is { } clash)
        {
            throw new ControlPlaneException(ErrorCode.AlreadyExists, $"the name {member.Name} is already used by the member at {clash.RaftEndpoint}");
        }

        await CheckCandidateAsync(member, configuration).ConfigureAwait(false);
        await EnsureQuorumAsync([.. configuration.Members, endpoint], endpoint, $"adding {member.Name}").ConfigureAwait(false);

        LogAdding(member.Name, endpoint, configuration.ToString(), request.CatchUpTimeout.TotalSeconds);
        var attempts = 0;
        var longestAttempt = TimeSpan.Zero;
        var added = false;
        while (true)
        {
            attempts++;
            var attemptStarted = _time.GetTimestamp();
            try
            {
                added = await CommitChangeAsync(() => _node.Cluster.AddMemberAsync(endpoint, CancellationToken.None), $"adding {member.Name}", "already a member").ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or TimeoutException or System.Net.Sockets.SocketException)
            {
                // A replication round to the new node failed or was cut short: it is not caught up yet.
                LogAttemptFailed(member.Name, attempts, e.GetType().Name, e.Message);
            }

            var attemptTook = _time.GetElapsedTime(attemptStarted);
            longestAttempt = attemptTook > longestAttempt ? attemptTook : longestAttempt;
            if (added) break;
            var progress = await ProgressAsync(member, attempts, started).ConfigureAwait(false);
            LogBehind(member.Name, progress.ToString());
            if (_time.GetElapsedTime(started) + longestAttempt + RetryPause > request.CatchUpTimeout) break;
            await Task.Delay(RetryPause, _time).ConfigureAwait(false);
        }

        var after = await _node.LoadConfigurationAsync(CancellationToken.None).ConfigureAwait(false);
        var final = await ProgressAsync(member, attempts, started).ConfigureAwait(false);
        if (!after.Contains(endpoint))
        {
            LogAddRefused(member.Name, final.ToString());
            throw new ControlPlaneException(
                ErrorCode.FailedPrecondition,
                $"{member.Name} ({endpoint}) did not catch up with the leader within {request.CatchUpTimeout.TotalSeconds:0.#} s: {final}. " +
                $"The configuration is unchanged: {after}. Check that the node runs with no initial members and that its Raft endpoint is reachable from the leader, then add it again");
        }

        _node.KnownMembers.Record(member);
        LogAdded(member.Name, endpoint, after.ToString(), final.ToString());
        return new MemberAddResult(member, AlreadyMember: false, final, after);
    }

    private async Task<MemberRemoveResult> RemoveCoreAsync(MemberRemoval request)
    {
        var configuration = await _node.LoadConfigurationAsync(CancellationToken.None).ConfigureAwait(false);
        var target = request.RaftEndpoint ?? _node.KnownMembers.FindByName(request.Name!, configuration.Members)?.RaftEndpoint;
        var removedBefore = target is null ? _node.KnownMembers.FindRemovedByName(request.Name!) : _node.KnownMembers.FindRemoved(target);
        if (target is null || !configuration.Contains(target))
        {
            if (removedBefore is not null)
            {
                var gone = new ClusterMember(removedBefore.Name, removedBefore.RaftEndpoint, string.Empty);
                return new MemberRemoveResult(gone, AlreadyRemoved: true, RemovedNodeNotified: false, configuration);
            }

            var names = await Task.WhenAll(configuration.Members.Select(m => _node.DescribeAsync(m, CancellationToken.None).AsTask())).ConfigureAwait(false);
            throw new ControlPlaneException(ErrorCode.NotFound, $"{request.RaftEndpoint?.ToString() ?? request.Name} is not a member; the members are {string.Join(", ", names.Select(Describe))}");
        }

        var member = await _node.DescribeAsync(target, CancellationToken.None).ConfigureAwait(false);
        if (configuration.Members.Count == 1) throw new ControlPlaneException(ErrorCode.FailedPrecondition, $"{Describe(member)} is the only member and cannot be removed");
        await EnsureQuorumAsync([.. configuration.Members.Where(m => !m.Equals(target))], joining: null, $"removing {Describe(member)}").ConfigureAwait(false);

        LogRemoving(Describe(member), configuration.ToString());
        var removed = await CommitChangeAsync(() => _node.Cluster.RemoveMemberAsync(target, CancellationToken.None), $"removing {Describe(member)}", "already removed").ConfigureAwait(false);

        var after = await _node.LoadConfigurationAsync(CancellationToken.None).ConfigureAwait(false);
        if (after.Contains(target))
        {
            throw new ControlPlaneException(ErrorCode.Unavailable, $"the removal of {Describe(member)} was not committed (DotNext answered {removed}); the configuration is still {after}; retry");
        }

        _node.KnownMembers.RecordRemoved(target, after.Index);
        bool notified;
        if (target.Equals(_node.Identity.RaftEndpoint))
        {
            notified = await _node.MarkRemovedAsync(
                new RemovalMarker(after.Index, $"{_node.Identity.Name} (itself, while leading)", "removed by request", _time.GetUtcNow().ToUnixTimeMilliseconds()),
                CancellationToken.None).ConfigureAwait(false);
        }
        else
        {
            notified = await NotifyRemovedAsync(member, after.Index).ConfigureAwait(false);
        }

        LogRemoved(Describe(member), after.ToString(), notified);
        return new MemberRemoveResult(member, AlreadyRemoved: false, notified, after);
    }

    /// <summary>Refuses a node that is not a fresh node started for this change.</summary>
    private async Task CheckCandidateAsync(ClusterMember member, MemberConfiguration configuration)
    {
        var probe = await _client.ProbeAsync(member, ProbeTimeout, CancellationToken.None).ConfigureAwait(false);
        if (!probe.Reachable) return; // It may still come up within the catch-up deadline.
        string? problem = null;
        if (probe.Removed)
        {
            problem = "was removed from a cluster and still holds its old data: wipe its data directory and start it again with no initial members";
        }
        else if (probe.Name != member.Name)
        {
            problem = $"is named {probe.Name}, not {member.Name}";
        }
        else if (probe.RaftEndpoint != member.RaftEndpoint.ToString())
        {
            problem = $"has Raft endpoint {probe.RaftEndpoint}, not {member.RaftEndpoint}";
        }
        else if (probe.LeaderRaftEndpoint.Length > 0 && IPEndPoint.TryParse(probe.LeaderRaftEndpoint, out var leader) && !configuration.Contains(leader))
        {
            problem = $"follows the leader {probe.LeaderRaftEndpoint}, which is not a member of this cluster: it belongs to another cluster";
        }

        if (problem is not null) throw new ControlPlaneException(ErrorCode.FailedPrecondition, $"the node at {member.GrpcEndpoint} {problem}; the configuration is unchanged");
    }

    /// <summary>
    /// Refuses a change after which fewer members would answer than the new configuration's quorum needs.
    /// This node counts as reachable; so does a joining node, which must catch up before it is added anyway.
    /// </summary>
    private async Task EnsureQuorumAsync(IReadOnlyList<IPEndPoint> newMembers, IPEndPoint? joining, string change)
    {
        var self = _node.Identity.RaftEndpoint;
        var others = newMembers.Where(m => !m.Equals(self) && !m.Equals(joining)).ToList();
        var probes = await Task.WhenAll(others.Select(async endpoint =>
        {
            var member = await _node.DescribeAsync(endpoint, CancellationToken.None).ConfigureAwait(false);
            var probe = member.GrpcEndpoint.Length == 0
                ? MemberProbe.Unreachable("no known gRPC endpoint")
                : await _client.ProbeAsync(member, ProbeTimeout, CancellationToken.None).ConfigureAwait(false);
            return (Member: member, Probe: probe);
        })).ConfigureAwait(false);
        var reachable = probes.Count(p => p.Probe.Reachable && !p.Probe.Removed)
            + (newMembers.Any(m => m.Equals(self)) ? 1 : 0)
            + (joining is null ? 0 : 1);
        var quorum = (newMembers.Count / 2) + 1;
        if (reachable >= quorum) return;
        var unreachable = probes.Where(p => !p.Probe.Reachable || p.Probe.Removed)
            .Select(p => $"{Describe(p.Member)}: {(p.Probe.Removed ? "removed" : p.Probe.Error)}");
        throw new ControlPlaneException(
            ErrorCode.FailedPrecondition,
            $"{change} would leave {newMembers.Count} member(s), which need {quorum} for a quorum, but only {reachable} answer ({string.Join("; ", unreachable)}); the configuration is unchanged. Bring members back first");
    }

    private async Task<CatchUpProgress> ProgressAsync(ClusterMember member, int attempts, long started)
    {
        var probe = await _client.ProbeAsync(member, ProbeTimeout, CancellationToken.None).ConfigureAwait(false);
        return new CatchUpProgress(probe.Reachable ? probe.AppliedIndex : -1, _node.Log.LastCommittedEntryIndex, attempts, _time.GetElapsedTime(started));
    }

    private async Task<bool> NotifyRemovedAsync(ClusterMember member, long configurationIndex)
    {
        if (member.GrpcEndpoint.Length == 0) return false;
        var notice = new RemovalNotice(member.RaftEndpoint.ToString(), configurationIndex, _node.Identity.Name, _node.Identity.RaftEndpoint.ToString(), _node.Term);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (await _client.NotifyRemovedAsync(member, notice, ProbeTimeout, CancellationToken.None).ConfigureAwait(false)) return true;
            await Task.Delay(RetryPause, _time).ConfigureAwait(false);
        }

        return false;
    }

    /// <summary>Runs DotNext's add or remove, turning a lost leadership and a concurrent change into API errors.</summary>
    private async Task<bool> CommitChangeAsync(Func<Task<bool>> change, string what, string retryAnswer)
    {
        try
        {
            return await change().ConfigureAwait(false);
        }
        catch (NotLeaderException)
        {
            throw NotLeader($"leadership changed while {what}; the change may or may not have committed: retry with the same request id (a new leader answers \"{retryAnswer}\" when it did)");
        }
        catch (RaftCluster<RaftClusterMember>.ConcurrentMembershipModificationException)
        {
            throw new ControlPlaneException(ErrorCode.FailedPrecondition, "another membership change is running in the Raft layer; retry when it has finished");
        }
    }

    private ControlPlaneException NotLeader(string message)
    {
        var leader = _node.Cluster.Leader;
        var hint = leader is null || !leader.IsRemote ? null : _node.KnownMembers.Find(leader.EndPoint)?.GrpcEndpoint;
        return new ControlPlaneException(ErrorCode.Unavailable, message) { LeaderHint = hint };
    }

    private static string Describe(ClusterMember member) =>
        member.Name.Length > 0 ? $"{member.Name} ({member.RaftEndpoint})" : member.RaftEndpoint.ToString();

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Adding {Name} ({Endpoint}) to {Configuration}; catch-up deadline {Seconds} s")]
    private partial void LogAdding(string name, IPEndPoint endpoint, string configuration, double seconds);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "Added {Name} ({Endpoint}): now {Configuration}; {Progress}")]
    private partial void LogAdded(string name, IPEndPoint endpoint, string configuration, string progress);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Information, Message = "{Name} is not caught up yet: {Progress}")]
    private partial void LogBehind(string name, string progress);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "Refused to add {Name}, which did not catch up: {Progress}")]
    private partial void LogAddRefused(string name, string progress);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Information, Message = "Catch-up attempt {Attempt} for {Name} failed: {Error}: {Message}")]
    private partial void LogAttemptFailed(string name, int attempt, string error, string message);

    [LoggerMessage(EventId = 1206, Level = LogLevel.Information, Message = "Removing {Member} from {Configuration}")]
    private partial void LogRemoving(string member, string configuration);

    [LoggerMessage(EventId = 1207, Level = LogLevel.Information, Message = "Removed {Member}: now {Configuration}; the removed node acknowledged: {Notified}")]
    private partial void LogRemoved(string member, string configuration, bool notified);

    [LoggerMessage(EventId = 1208, Level = LogLevel.Information, Message = "Membership request {RequestId} was already handled; answering its outcome")]
    private partial void LogReplayed(string requestId);

    [LoggerMessage(EventId = 1209, Level = LogLevel.Information, Message = "Membership request {RequestId} ({Change}) succeeded under an earlier leader; answering from the replicated record")]
    private partial void LogReplayedFromLog(string requestId, string change);

    [LoggerMessage(EventId = 1211, Level = LogLevel.Information, Message = "Membership request {RequestId} ({Change}) succeeded but this node can no longer record it; the next leader settles it from the configuration")]
    private partial void LogLeftPending(string requestId, string change);

    [LoggerMessage(EventId = 1210, Level = LogLevel.Warning, Message = "Membership request {RequestId} ({Change}) was left pending by an earlier leader; settled from the configuration: committed {Committed}")]
    private partial void LogSettled(string requestId, string change, bool committed);
}
