using ControlPlane.Testing.InProcess;

namespace ControlPlane.Controllers.Tests.Runtime;

/// <summary>One real one-member store shared by a test class; tests keep apart by object name.</summary>
public sealed class StoreFixture : IAsyncLifetime
{
    private SingleNodeStore? _node;

    internal SingleNodeStore Node => _node ?? throw new InvalidOperationException("the store fixture has not started");

    public async Task InitializeAsync() => _node = await SingleNodeStore.StartAsync();

    public async Task DisposeAsync()
    {
        if (_node is not null) await _node.DisposeAsync();
    }
}
