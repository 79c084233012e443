using ControlPlane.Core.Store;

namespace ControlPlane.Controllers.Tests.Runtime;

/// <summary>
/// The real leadership of a one-member node, which the test can also take away and give back: leadership is
/// the contract under test, and a single node never loses it on its own. While revoked, this node "is not the
/// leader": the leadership token is cancelled and <see cref="FencedStore"/> refuses writes, as the real store
/// refuses them on a deposed leader.
/// </summary>
internal sealed class ToggleLeadership(ILeadership inner) : ILeadership, IDisposable
{
    private readonly object _gate = new();
    private readonly List<CancellationTokenSource> _linked = [];
    private CancellationTokenSource _revoked = new();
    private TaskCompletionSource _granted = Completed();
    private bool _isGranted = true;

    public bool IsLeader
    {
        get
        {
            lock (_gate) return _isGranted && inner.IsLeader;
        }
    }

    /// <summary>How many times a caller was handed leadership.</summary>
    public int Grants { get; private set; }

    public async Task<CancellationToken> WaitForLeadershipAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task granted;
            CancellationToken revoked;
            lock (_gate)
            {
                granted = _granted.Task;
                revoked = _revoked.Token;
            }

            await granted.WaitAsync(cancellationToken);
            var real = await inner.WaitForLeadershipAsync(cancellationToken);
            lock (_gate)
            {
                if (!_isGranted) continue;
                var linked = CancellationTokenSource.CreateLinkedTokenSource(real, revoked);
                _linked.Add(linked);
                Grants++;
                return linked.Token;
            }
        }
    }

    public void Revoke()
    {
        CancellationTokenSource revoked;
        lock (_gate)
        {
            if (!_isGranted) return;
            _isGranted = false;
            _granted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            revoked = _revoked;
            _linked.Add(revoked);
            _revoked = new CancellationTokenSource();
        }

        // Outside the lock: cancellation runs the holders' callbacks synchronously.
        revoked.Cancel();
    }

    public void Grant()
    {
        lock (_gate)
        {
            _isGranted = true;
            _granted.TrySetResult();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var linked in _linked) linked.Dispose();
            _revoked.Dispose();
        }
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }
}
