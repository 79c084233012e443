using System.Collections.Concurrent;
using ControlPlane.Contracts.V1;
using ControlPlane.Testing;
using Grpc.Core;

namespace ControlPlane.MembershipTests.Infrastructure;

/// <summary>
/// A steady write load while membership changes: sequential puts of widgets load-0, load-1, ... through the
/// nodes <see cref="Targets"/> returns, each retried with its own request id until acknowledged (or the load
/// stops). Only acknowledged writes are recorded, with the resourceVersion they were acknowledged at.
/// </summary>
internal sealed class WriteLoad : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _failures;

    public WriteLoad(Func<IReadOnlyList<ResourceService.ResourceServiceClient>> targets)
    {
        Targets = targets;
        _loop = Task.Run(RunAsync);
    }

    public Func<IReadOnlyList<ResourceService.ResourceServiceClient>> Targets { get; }

    public ConcurrentDictionary<string, long> Acknowledged { get; } = new();

    public int Failures => Volatile.Read(ref _failures);

    /// <summary>Waits until <paramref name="count"/> more writes were acknowledged (the load makes progress).</summary>
    public Task WaitForProgressAsync(int count, TimeSpan timeout)
    {
        var target = Acknowledged.Count + count;
        return Eventually.WaitAsync(
            () => Task.FromResult(Acknowledged.Count >= target),
            timeout,
            () => $"expected {target} acknowledged writes; seen {Acknowledged.Count} acknowledged, {Failures} failed attempts");
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var turn = 0;
        for (var i = 0; !_stop.IsCancellationRequested; i++)
        {
            var name = $"load-{i}";
            var requestId = Guid.NewGuid().ToString("D");
            while (!_stop.IsCancellationRequested)
            {
                var targets = Targets();
                var via = targets[turn++ % targets.Count];
                try
                {
                    Acknowledged[name] = await Widgets.PutAsync(via, name, i, requestId, TimeSpan.FromSeconds(5));
                    break;
                }
                catch (RpcException)
                {
                    // Unavailable, a removed node, a deadline: the outcome may be unknown, so retry the same request id.
                    Interlocked.Increment(ref _failures);
                    await Task.Delay(50);
                }
            }
        }
    }
}
