using System.Text.Json.Nodes;
using ControlPlane.Client;

namespace ControlPlane.Cli.Tests;

/// <summary>cpctl's verbs end to end against an in-memory store: what they send, print and exit with.</summary>
public sealed class CpctlVerbTests : IDisposable
{
    private const string TwoGoals = """
        apiVersion: example.com/v1
        kind: Goal
        metadata:
          name: g1
          namespace: team
        spec:
          replicas: 3
        ---
        apiVersion: example.com/v1
        kind: Goal
        metadata:
          name: g2
          namespace: team
        spec:
          replicas: 1
        """;

    private readonly CliHarness _cli = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("cpctl-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Apply_PrintsCreatedThenUnchangedThenConfigured()
    {
        var file = Write("goals.yaml", TwoGoals);

        var first = await _cli.RunAsync($"apply -f {file}");
        var second = await _cli.RunAsync($"apply -f {file}");
        Write("goals.yaml", TwoGoals.Replace("replicas: 1", "replicas: 2", StringComparison.Ordinal));
        var third = await _cli.RunAsync($"apply -f {file}");

        Assert.Equal((0, "goal.example.com/g1 created\ngoal.example.com/g2 created\n"), (first.ExitCode, first.Out));
        Assert.Equal("goal.example.com/g1 unchanged\ngoal.example.com/g2 unchanged\n", second.Out);
        Assert.Equal("goal.example.com/g1 unchanged\ngoal.example.com/g2 configured\n", third.Out);
    }

    [Fact]
    public async Task Apply_FromStdin_JsonList()
    {
        const string list = """{"kind":"List","items":[{"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"}}]}""";

        var run = await _cli.RunAsync("apply -f -", stdin: list);

        Assert.Equal((0, "node/n1 created\n"), (run.ExitCode, run.Out));
    }

    [Fact]
    public async Task Apply_OneObjectFails_OthersStillApplied_Exit1()
    {
        _cli.Client.FailingNames["g1"] = new ConflictException("goal g1: expected resourceVersion 3, stored 5") { CurrentResourceVersion = "5" };

        var run = await _cli.RunAsync($"apply -f {Write("goals.yaml", TwoGoals)}");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("goal.example.com/g2 created\n", run.Out);
        Assert.Contains("error: goal.example.com/g1", run.Error, StringComparison.Ordinal);
        Assert.Contains("Conflict: goal g1: expected resourceVersion 3, stored 5 (current resourceVersion 5)", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_OutputYaml_PrintsTheStoredObjectsAsAList()
    {
        var run = await _cli.RunAsync($"apply -f {Write("goals.yaml", TwoGoals)} -o yaml");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("apiVersion: v1\nkind: List\nitems:\n- apiVersion: example.com/v1\n  kind: Goal\n", run.Out, StringComparison.Ordinal);
        Assert.Contains("    resourceVersion: \"11\"\n", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_Existing_IsAnErrorWithTheServerReason()
    {
        var file = Write("goals.yaml", TwoGoals);
        await _cli.RunAsync($"create -f {file}");

        var run = await _cli.RunAsync($"create -f {file}");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("AlreadyExists: goal \"g1\" already exists", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_MissingFile_IsAnIoError_Exit1()
    {
        var run = await _cli.RunAsync($"create -f {Path.Combine(_dir, "nope.yaml")}");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: ", run.Error, StringComparison.Ordinal);
        Assert.Contains("nope.yaml", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_List_ShowsAlignedColumnsWithNamespaceAcrossNamespaces()
    {
        _cli.Client.Seed("""{"apiVersion":"example.com/v1","kind":"Goal","metadata":{"name":"g1","namespace":"team"}}""");
        _cli.Client.Seed("""{"apiVersion":"example.com/v1","kind":"Goal","metadata":{"name":"long-name","namespace":"ops"}}""");

        var run = await _cli.RunAsync("get goals");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            "NAMESPACE   NAME        RESOURCEVERSION   AGE\n" +
            "ops         long-name   12                5m\n" +
            "team        g1          11                5m\n",
            run.Out);
    }

    [Fact]
    public async Task Get_ListInNamespace_HidesTheNamespaceColumn_AndFiltersByIt()
    {
        _cli.Client.Seed("""{"apiVersion":"example.com/v1","kind":"Goal","metadata":{"name":"g1","namespace":"team"}}""");
        _cli.Client.Seed("""{"apiVersion":"example.com/v1","kind":"Goal","metadata":{"name":"g2","namespace":"ops"}}""");

        var run = await _cli.RunAsync("get Goal.v1.example.com -n team");

        Assert.Equal("NAME   RESOURCEVERSION   AGE\ng1     11                5m\n", run.Out);
    }

    [Fact]
    public async Task Get_One_AsJson()
    {
        _cli.Client.Seed("""{"apiVersion":"example.com/v1","kind":"Goal","metadata":{"name":"g1","namespace":"team"},"spec":{"n":1.50}}""");

        var run = await _cli.RunAsync("get goal g1 -n team -o json");

        Assert.Equal(0, run.ExitCode);
        var obj = JsonNode.Parse(run.Out)!;
        Assert.Equal("1.50", obj["spec"]!["n"]!.ToJsonString());
        Assert.Contains("\n  \"kind\": \"Goal\",", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_One_NotFoundWithoutNamespace_HintsAtNamespace()
    {
        _cli.Client.Seed("""{"apiVersion":"example.com/v1","kind":"Goal","metadata":{"name":"g1","namespace":"team"}}""");

        var run = await _cli.RunAsync("get goal g1");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: NotFound: goal \"g1\" not found; goal.example.com objects have namespaces: pass -n NAMESPACE", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_KindWithNoObjects_FailsSuggestingApiVersion()
    {
        var run = await _cli.RunAsync("get goals");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--api-version", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ExplicitApiVersionForAnEmptyKind_SaysNoneFound()
    {
        var run = await _cli.RunAsync("get Plan --api-version example.com/v1");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, run.Out);
        Assert.Equal("No plan.example.com objects found.\n", run.Error);
        Assert.Contains("List example.com/v1 Plan  ", _cli.Client.Calls);
    }

    [Fact]
    public async Task Patch_SendsTheMergePatch_AndPrintsPatched()
    {
        _cli.Client.Seed("""{"apiVersion":"example.com/v1","kind":"Goal","metadata":{"name":"g1","namespace":"team"},"spec":{"n":1}}""");

        string[] args = ["patch", "goals", "g1", "-n", "team", "-p", """{"spec":{"n":2}}"""];
        var run = await _cli.RunAsync(args);
        var again = await _cli.RunAsync(args);

        Assert.Equal((0, "goal.example.com/g1 patched\n"), (run.ExitCode, run.Out));
        Assert.Equal("goal.example.com/g1 patched (no change)\n", again.Out);
        Assert.Contains("""Patch example.com/v1/Goal/team/g1 {"spec":{"n":2}}""", _cli.Client.Calls);
    }

    [Fact]
    public async Task Delete_ByName_ThenAgain_IsNotFoundUnlessIgnored()
    {
        _cli.Client.Seed("""{"apiVersion":"example.com/v1","kind":"Goal","metadata":{"name":"g1"}}""");
        _cli.Client.Seed("""{"apiVersion":"example.com/v1","kind":"Goal","metadata":{"name":"g2"}}""");

        var first = await _cli.RunAsync("delete goal g1");
        var second = await _cli.RunAsync("delete goal g1");
        var ignored = await _cli.RunAsync("delete goal g1 --ignore-not-found");

        Assert.Equal((0, "goal.example.com/g1 deleted\n"), (first.ExitCode, first.Out));
        Assert.Equal(1, second.ExitCode);
        Assert.Contains("error: NotFound: goal.example.com \"g1\" not found", second.Error, StringComparison.Ordinal);
        Assert.Equal((0, string.Empty, string.Empty), (ignored.ExitCode, ignored.Out, ignored.Error));
    }

    [Fact]
    public async Task Delete_FromFile_DeletesEveryObject()
    {
        var file = Write("goals.yaml", TwoGoals);
        await _cli.RunAsync($"apply -f {file}");

        var run = await _cli.RunAsync($"delete -f {file}");

        Assert.Equal((0, "goal.example.com/g1 deleted\ngoal.example.com/g2 deleted\n"), (run.ExitCode, run.Out));
    }

    [Fact]
    public async Task ServerUnavailable_IsReportedWithReasonAndAttempts()
    {
        _cli.Client.Seed("""{"apiVersion":"example.com/v1","kind":"Goal","metadata":{"name":"g1"}}""");
        _cli.Client.FailingNames["g1"] = new UnavailableException("no leader") { Attempts = 6, Endpoint = "http://127.0.0.1:7103" };

        var run = await _cli.RunAsync("delete goal g1");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: Unavailable: no leader (gave up after 6 attempts; last endpoint http://127.0.0.1:7103)\n", run.Error);
    }

    [Fact]
    public async Task ClusterStatus_Table()
    {
        _cli.Client.Cluster = new ClusterStatus("127.0.0.1:7201", "http://127.0.0.1:7101", 4,
        [
            new("127.0.0.1:7201", "http://127.0.0.1:7101", true, true,
                new NodeStatusInfo("node1", "127.0.0.1:7201", "http://127.0.0.1:7101", MemberRole.Leader, 4, "127.0.0.1:7201", 120, 120, 120, 7, "ab", "1.0"), string.Empty)
            {
                LagEntries = 0, LastContact = TimeSpan.FromMilliseconds(3),
            },
            new("127.0.0.1:7203", "http://127.0.0.1:7103", true, false,
                new NodeStatusInfo("node3", "127.0.0.1:7203", "http://127.0.0.1:7103", MemberRole.Follower, 4, "127.0.0.1:7201", 120, 118, 95, 7, "cd", "1.0"), string.Empty)
            {
                LagEntries = 25, LastContact = TimeSpan.FromMilliseconds(450),
            },
            new("127.0.0.1:7202", "http://127.0.0.1:7102", false, false, null, "connection refused") { LastContact = TimeSpan.FromSeconds(190) },
            new("127.0.0.1:7204", "http://127.0.0.1:7104", false, false, null, "connection refused"),
        ]);

        var run = await _cli.RunAsync("cluster status");

        Assert.Equal(
            "NAME    ENDPOINT                ROLE       TERM   COMMIT   APPLIED   LAG   CONTACT   REACHABLE\n" +
            "node1   http://127.0.0.1:7101   Leader     4      120      120       0     3ms       yes\n" +
            "node3   http://127.0.0.1:7103   Follower   4      118      95        25    0.5s      yes\n" +
            "?       http://127.0.0.1:7102   Unknown    -      -        -         -     3m10s     no (connection refused)\n" +
            "?       http://127.0.0.1:7104   Unknown    -      -        -         -     -         no (connection refused)\n",
            run.Out);
    }

    [Fact]
    public async Task ClusterStatus_JsonAndYaml_CarryLagAndLastContact()
    {
        _cli.Client.Cluster = new ClusterStatus("r", "http://g", 2,
        [
            new("127.0.0.1:7202", "http://127.0.0.1:7102", true, false, null, string.Empty) { LagEntries = 25, LastContact = TimeSpan.FromMilliseconds(1500) },
            new("127.0.0.1:7203", "http://127.0.0.1:7103", false, false, null, "down"),
        ]);

        var json = JsonNode.Parse((await _cli.RunAsync("cluster status -o json")).Out)!;
        var yaml = (await _cli.RunAsync("cluster status -o yaml")).Out;

        Assert.Equal(25, (long)json["members"]![0]!["lagEntries"]!);
        Assert.Equal("00:00:01.5000000", (string?)json["members"]![0]!["lastContact"]);
        Assert.Null(json["members"]![1]!["lagEntries"]);
        Assert.Contains("lagEntries: 25", yaml, StringComparison.Ordinal);
        Assert.Contains("lastContact:", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClusterStatus_Json_UsesCamelCaseAndRoleNames()
    {
        _cli.Client.Cluster = new ClusterStatus("r", "http://g", 2,
            [new("r", "http://g", true, true, new NodeStatusInfo("node1", "r", "http://g", MemberRole.Follower, 2, "r", 1, 1, 1, 0, "h", "v"), string.Empty)]);

        var run = await _cli.RunAsync("cluster status -o json");

        var json = JsonNode.Parse(run.Out)!;
        Assert.Equal("Follower", (string?)json["members"]![0]!["status"]!["role"]);
        Assert.Equal(2, (int)json["term"]!);
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }
}
