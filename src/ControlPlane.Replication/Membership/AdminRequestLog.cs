using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ControlPlane.Core.Errors;
using ControlPlane.Core.Resources;
using ControlPlane.Core.Store;

namespace ControlPlane.Replication.Membership;

/// <summary>
/// Membership request ids kept in the replicated store, so that a retry is answered the same way by whichever
/// node leads when it arrives (the in-memory table of <see cref="MembershipManager"/> only covers the leader that
/// ran the change). Each request is a <c>controlplane.io/v1 MembershipRequest</c> object in namespace
/// <c>controlplane-system</c>, named after a digest of the request id, written through Raft like any write. The
/// newest <see cref="Capacity"/> succeeded requests are kept.
/// </summary>
public sealed class AdminRequestLog(IResourceStore store)
{
    public const string Namespace = "controlplane-system";

    public const int Capacity = 256;

    private static readonly ResourceKind Kind = new("controlplane.io", "v1", "MembershipRequest");

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Every remembered request, oldest first.</summary>
    public async Task<IReadOnlyList<AdminRequestRecord>> ListAsync(CancellationToken cancellationToken)
    {
        var list = await store.ListAsync(new ListQuery { Kind = Kind, Namespace = Namespace }, ReadConsistency.Linearizable, cancellationToken).ConfigureAwait(false);
        return [.. list.Items.OrderBy(i => i.ResourceVersion).Select(Read)];
    }

    public async Task SaveAsync(AdminRequestRecord record, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["apiVersion"] = Kind.ApiVersion,
            ["kind"] = Kind.Kind,
            ["metadata"] = new JsonObject { ["name"] = Key(record.RequestId).Name, ["namespace"] = Namespace },
            ["spec"] = JsonSerializer.SerializeToNode(record, Json),
        };
        await WriteAsync(new WriteRequest { Kind = WriteKind.Put, Key = Key(record.RequestId), Body = WriteRequest.Json(body), Reason = Reason.Controller }, cancellationToken).ConfigureAwait(false);
    }

    public Task DeleteAsync(string requestId, CancellationToken cancellationToken) =>
        WriteAsync(new WriteRequest { Kind = WriteKind.Delete, Key = Key(requestId), Reason = Reason.Controller }, cancellationToken);

    /// <summary>Forgets the oldest succeeded requests beyond <see cref="Capacity"/>.</summary>
    public async Task TrimAsync(CancellationToken cancellationToken)
    {
        var succeeded = (await ListAsync(cancellationToken).ConfigureAwait(false)).Where(r => r.Phase == AdminRequestRecord.Succeeded).ToList();
        foreach (var old in succeeded.Take(Math.Max(0, succeeded.Count - Capacity))) await DeleteAsync(old.RequestId, cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteAsync(WriteRequest request, CancellationToken cancellationToken)
    {
        var result = await store.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        if (result.Error != ErrorCode.None) throw new ControlPlaneException(result.Error, $"recording membership request {request.Key.Name}: {result.Message}");
    }

    private static AdminRequestRecord Read(StoredResource resource) =>
        resource.ToJsonObject()["spec"].Deserialize<AdminRequestRecord>(Json)
        ?? throw new InvalidDataException($"{resource.Key} has no spec");

    /// <summary>Request ids are free text; the object name is a DNS label derived from it.</summary>
    private static ResourceKey Key(string requestId) =>
        new(Kind.Group, Kind.Version, Kind.Kind, Namespace, "r-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(requestId)))[..40]);
}
