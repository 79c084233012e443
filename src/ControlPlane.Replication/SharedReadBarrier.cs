namespace ControlPlane.Replication;

/// <summary>
/// Lets concurrent linearizable readers share one read barrier. A reader may only use a barrier that starts
/// after it arrived, so a reader that finds a barrier running joins the next one, which one loop starts as
/// soon as the running one ends; every reader arriving meanwhile shares it.
/// </summary>
internal sealed class SharedReadBarrier(Func<CancellationToken, Task> barrier, TimeSpan timeout)
{
    private readonly object _gate = new();
    private TaskCompletionSource? _pending;
    private bool _active;

    public Task WaitAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource joined;
        lock (_gate)
        {
            if (_active)
            {
                joined = _pending ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return joined.Task.WaitAsync(cancellationToken);
            }

            _active = true;
            joined = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        _ = RunAsync(joined);
        return joined.Task.WaitAsync(cancellationToken);
    }

    private async Task RunAsync(TaskCompletionSource? current)
    {
        while (current is not null)
        {
            try
            {
                using var cts = new CancellationTokenSource(timeout);
                await barrier(cts.Token).ConfigureAwait(false);
                current.TrySetResult();
            }
            catch (Exception e)
            {
                current.TrySetException(e);
            }

            lock (_gate)
            {
                current = _pending;
                _pending = null;
                if (current is null) _active = false;
            }
        }
    }
}
