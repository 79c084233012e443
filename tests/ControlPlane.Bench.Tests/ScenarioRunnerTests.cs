using System.Runtime;
using ControlPlane.Bench.Cli;
using ControlPlane.Bench.Measurement;
using ControlPlane.Bench.Scenarios;
using ControlPlane.Bench.Targets;

namespace ControlPlane.Bench.Tests;

public class ScenarioRunnerTests
{
    [Fact]
    public async Task Result_CarriesTheProcessCpuTimeAndCollector()
    {
        var options = new BenchOptions { Scenario = ScenarioKind.Put, Concurrency = 1, Keys = 10, Duration = TimeSpan.FromMilliseconds(200), Warmup = TimeSpan.Zero };
        var before = Environment.CpuUsage.TotalTime.TotalSeconds;

        var result = await new ScenarioRunner(options, new InstantTarget(), new LiveCounters()).RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.InRange(result.ClientCpuSeconds, before - 0.01, Environment.CpuUsage.TotalTime.TotalSeconds + 0.01);
        Assert.Equal(GCSettings.IsServerGC, result.ClientServerGc);
        Assert.True(result.Operations.Single().Count > 0, "the put scenario must have run");
    }

    /// <summary>A target whose writes succeed at once; the scenario only needs puts.</summary>
    private sealed class InstantTarget : IBenchTarget
    {
        public Task<long> PutAsync(int client, string name, ReadOnlyMemory<byte> json, CancellationToken cancellationToken) => Task.FromResult(1L);

        public Task<UpdateResult> UpdateAsync(int client, string name, ReadOnlyMemory<byte> json, long expectedVersion, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ReadResult> GetAsync(int client, string name, bool linearizable, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ListPage> ListAsync(int client, int limit, bool linearizable, CancellationToken cancellationToken) => throw new NotSupportedException();

        public IAsyncEnumerable<WatchDelivery> WatchAsync(int client, long afterVersion, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
