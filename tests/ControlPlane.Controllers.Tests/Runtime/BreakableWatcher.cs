using System.Runtime.CompilerServices;
using ControlPlane.Core.Errors;
using ControlPlane.Core.Watch;

namespace ControlPlane.Controllers.Tests.Runtime;

/// <summary>A real watch that the test can end with a store error (see <see cref="FencedStore.BreakWatches"/>).</summary>
internal sealed class BreakableWatcher(IResourceWatcher inner, Action<BreakableWatcher> onDispose) : IResourceWatcher
{
    private volatile ControlPlaneException? _error;

    public long StartResourceVersion => inner.StartResourceVersion;

    public async IAsyncEnumerable<WatchMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var message in inner.ReadAllAsync(cancellationToken))
        {
            if (_error is not null) break;
            yield return message;
        }

        if (_error is { } error) throw error;
    }

    public void RequestBookmark() => inner.RequestBookmark();

    /// <summary>Ends the stream: what is still queued is not delivered, and the reader gets <paramref name="error"/>.</summary>
    public void Break(ControlPlaneException error)
    {
        _error = error;
        inner.Dispose();
    }

    public void Dispose()
    {
        onDispose(this);
        inner.Dispose();
    }
}
