using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ControlPlane.Core.Errors;
using ControlPlane.Core.Json;
using ControlPlane.Core.Resources;
using ControlPlane.Core.Store;

namespace ControlPlane.Controllers.Runtime;

/// <summary>
/// The writes a controller makes, fenced three ways:
/// <list type="bullet">
/// <item>Each is conditional on the resourceVersion the reconciler read, so a write based on a stale read is refused
/// with Conflict; the exception reaches the runtime, which re-reads and requeues the key (not an error).</item>
/// <item>Each carries a request id derived from (controller, key, observed resourceVersion, kind of write, body), so
/// a write retried after a leader change is applied once and answered with the original result.</item>
/// <item>The store accepts writes only on the leader, so a deposed leader's write is refused (Unavailable).</item>
/// </list>
/// A write that would change nothing is not sent (status and patch are compared locally), so a reconcile that finds
/// nothing to do produces no event and cannot feed a hot loop. Writes carry <see cref="Reason.Controller"/> and the
/// principal <c>system:controller:&lt;name&gt;</c>. Failures other than the conflict family throw
/// <see cref="ControlPlaneException"/>.
/// </summary>
public sealed class ControllerWriter
{
    private readonly IResourceStore _store;

    public ControllerWriter(IResourceStore store, string controller)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(controller);
        _store = store;
        Controller = controller;
        Principal = "system:controller:" + controller;
    }

    public string Controller { get; }

    public string Principal { get; }

    /// <summary>Replaces the status of <paramref name="observed"/>; sends nothing when it already equals <paramref name="status"/>.</summary>
    public ValueTask<ControllerWriteResult> UpdateStatusAsync(StoredResource observed, JsonNode? status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(observed);
        return JsonNode.DeepEquals(observed.ToJsonObject()["status"], status)
            ? ValueTask.FromResult(ControllerWriteResult.Unchanged(observed))
            : WriteAsync(WriteKind.UpdateStatus, observed.Key, observed.ResourceVersion, status?.DeepClone(), createOnly: false, cancellationToken);
    }

    /// <summary>Merge-patches <paramref name="observed"/>; sends nothing when the patch would leave it as it is.</summary>
    public ValueTask<ControllerWriteResult> PatchAsync(StoredResource observed, JsonObject patch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(patch);
        var current = observed.ToJsonObject();
        return JsonNode.DeepEquals(JsonMergePatch.Apply(current, patch), current)
            ? ValueTask.FromResult(ControllerWriteResult.Unchanged(observed))
            : WriteAsync(WriteKind.Patch, observed.Key, observed.ResourceVersion, patch.DeepClone(), createOnly: false, cancellationToken);
    }

    /// <summary>Replaces <paramref name="observed"/> with <paramref name="body"/> (the store keeps its status); a body equal to it changes nothing.</summary>
    public ValueTask<ControllerWriteResult> PutAsync(StoredResource observed, JsonObject body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(body);
        return WriteAsync(WriteKind.Put, observed.Key, observed.ResourceVersion, body.DeepClone(), createOnly: false, cancellationToken);
    }

    /// <summary>Creates <paramref name="key"/> from <paramref name="body"/>; AlreadyExists when it exists (the runtime requeues).</summary>
    public ValueTask<ControllerWriteResult> CreateAsync(ResourceKey key, JsonObject body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        return WriteAsync(WriteKind.Put, key, 0, body.DeepClone(), createOnly: true, cancellationToken);
    }

    /// <summary>Deletes <paramref name="observed"/>, provided it is still the version that was read.</summary>
    public ValueTask<ControllerWriteResult> DeleteAsync(StoredResource observed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(observed);
        return WriteAsync(WriteKind.Delete, observed.Key, observed.ResourceVersion, body: null, createOnly: false, cancellationToken);
    }

    /// <summary>
    /// The request id of a controller write: a readable prefix (controller, kind of write, observed resourceVersion)
    /// and a hash of everything that identifies it, under 128 characters for any valid controller name.
    /// </summary>
    public static string RequestIdFor(string controller, ResourceKey key, long observedResourceVersion, WriteKind kind, bool createOnly, string body)
    {
        var what = kind switch
        {
            WriteKind.Put => createOnly ? "create" : "put",
            WriteKind.Patch => "patch",
            WriteKind.Delete => "delete",
            WriteKind.UpdateStatus => "status",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown kind of write"),
        };
        var rv = observedResourceVersion.ToString(CultureInfo.InvariantCulture);
        var identity = string.Join('\n', controller, what, key.ToString(), rv, body);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)).AsSpan(0, 12));
        return $"ctl:{controller}:{what}:{rv}:{hash}";
    }

    private async ValueTask<ControllerWriteResult> WriteAsync(
        WriteKind kind, ResourceKey key, long observedResourceVersion, JsonNode? body, bool createOnly, CancellationToken cancellationToken)
    {
        var json = WriteRequest.Json(body);
        var request = new WriteRequest
        {
            Kind = kind,
            Key = key,
            Body = json,
            ExpectedResourceVersion = observedResourceVersion,
            CreateOnly = createOnly,
            Reason = Reason.Controller,
            RequestId = RequestIdFor(Controller, key, observedResourceVersion, kind, createOnly, Encoding.UTF8.GetString(json.Span)),
            Principal = Principal,
        };
        var result = (await _store.WriteAsync(request, cancellationToken).ConfigureAwait(false)).EnsureSuccess();
        return ControllerWriteResult.Sent(result);
    }
}
