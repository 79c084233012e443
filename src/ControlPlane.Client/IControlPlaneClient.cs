using System.Text.Json.Nodes;

namespace ControlPlane.Client;

/// <summary>
/// The operations of the ControlPlane API. <see cref="ControlPlaneClient"/> implements them over gRPC with failover
/// and safe retries; the interface lets applications substitute a fake in their tests.
/// </summary>
/// <remarks>
/// Every method throws <see cref="ControlPlaneClientException"/> (or a subclass named after the reason) when the call
/// fails, and <see cref="OperationCanceledException"/> when <c>cancellationToken</c> is cancelled.
/// </remarks>
public interface IControlPlaneClient
{
    /// <summary>Reads one object.</summary>
    /// <param name="apiVersion">"group/version", or "version" for the core group.</param>
    /// <param name="kind">The kind, e.g. <c>Goal</c>.</param>
    /// <param name="namespace">The namespace; null or empty for a cluster-scoped object.</param>
    /// <param name="name">The object's name.</param>
    /// <param name="read">How fresh the read must be; null means <see cref="ReadConsistency.Linearizable"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="NotFoundException">The object does not exist.</exception>
    Task<ResourceResult> GetAsync(string apiVersion, string kind, string? @namespace, string name, ReadConsistency? read = null, CancellationToken cancellationToken = default);

    /// <summary>Reads one page of the objects of a kind, ordered by namespace then name.</summary>
    /// <param name="apiVersion">"group/version", or "version" for the core group.</param>
    /// <param name="kind">The kind, e.g. <c>Goal</c>.</param>
    /// <param name="namespace">Only this namespace; null or empty for every namespace.</param>
    /// <param name="labelSelector">A Kubernetes label selector (<c>a=b,c!=d,e in (x,y),!f</c>); null for all.</param>
    /// <param name="limit">The page size; 0 for no limit.</param>
    /// <param name="continueToken">The <see cref="ResourceList.ContinueToken"/> of the previous page; null for the first.</param>
    /// <param name="read">How fresh the read must be; null means <see cref="ReadConsistency.Linearizable"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ResourceList> ListAsync(string apiVersion, string kind, string? @namespace = null, string? labelSelector = null, int limit = 0, string? continueToken = null, ReadConsistency? read = null, CancellationToken cancellationToken = default);

