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
        var path = Path.Combine(AppContext.BaseDirectory, "cpbench.runtimeconfig.json");
        using var config = JsonDocument.Parse(File.ReadAllBytes(path));

        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.True(properties.TryGetProperty("System.GC.Server", out var server) && server.GetBoolean(), $"{path} must turn on System.GC.Server");
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
