using System.Text.Json.Nodes;
using ControlPlane.Client;

namespace ControlPlane.Cli.Tests;

/// <summary><c>cpctl watch</c>: what it asks the SDK for, how it prints events, and that Ctrl-C ends it with exit 0.</summary>
public sealed class CpctlWatchTests
{
    private static readonly TimeSpan _deadline = TimeSpan.FromSeconds(10);
    private readonly CliHarness _cli = new();

    public CpctlWatchTests()
    {
        _cli.Client.Seed("""{"apiVersion":"example.com/v1","kind":"Goal","metadata":{"name":"g1","namespace":"team"},"spec":{}}""");
        _cli.Client.WatchBatches.Add(Batch("11", WatchEventType.Added, "g2", "team"));
        _cli.Client.WatchBatches.Add(Batch("12", WatchEventType.Modified, "a-rather-long-name-of-an-object-of-forty", "team"));
        _cli.Client.WatchBatches.Add(new WatchEventBatch("13", [], true, "http://127.0.0.1:7101"));
        _cli.Client.WatchBatches.Add(Batch("14", WatchEventType.Deleted, "g2", "team"));
    }

    [Fact]
    public async Task Table_OneLinePerEvent_UntilCtrlC_Exit0()
    {
        var run = await RunUntilIdleThenCtrlCAsync("watch goals");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            """
            TYPE       NAMESPACE          NAME                               RESOURCEVERSION
            ADDED      team               g2                                 11
            MODIFIED   team               a-rather-long-name-of-an-object-of-forty   12
            DELETED    team               g2                                 14

            """.ReplaceLineEndings("\n"),
            run.Out);
        Assert.Equal(string.Empty, run.Error);
    }

    [Fact]
    public async Task Json_OneObjectPerLine_WithTypeResourceVersionAndObject()
    {
        var run = await RunUntilIdleThenCtrlCAsync("watch goals -o json");

        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        var parsed = lines.Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(["ADDED", "MODIFIED", "DELETED"], parsed.Select(p => p["type"]!.GetValue<string>()));
        Assert.Equal(["11", "12", "14"], parsed.Select(p => p["resourceVersion"]!.GetValue<string>()));
        Assert.Equal("g2", parsed[0]["object"]!["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public async Task Yaml_OneDocumentPerEvent()
    {
        var run = await RunUntilIdleThenCtrlCAsync("watch goals -o yaml");

        Assert.Equal(3, run.Out.Split("---\n").Count(d => d.Length > 0));
        Assert.StartsWith("---\ntype: ADDED\nresourceVersion: \"11\"\nobject:\n  apiVersion: example.com/v1\n", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FiltersAndStart_AreSentToTheWatch()
    {
        await RunUntilIdleThenCtrlCAsync("watch goals g1 -n team -l tier=gold --from 42");

        var request = Assert.Single(_cli.Client.WatchRequests);
        Assert.Equal(("example.com/v1", "Goal", "team", "g1", "tier=gold", "42"), (request.ApiVersion, request.Kind, request.Namespace, request.Name, request.LabelSelector, request.FromResourceVersion));
        Assert.True(request.OmitPreviousObject, "cpctl prints only the object, so it does not ask for the previous one");
    }

    [Fact]
    public async Task MalformedFrom_IsAUsageError()
    {
        var run = await _cli.RunAsync("watch goals --from 12a");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--from \"12a\" is not a resourceVersion", run.Error, StringComparison.Ordinal);
        Assert.Empty(_cli.Client.WatchRequests);
    }

    [Fact]
    public async Task ExpiredPosition_Exit1_SaysHowToRecover()
    {
        _cli.Client.WatchFailure = new ExpiredException("this node installed a snapshot; re-list and watch again") { OldestResourceVersion = "40" };

        var run = await _cli.RunAsync("watch goals --from 3");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(
            "error: Expired: this node installed a snapshot; re-list and watch again (oldest retained resourceVersion 40); cpctl get -o json shows the list's resourceVersion to watch --from\n",
            run.Error);
    }

    private async Task<CliRun> RunUntilIdleThenCtrlCAsync(string commandLine)
    {
        using var ctrlC = new CancellationTokenSource();
        var run = _cli.RunAsync(commandLine, cancellationToken: ctrlC.Token);
        await Task.WhenAny(_cli.Client.WatchIdle.Task, run).WaitAsync(_deadline);
        Assert.True(_cli.Client.WatchIdle.Task.IsCompleted, $"the watch never went idle: {(run.IsCompleted ? run.Result.ToString() : "still running")}");
        await ctrlC.CancelAsync();
        return await run.WaitAsync(_deadline);
    }

    private static WatchEventBatch Batch(string rv, WatchEventType type, string name, string ns)
    {
        var obj = JsonNode.Parse($$$"""{"apiVersion":"example.com/v1","kind":"Goal","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}","resourceVersion":"{{{rv}}}"}}""")!.AsObject();
        return new WatchEventBatch(rv, [new WatchEvent(type, obj, null)], false, "http://127.0.0.1:7101");
    }
}
