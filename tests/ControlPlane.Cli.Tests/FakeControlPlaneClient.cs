using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using ControlPlane.Client;

namespace ControlPlane.Cli.Tests;

/// <summary>
/// An in-memory store behind <see cref="IControlPlaneClient"/> with the server's write semantics (created / replaced /
/// unchanged, AlreadyExists, NoOp deletes, merge patch), so cpctl's verbs can be run end to end without a cluster.
/// </summary>
internal sealed class FakeControlPlaneClient : IControlPlaneClient
{
    private readonly SortedDictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private long _revision = 10;

    /// <summary>Names whose writes fail with this exception (to test partial failure).</summary>
    public Dictionary<string, ControlPlaneClientException> FailingNames { get; } = [];

    public List<string> Calls { get; } = [];

    public ClusterStatus Cluster { get; set; } = new("127.0.0.1:7201", "http://127.0.0.1:7101", 3, []);

    /// <summary>What a watch delivers before it fails with <see cref="WatchFailure"/> or waits for cancellation.</summary>
    public List<WatchEventBatch> WatchBatches { get; } = [];

    public ControlPlaneClientException? WatchFailure { get; set; }

    public List<WatchRequest> WatchRequests { get; } = [];

    /// <summary>Completes when a watch has delivered <see cref="WatchBatches"/> and waits, as an idle watch does.</summary>
    public TaskCompletionSource WatchIdle { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Seed(string json)
    {
        var obj = JsonNode.Parse(json)!.AsObject();
        Stamp(obj);
        _objects[Key(ObjectReference.FromObject(obj))] = obj;
    }

    public Task<ResourceResult> GetAsync(string apiVersion, string kind, string? @namespace, string name, ReadConsistency? read = null, CancellationToken cancellationToken = default)
    {
        Calls.Add($"Get {apiVersion} {kind} {@namespace} {name}");
        var reference = new ObjectReference(apiVersion, kind, @namespace ?? string.Empty, name);
        return _objects.TryGetValue(Key(reference), out var obj)
            ? Task.FromResult(new ResourceResult((JsonObject)obj.DeepClone(), default, Rv(obj), _revision))
            : throw new NotFoundException($"{kind.ToLowerInvariant()} \"{name}\" not found");
    }

    public Task<ResourceList> ListAsync(string apiVersion, string kind, string? @namespace = null, string? labelSelector = null, int limit = 0, string? continueToken = null, ReadConsistency? read = null, CancellationToken cancellationToken = default)
    {
        Calls.Add($"List {apiVersion} {kind} {@namespace} {labelSelector}");
        var items = _objects.Values
            .Where(o => Str(o, "apiVersion") == apiVersion && Str(o, "kind") == kind)
            .Where(o => string.IsNullOrEmpty(@namespace) || Str(o["metadata"]!.AsObject(), "namespace") == @namespace)
            .Select(o => (JsonObject)o.DeepClone())
            .ToList();
        return Task.FromResult(new ResourceList(items, _revision.ToString(CultureInfo.InvariantCulture), null, 0));
    }

    public Task<WriteResult> CreateAsync(JsonObject obj, WriteRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        var reference = Check(obj, "Create");
        if (_objects.ContainsKey(Key(reference))) throw new AlreadyExistsException($"{reference.Kind.ToLowerInvariant()} \"{reference.Name}\" already exists");
        return Task.FromResult(Store(obj, WriteOutcome.Created));
    }

    public Task<WriteResult> CreateAsync(ReadOnlyMemory<byte> json, WriteRequestOptions? options = null, CancellationToken cancellationToken = default) =>
        CreateAsync(JsonNode.Parse(json.Span)!.AsObject(), options, cancellationToken);

    public Task<WriteResult> ApplyAsync(JsonObject obj, string? expectedResourceVersion = null, WriteRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        var reference = Check(obj, "Apply");
        if (!_objects.TryGetValue(Key(reference), out var existing)) return Task.FromResult(Store(obj, WriteOutcome.Created));
        var candidate = (JsonObject)obj.DeepClone();
        candidate["metadata"]!.AsObject()["resourceVersion"] = Rv(existing);
        candidate["metadata"]!.AsObject()["creationTimestamp"] = existing["metadata"]!["creationTimestamp"]!.DeepClone();
        return JsonNode.DeepEquals(candidate, existing)
            ? Task.FromResult(new WriteResult(WriteOutcome.NoOp, Rv(existing), (JsonObject)existing.DeepClone(), default, "id"))
            : Task.FromResult(Store(obj, WriteOutcome.Replaced));
    }

    public Task<WriteResult> ApplyAsync(ReadOnlyMemory<byte> json, string? expectedResourceVersion = null, WriteRequestOptions? options = null, CancellationToken cancellationToken = default) =>
        ApplyAsync(JsonNode.Parse(json.Span)!.AsObject(), expectedResourceVersion, options, cancellationToken);

    public Task<WriteResult> PatchAsync(ObjectReference reference, JsonObject mergePatch, string? expectedResourceVersion = null, WriteRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls.Add($"Patch {reference} {mergePatch.ToJsonString()}");
        if (!_objects.TryGetValue(Key(reference), out var existing)) throw new NotFoundException($"{reference.Kind.ToLowerInvariant()} \"{reference.Name}\" not found");
        var patched = (JsonObject)Merge(existing.DeepClone(), mergePatch)!;
        return Task.FromResult(JsonNode.DeepEquals(patched, existing)
            ? new WriteResult(WriteOutcome.NoOp, Rv(existing), existing, default, "id")
            : Store(patched, WriteOutcome.Patched));
    }

    public Task<WriteResult> PatchAsync(ObjectReference reference, ReadOnlyMemory<byte> mergePatch, string? expectedResourceVersion = null, WriteRequestOptions? options = null, CancellationToken cancellationToken = default) =>
        PatchAsync(reference, JsonNode.Parse(mergePatch.Span)!.AsObject(), expectedResourceVersion, options, cancellationToken);

    public Task<WriteResult> UpdateStatusAsync(ObjectReference reference, JsonNode? status, string? expectedResourceVersion = null, WriteRequestOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("cpctl has no status verb");

    public Task<WriteResult> DeleteAsync(ObjectReference reference, string? expectedResourceVersion = null, WriteRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls.Add($"Delete {reference}");
        if (FailingNames.TryGetValue(reference.Name, out var failure)) throw failure;
        if (!_objects.Remove(Key(reference), out var existing))
            return Task.FromResult(new WriteResult(WriteOutcome.NoOp, _revision.ToString(CultureInfo.InvariantCulture), null, default, "id"));
        _revision++;
        return Task.FromResult(new WriteResult(WriteOutcome.Deleted, _revision.ToString(CultureInfo.InvariantCulture), existing, default, "id"));
    }

    public Task<IReadOnlyList<DiscoveredKind>> ListKindsAsync(ReadConsistency? read = null, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<DiscoveredKind> kinds = _objects.Values
            .GroupBy(o => (Str(o, "apiVersion"), Str(o, "kind")))
            .Select(g => new DiscoveredKind(g.Key.Item1, g.Key.Item2, g.Count(), g.Any(o => Str(o["metadata"]!.AsObject(), "namespace").Length > 0)))
            .ToList();
        return Task.FromResult(kinds);
    }

    public async IAsyncEnumerable<WatchEventBatch> WatchAsync(WatchRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        WatchRequests.Add(request);
        foreach (var batch in WatchBatches) yield return batch;
        if (WatchFailure is { } failure) throw failure;
        WatchIdle.TrySetResult();
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }

    public Task<ClusterStatus> GetClusterStatusAsync(CancellationToken cancellationToken = default) => Task.FromResult(Cluster);

    public Task<NodeStatusInfo> GetNodeStatusAsync(string endpoint, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("cpctl does not ask single nodes");

    /// <summary>The membership the member verbs see and change.</summary>
    public List<ClusterMember> Members { get; } = [];

    public long ConfigurationIndex { get; set; } = 5;

    /// <summary>When set, AddMember fails with it (a node that never caught up, say).</summary>
    public ControlPlaneClientException? AddFailure { get; set; }

    /// <summary>Whether removed nodes acknowledge their removal.</summary>
    public bool RemovedNodesAcknowledge { get; set; } = true;

    /// <summary>The bytes SaveSnapshot streams.</summary>
    public byte[] SnapshotBytes { get; set; } = [1, 2, 3, 4];

    public Task<MemberList> ListMembersAsync(bool local = false, CancellationToken cancellationToken = default)
    {
        Calls.Add($"ListMembers local={local}");
        return Task.FromResult(new MemberList([.. Members], "127.0.0.1:7201", 3, ConfigurationIndex, string.Empty, "node1"));
    }

    public Task<MemberChange> AddMemberAsync(string name, string raftEndpoint, string grpcEndpoint, TimeSpan? catchUpTimeout = null, string? requestId = null, CancellationToken cancellationToken = default)
    {
        Calls.Add($"AddMember {name} {raftEndpoint} {grpcEndpoint} {catchUpTimeout?.TotalSeconds.ToString(CultureInfo.InvariantCulture) ?? "default"} {requestId ?? "new-id"}");
        if (AddFailure is { } failure) throw failure;
        var existing = Members.FirstOrDefault(m => m.RaftEndpoint == raftEndpoint);
        var member = existing ?? new ClusterMember(raftEndpoint, grpcEndpoint, true, false, null, string.Empty) { Name = name };
        if (existing is null)
        {
            Members.Add(member);
            ConfigurationIndex += 2;
        }

        return Task.FromResult(new MemberChange(member, existing is not null, ConfigurationIndex, [.. Members], Replayed: false)
        {
            Progress = new CatchUpProgress(40, 42, 1, TimeSpan.FromSeconds(1.5)),
        });
    }

    public Task<MemberChange> RemoveMemberAsync(string member, string? requestId = null, CancellationToken cancellationToken = default)
    {
        Calls.Add($"RemoveMember {member} {requestId ?? "new-id"}");
        var found = Members.FirstOrDefault(m => m.Name == member || m.RaftEndpoint == member)
            ?? throw new NotFoundException($"{member} is not a member");
        Members.Remove(found);
        ConfigurationIndex += 2;
        return Task.FromResult(new MemberChange(found, false, ConfigurationIndex, [.. Members], Replayed: false) { RemovedNodeNotified = RemovedNodesAcknowledge });
    }

    public Task<LeaderResignation> ResignLeaderAsync(CancellationToken cancellationToken = default)
    {
        Calls.Add("ResignLeader");
        return Task.FromResult(new LeaderResignation("127.0.0.1:7201", "127.0.0.1:7202", "http://127.0.0.1:7102", 6, TimeSpan.FromMilliseconds(812)));
    }

    public async Task<SnapshotInfo> SaveSnapshotAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        Calls.Add("SaveSnapshot");
        await destination.WriteAsync(SnapshotBytes, cancellationToken);
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(SnapshotBytes));
        return new SnapshotInfo(2, 120, "abc@120", 7, SnapshotBytes.Length, sha256, "node2", new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }

    private static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject) return patch?.DeepClone();
        var result = target as JsonObject ?? [];
        foreach (var (key, value) in patchObject)
        {
            if (value is null) result.Remove(key);
            else result[key] = Merge(result[key]?.DeepClone(), value);
        }

        return result;
    }

    private ObjectReference Check(JsonObject obj, string verb)
    {
        var reference = ObjectReference.FromObject(obj);
        Calls.Add($"{verb} {reference}");
        if (FailingNames.TryGetValue(reference.Name, out var failure)) throw failure;
        return reference;
    }

    private WriteResult Store(JsonObject obj, WriteOutcome outcome)
    {
        var stored = (JsonObject)obj.DeepClone();
        Stamp(stored);
        _objects[Key(ObjectReference.FromObject(stored))] = stored;
        return new WriteResult(outcome, Rv(stored), (JsonObject)stored.DeepClone(), default, "id");
    }

    private void Stamp(JsonObject obj)
    {
        _revision++;
        var metadata = obj["metadata"]!.AsObject();
        metadata["resourceVersion"] = _revision.ToString(CultureInfo.InvariantCulture);
        metadata["creationTimestamp"] ??= "2030-01-01T00:00:00Z";
    }

    private static string Key(ObjectReference reference) => reference.ToString();

    private static string Rv(JsonObject obj) => Str(obj["metadata"]!.AsObject(), "resourceVersion");

    private static string Str(JsonObject obj, string name) => obj[name]?.GetValue<string>() ?? string.Empty;
}