    /// <summary>Creates an object.</summary>
    /// <param name="obj">The object: apiVersion, kind, metadata.name (and metadata.namespace), spec...</param>
    /// <param name="options">Request id and reason; null for a generated id and the default reason.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="AlreadyExistsException">An object of that name exists.</exception>
    Task<WriteResult> CreateAsync(JsonObject obj, WriteRequestOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Creates an object given as UTF-8 JSON bytes.</summary>
    /// <param name="json">The object as UTF-8 JSON.</param>
    /// <param name="options">Request id and reason; null for a generated id and the default reason.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="AlreadyExistsException">An object of that name exists.</exception>
    Task<WriteResult> CreateAsync(ReadOnlyMemory<byte> json, WriteRequestOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates or replaces an object (Put). The write is conditional when <paramref name="expectedResourceVersion"/>
    /// is given, or else when the object carries metadata.resourceVersion.
    /// </summary>
    /// <param name="obj">The whole object.</param>
    /// <param name="expectedResourceVersion">The resourceVersion the stored object must have; null for none beyond the object's own.</param>
    /// <param name="options">Request id and reason; null for a generated id and the default reason.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ConflictException">The stored object has another resourceVersion.</exception>
    Task<WriteResult> ApplyAsync(JsonObject obj, string? expectedResourceVersion = null, WriteRequestOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces an object given as UTF-8 JSON bytes (Put).</summary>
    /// <param name="json">The whole object as UTF-8 JSON.</param>
    /// <param name="expectedResourceVersion">The resourceVersion the stored object must have; null for none beyond the object's own.</param>
    /// <param name="options">Request id and reason; null for a generated id and the default reason.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ConflictException">The stored object has another resourceVersion.</exception>
    Task<WriteResult> ApplyAsync(ReadOnlyMemory<byte> json, string? expectedResourceVersion = null, WriteRequestOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Applies an RFC 7386 JSON merge patch to an existing object.</summary>
    /// <param name="reference">The object to patch.</param>
    /// <param name="mergePatch">The merge patch: a JSON object; null members delete fields.</param>
    /// <param name="expectedResourceVersion">The resourceVersion the stored object must have; null for none.</param>
    /// <param name="options">Request id and reason; null for a generated id and the default reason.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="NotFoundException">The object does not exist.</exception>
    Task<WriteResult> PatchAsync(ObjectReference reference, JsonObject mergePatch, string? expectedResourceVersion = null, WriteRequestOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Applies an RFC 7386 JSON merge patch given as UTF-8 JSON bytes.</summary>
    /// <param name="reference">The object to patch.</param>
    /// <param name="mergePatch">The merge patch as UTF-8 JSON (an object).</param>
    /// <param name="expectedResourceVersion">The resourceVersion the stored object must have; null for none.</param>
    /// <param name="options">Request id and reason; null for a generated id and the default reason.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="NotFoundException">The object does not exist.</exception>
    Task<WriteResult> PatchAsync(ObjectReference reference, ReadOnlyMemory<byte> mergePatch, string? expectedResourceVersion = null, WriteRequestOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Replaces the status of an existing object; never changes spec or generation.</summary>
    /// <param name="reference">The object.</param>
    /// <param name="status">The new status (any JSON value; null clears it).</param>
    /// <param name="expectedResourceVersion">The resourceVersion the stored object must have; null for none.</param>
    /// <param name="options">Request id and reason; null for a generated id and the default reason.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="NotFoundException">The object does not exist.</exception>
    Task<WriteResult> UpdateStatusAsync(ObjectReference reference, JsonNode? status, string? expectedResourceVersion = null, WriteRequestOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes an object. Deleting a missing object succeeds with <see cref="WriteOutcome.NoOp"/>.</summary>
    /// <param name="reference">The object.</param>
    /// <param name="expectedResourceVersion">The resourceVersion the stored object must have; null for none.</param>
    /// <param name="options">Request id and reason; null for a generated id and the default reason.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<WriteResult> DeleteAsync(ObjectReference reference, string? expectedResourceVersion = null, WriteRequestOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Watches the objects of one kind: the changes committed after <see cref="WatchRequest.FromResourceVersion"/> (or
    /// from now), in commit order, one <see cref="WatchEventBatch"/> per commit (or per run of consecutive commits with
    /// <see cref="WatchRequest.CoalesceCommits"/>). The stream runs until
    /// <paramref name="cancellationToken"/> is cancelled or the caller stops enumerating.
    /// </summary>
    /// <remarks>
    /// <para>A broken stream (a member stopped, the connection dropped, the member went silent) is resumed on the next
    /// member from the last resourceVersion delivered, event or bookmark, so the caller sees every matching commit
    /// exactly once and in order: what a member replays at or below that position is dropped. A member that ends the
    /// watch with RESOURCE_EXHAUSTED (the caller read too slowly) first delivered everything it had queued, so the
    /// watch resumes from the last position too; the caller only sees a pause. Up to
    /// <see cref="ControlPlaneClientOptions.MaxAttempts"/> reconnections in a row that deliver nothing, within
    /// <see cref="ControlPlaneClientOptions.CallTimeout"/>, are tried before the watch gives up with the last error.</para>
    /// <para>Enumerate the result once: each enumeration opens its own watch.</para>
    /// </remarks>
    /// <param name="request">The kind, filters, start position and whether to deliver bookmarks.</param>
    /// <param name="cancellationToken">Ends the watch.</param>
    /// <exception cref="ExpiredException">
    /// The start or resume position is older than the member's retained history, or the member replaced its state from
    /// a snapshot. <see cref="ControlPlaneClientException.OldestResourceVersion"/> is the oldest position it can serve:
    /// list again and watch from the list's resourceVersion (<see cref="ResourceInformer"/> does that for you).
    /// </exception>
    /// <exception cref="InvalidException">The kind, a filter or the start position is malformed.</exception>
    /// <exception cref="ArgumentException"><see cref="WatchRequest.FromResourceVersion"/> is not a decimal resourceVersion.</exception>
    IAsyncEnumerable<WatchEventBatch> WatchAsync(WatchRequest request, CancellationToken cancellationToken = default);

    /// <summary>Discovery: the kinds that currently have objects (a kind with no objects is not listed).</summary>
    /// <param name="read">How fresh the read must be; null means <see cref="ReadConsistency.Linearizable"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<DiscoveredKind>> ListKindsAsync(ReadConsistency? read = null, CancellationToken cancellationToken = default);

    /// <summary>The whole cluster as one member sees it (that member asks every other for its status).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ClusterStatus> GetClusterStatusAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// One node's own status, asked of that node only (no failover): use it to compare members, e.g. their state
    /// hashes at an applied index.
    /// </summary>
    /// <param name="endpoint">The node's gRPC endpoint; it need not be one of the configured endpoints.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<NodeStatusInfo> GetNodeStatusAsync(string endpoint, CancellationToken cancellationToken = default);

    /// <summary>The members of the committed configuration, with names, endpoints and status (asked of the leader).</summary>
    /// <param name="local">Answer from the node asked, without the leader (when there is no leader).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<MemberList> ListMembersAsync(bool local = false, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds a started, empty node (one with no initial members) as a member once it has caught up with the leader.
    /// Adding a member that is already in the configuration with the same endpoints changes nothing and succeeds.
    /// </summary>
    /// <param name="name">The node's configured name.</param>
    /// <param name="raftEndpoint">Its Raft endpoint, IP:port.</param>
    /// <param name="grpcEndpoint">Its gRPC endpoint, http://host:port.</param>
    /// <param name="catchUpTimeout">How long the leader tries to catch it up; null for the server's default (30 s).</param>
    /// <param name="requestId">Idempotency key: a retry with it answers the original outcome; null for a new one.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ControlPlaneClientException">FailedPrecondition when it did not catch up (the configuration is
    /// unchanged), when another change is running, or when the change would leave too few reachable members.</exception>
    Task<MemberChange> AddMemberAsync(string name, string raftEndpoint, string grpcEndpoint, TimeSpan? catchUpTimeout = null, string? requestId = null, CancellationToken cancellationToken = default);

    /// <summary>Removes a member, by name or by Raft endpoint (IP:port). The removed node stops serving clients.</summary>
    /// <param name="member">The member's name or Raft endpoint.</param>
    /// <param name="requestId">Idempotency key: a retry with it answers the original outcome; null for a new one.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="NotFoundException">No such member.</exception>
    /// <exception cref="ControlPlaneClientException">FailedPrecondition when fewer remaining members answer than the new
    /// quorum needs, or when another change is running.</exception>
    Task<MemberChange> RemoveMemberAsync(string member, string? requestId = null, CancellationToken cancellationToken = default);

    /// <summary>Asks the leader to step down; answers once a leader is known again (it may be re-elected).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<LeaderResignation> ResignLeaderAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams a consistent snapshot of the whole store into <paramref name="destination"/> and checks its size and
    /// SHA-256 against the header. A fresh cluster is rebuilt from the file with the node's --restore-snapshot.
    /// </summary>
    /// <param name="destination">Where the bytes go.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<SnapshotInfo> SaveSnapshotAsync(Stream destination, CancellationToken cancellationToken = default);
}
