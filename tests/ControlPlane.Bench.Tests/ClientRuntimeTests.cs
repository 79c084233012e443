using System.Text.Json;
using ControlPlane.Bench.Measurement;

namespace ControlPlane.Bench.Tests;

public class ClientRuntimeTests
{
    [Fact]
    public void LoadClient_RunsWithTheServerGarbageCollector()
    {
        // With the workstation collector the client's own gen-0 collections showed in its profile under 1,000 watchers;
        // interleaved bench.sh runs (BENCH_CLIENT_ENV="DOTNET_gcServer=0" against the default) delivered 338 / 259
        // writes/s to all 1,000 against 399 / 344, and 3,855 / 3,270 puts/s against 4,109 / 4,201 for 64 writers
        // (docs/README-bench.md, "The instrument").
        Assert.True(ConfigProperty("System.GC.Server") is { ValueKind: JsonValueKind.True }, $"{ConfigPath} must turn on System.GC.Server");
    }

    [Fact]
    public void LoadClient_ThreadPoolWorkersDoNotSpinWhenIdle()
    {
        // Idle workers spinning before they sleep took cores from the servers under test: one writer (put-1) on a local
        // three-node cluster cost the client 4.67 s of CPU with the default spin and 2.90 s without, at the same rate
        // (docs/README-bench.md, "The latest runs (twelfth session)").
        Assert.True(
            ConfigProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit") is { ValueKind: JsonValueKind.Number } spin && spin.GetInt32() == 0,
            $"{ConfigPath} must set System.Threading.ThreadPool.UnfairSemaphoreSpinLimit to 0");
    }

    private static string ConfigPath => Path.Combine(AppContext.BaseDirectory, "cpbench.runtimeconfig.json");

    /// <summary>A property of cpbench's runtimeconfig.json as built; null when absent.</summary>
    private static JsonElement? ConfigProperty(string name)
    {
        using var config = JsonDocument.Parse(File.ReadAllBytes(ConfigPath));
        return config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").TryGetProperty(name, out var value) ? value.Clone() : null;
    }

    [Fact]
    public void Result_ReportsTheClientsCpuAndCollector_InTheTableAndTheJson()
    {
        var result = new ScenarioResult
        {
            Target = "etcd",
            Scenario = "put",
            Concurrency = 64,
            ValueSize = 256,
            Keys = 1000,
            WindowSeconds = 10,
            Operations = [],
            ClientCpuSeconds = 12.345,
            ClientServerGc = true,
        };

        var table = ResultPrinter.ToTable(result);
        using var json = JsonDocument.Parse(ResultPrinter.ToJson(result));

        Assert.Contains("client CPU 12.35 s (server GC)", table, StringComparison.Ordinal);
        Assert.Equal(12.345, json.RootElement.GetProperty("clientCpuSeconds").GetDouble());
        Assert.True(json.RootElement.GetProperty("clientServerGc").GetBoolean());
    }
}
