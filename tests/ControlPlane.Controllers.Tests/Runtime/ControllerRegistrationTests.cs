using ControlPlane.Controllers.Runtime;
using ControlPlane.Core.Resources;
using ControlPlane.Core.Store;
using ControlPlane.Core.Watch;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ControlPlane.Controllers.Tests.Runtime;

/// <summary>Controller definitions, host options and the service registrations the Node uses.</summary>
public sealed class ControllerRegistrationTests
{
    [Theory]
    [InlineData("", "DNS-1123 label")]
    [InlineData("Upper", "DNS-1123 label")]
    [InlineData("-leading", "DNS-1123 label")]
    public void Definition_BadName_RefusedNamingTheRule(string name, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => (Valid() with { Name = name }).Validate());
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Definition_BadSettings_RefusedNamingTheSetting()
    {
        Assert.Contains("at least one watch source", Assert.Throws<ArgumentException>(() => (Valid() with { Watches = [] }).Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("Workers", Assert.Throws<ArgumentException>(() => (Valid() with { Workers = 0 }).Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("ResyncPeriod", Assert.Throws<ArgumentException>(() => (Valid() with { ResyncPeriod = TimeSpan.FromSeconds(-1) }).Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("BaseDelay", Assert.Throws<ArgumentException>(() => (Valid() with { Queue = new WorkQueueOptions { BaseDelay = TimeSpan.Zero } }).Validate()).Message, StringComparison.Ordinal);
        Valid().Validate();
    }

    [Fact]
    public void Host_TwoControllersWithOneName_Refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new ControllerHost(
            [Valid(), Valid()], new NoStore(), new NeverLeader(), new ControllerMetrics(), TimeProvider.System, NullLogger<ControllerHost>.Instance, Options.Create(new ControllerHostOptions())));
        Assert.Contains("\"widgets\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddControlPlaneControllers_RegistersTheHostAsAHostedService_WithTheDefinedControllers()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton<IResourceStore, NoStore>();
        services.AddSingleton<ILeadership, NeverLeader>();
        services.AddControlPlaneControllers(o => o.StopTimeout = TimeSpan.FromMilliseconds(300));
        services.AddController(_ => Valid());
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var host = Assert.Single(provider.GetServices<IHostedService>());
        Assert.Same(provider.GetRequiredService<ControllerHost>(), host);
        Assert.Equal(["widgets"], provider.GetRequiredService<ControllerHost>().Controllers);
        Assert.Equal(TimeSpan.FromMilliseconds(300), provider.GetRequiredService<IOptions<ControllerHostOptions>>().Value.StopTimeout);
    }

    [Fact]
    public async Task AddControlPlaneControllers_InvalidOptions_FailNamingTheSetting()
    {
        var services = new ServiceCollection();
        services.AddControlPlaneControllers(o => o.StopTimeout = TimeSpan.Zero);
        await using var provider = services.BuildServiceProvider();
        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ControllerHostOptions>>().Value);
        Assert.Contains("StopTimeout", e.Message, StringComparison.Ordinal);
    }

    private static ControllerDefinition Valid() => new()
    {
        Name = "widgets",
        Reconciler = new NoopReconciler(),
        Watches = [WatchSource.For(Widgets.Kind)],
    };

    private sealed class NoopReconciler : IReconciler
    {
        public ValueTask<ReconcileResult> ReconcileAsync(ResourceKey key, CancellationToken cancellationToken) => ValueTask.FromResult(ReconcileResult.Done);
    }

    /// <summary>Never consulted: these tests never gain leadership.</summary>
    private sealed class NoStore : IResourceStore
    {
        public ValueTask<WriteResult> WriteAsync(WriteRequest request, CancellationToken cancellationToken) => throw new InvalidOperationException("not used");

        public ValueTask<(StoredResource? Resource, long AppliedIndex)> GetAsync(ResourceKey key, ReadConsistency consistency, CancellationToken cancellationToken) => throw new InvalidOperationException("not used");

        public ValueTask<ListResult> ListAsync(ListQuery query, ReadConsistency consistency, CancellationToken cancellationToken) => throw new InvalidOperationException("not used");

        public IResourceWatcher Watch(WatchQuery query) => throw new InvalidOperationException("not used");
    }

    private sealed class NeverLeader : ILeadership
    {
        public bool IsLeader => false;

        public async Task<CancellationToken> WaitForLeadershipAsync(CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            return cancellationToken;
        }
    }
}
