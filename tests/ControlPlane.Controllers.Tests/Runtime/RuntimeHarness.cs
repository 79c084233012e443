using ControlPlane.Controllers.Runtime;
using ControlPlane.Core.Resources;
using ControlPlane.Core.Store;
using ControlPlane.Testing.InProcess;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace ControlPlane.Controllers.Tests.Runtime;

/// <summary>
/// A controller host over a real one-member Raft store, with leadership the test can take away and give back.
/// Objects are written as an operator would, straight to the real store; controllers write through the fenced store.
/// </summary>
internal sealed class RuntimeHarness : IAsyncDisposable
{
    private RuntimeHarness(SingleNodeStore node, ToggleLeadership leadership, FencedStore store, ControllerMetrics metrics, ControllerHost host, TestLogger<ControllerHost> logger)
    {
        Node = node;
        Leadership = leadership;
        Store = store;
        Metrics = metrics;
        Host = host;
        Logger = logger;
    }

    public SingleNodeStore Node { get; }

    public ToggleLeadership Leadership { get; }

    public FencedStore Store { get; }

    public ControllerMetrics Metrics { get; }

    public ControllerHost Host { get; }

    public TestLogger<ControllerHost> Logger { get; }

    public static async Task<RuntimeHarness> CreateAsync(
        ITestOutputHelper output, Func<FencedStore, IEnumerable<ControllerDefinition>> controllers, TimeProvider? time = null, ControllerHostOptions? options = null)
    {
        var node = await SingleNodeStore.StartAsync();
        var leadership = new ToggleLeadership(node.Leadership);
        var store = new FencedStore(node.Store, leadership);
        var metrics = new ControllerMetrics();
        var logger = new TestLogger<ControllerHost>(output);
        var host = new ControllerHost(controllers(store), store, leadership, metrics, time ?? TimeProvider.System, logger, Options.Create(options ?? new ControllerHostOptions()));
        return new RuntimeHarness(node, leadership, store, metrics, host, logger);
    }

    public Task StartAsync() => Host.StartAsync(CancellationToken.None);

    public async Task<WriteResult> PutAsync(string name, int value) =>
        (await Node.Store.WriteAsync(Widgets.Put(name, value), CancellationToken.None)).EnsureSuccess();

    public async Task<StoredResource?> GetAsync(ResourceKey key) =>
        (await Node.Store.GetAsync(key, ReadConsistency.Local, CancellationToken.None)).Resource;

    public Task WaitForObservedValueAsync(string name, int value)
    {
        StoredResource? last = null;
        return Eventually.WaitAsync(
            async () => Widgets.ObservedValue(last = await GetAsync(Widgets.Key(name))) == value,
            $"{name} to have status.observedValue {value}",
            () => last is null ? $"{name} absent" : System.Text.Encoding.UTF8.GetString(last.Json));
    }

    public Task WaitActiveAsync(string controller, bool active, TimeSpan? deadline = null) => Eventually.WaitAsync(
        () => Host.GetStatus(controller).Active == active, $"controller {controller} {(active ? "active" : "stopped")}", () => Host.GetStatus(controller).ToString(), deadline);

    /// <summary>
    /// Waits until <paramref name="controller"/> runs, its view covers every change published so far and its queue
    /// is empty with nothing processing or delayed: every change has been reconciled and nothing more is coming.
    /// </summary>
    public Task WaitIdleAsync(string controller)
    {
        var target = Node.Node.Watches.LastIndex;
        return Eventually.WaitAsync(
            () => Host.GetStatus(controller) is { Active: true, Queued: 0, Processing: 0, Waiting: 0 } status && status.ResourceVersion >= target,
            $"controller {controller} idle at resourceVersion >= {target}",
            () => Host.GetStatus(controller).ToString());
    }

    public async ValueTask DisposeAsync()
    {
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await Host.StopAsync(stop.Token);
        }

        Host.Dispose();
        Metrics.Dispose();
        Leadership.Dispose();
        await Node.DisposeAsync();
    }
}
