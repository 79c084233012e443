using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ControlPlane.Controllers.Runtime;
using ControlPlane.Core.Resources;
using ControlPlane.Core.Store;

namespace ControlPlane.Controllers.Tests.Runtime;

/// <summary>The trivial reconciler: copies <c>spec.value</c> into <c>status.observedValue</c> through <see cref="ControllerWriter"/>.</summary>
internal sealed class CopyValueReconciler(IResourceStore store, string controller) : IReconciler
{
    private readonly ConcurrentDictionary<ResourceKey, int> _calls = new();

    public ControllerWriter Writer { get; } = new(store, controller);

    /// <summary>Runs after the read and before the write: gates, interference, failures.</summary>
    public Func<ResourceKey, StoredResource, CancellationToken, Task>? BeforeWrite { get; set; }

    public int Calls(ResourceKey key) => _calls.GetValueOrDefault(key);

    public int TotalCalls => _calls.Values.Sum();

    public async ValueTask<ReconcileResult> ReconcileAsync(ResourceKey key, CancellationToken cancellationToken)
    {
        _calls.AddOrUpdate(key, 1, (_, n) => n + 1);
        var (resource, _) = await store.GetAsync(key, ReadConsistency.Local, cancellationToken);
        if (resource is null) return ReconcileResult.Done;
        if (BeforeWrite is { } hook) await hook(key, resource, cancellationToken);
        var value = resource.ToJsonObject()["spec"]?["value"]?.DeepClone();
        await Writer.UpdateStatusAsync(resource, new JsonObject { ["observedValue"] = value }, cancellationToken);
        return ReconcileResult.Done;
    }
}
