using System.Text.Json.Nodes;
using ControlPlane.Client;

namespace ControlPlane.Cli.Tests;

/// <summary>cpctl member, leader and snapshot verbs against the fake client: what they send, print and exit with.</summary>
public sealed class CpctlMemberTests : IDisposable
{
    private readonly CliHarness _cli = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("cpctl-member-tests-").FullName;

    public CpctlMemberTests()
    {
        _cli.Client.Members.Add(Member("node2", "127.0.0.1:7202", "http://127.0.0.1:7102", status: null, error: "connection refused"));
        _cli.Client.Members.Add(Member("node1", "127.0.0.1:7201", "http://127.0.0.1:7101",
            new NodeStatusInfo("node1", "127.0.0.1:7201", "http://127.0.0.1:7101", MemberRole.Leader, 3, "127.0.0.1:7201", 50, 50, 50, 4, "h", "v")));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task MemberList_Table_NamesEveryMemberInNameOrder()
    {
        var run = await _cli.RunAsync("member list");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            "NAME    RAFT             GRPC                    ROLE      TERM   APPLIED   REACHABLE\n" +
            "node1   127.0.0.1:7201   http://127.0.0.1:7101   Leader    3      50        yes\n" +
            "node2   127.0.0.1:7202   http://127.0.0.1:7102   Unknown   -      -         no (connection refused)\n",
            run.Out);
        Assert.Equal("ListMembers local=False", Assert.Single(_cli.Client.Calls));
    }

    [Fact]
    public async Task MemberList_LocalJson()
    {
        var run = await _cli.RunAsync("member list --local -o json");

        Assert.Equal("ListMembers local=True", Assert.Single(_cli.Client.Calls));
        var json = JsonNode.Parse(run.Out)!;
        Assert.Equal("node2", (string?)json["members"]![0]!["name"]);
        Assert.Equal(5, (int)json["configurationIndex"]!);
    }

    [Fact]
    public async Task MemberAdd_SendsEndpointsAndDeadline_PrintsProgress()
    {
        var run = await _cli.RunAsync("member add node4 --raft 127.0.0.1:7204 --grpc http://127.0.0.1:7104 --catch-up-timeout 45s --request-id r1");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("AddMember node4 127.0.0.1:7204 http://127.0.0.1:7104 45 r1", Assert.Single(_cli.Client.Calls));
        Assert.Equal("member/node4 added (configuration index 7; 3 members; caught up in 1.5s: applied 40 of the leader's 42)\n", run.Out);
    }

    [Fact]
    public async Task MemberAdd_ExistingMember_ReportsUnchanged()
    {
        var run = await _cli.RunAsync("member add node1 --raft 127.0.0.1:7201 --grpc http://127.0.0.1:7101");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("member/node1 unchanged (already a member) (configuration index 5; 2 members)\n", run.Out);
    }

    [Theory]
    [InlineData("member add node4 --grpc http://127.0.0.1:7104", "--raft")]
    [InlineData("member add node4 --raft 127.0.0.1:7204 --grpc http://127.0.0.1:7104 --catch-up-timeout soon", "--catch-up-timeout \"soon\"")]
    [InlineData("member remove", "remove")]
    public async Task BadCommandLine_ExitsTwoNamingTheProblem(string commandLine, string named)
    {
        var run = await _cli.RunAsync(commandLine);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(named, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(_cli.Client.Calls, c => c.StartsWith("AddMember", StringComparison.Ordinal) || c.StartsWith("RemoveMember", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MemberAdd_Refused_ExitsOneWithTheServersReason()
    {
        _cli.Client.AddFailure = new ControlPlaneClientException(ErrorReason.FailedPrecondition, "node4 did not catch up within 30 s; the configuration is unchanged");

        var run = await _cli.RunAsync("member add node4 --raft 127.0.0.1:7204 --grpc http://127.0.0.1:7104");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: FailedPrecondition: node4 did not catch up within 30 s; the configuration is unchanged\n", run.Error);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task MemberRemove_ByEndpoint_WarnsWhenTheNodeWasNotTold()
    {
        _cli.Client.RemovedNodesAcknowledge = false;

        var run = await _cli.RunAsync("member remove 127.0.0.1:7202");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("RemoveMember 127.0.0.1:7202 new-id", Assert.Single(_cli.Client.Calls));
        Assert.Equal("member/node2 removed (configuration index 7; 1 members)\n", run.Out);
        Assert.Contains("warning: node2 did not acknowledge its removal", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MemberRemove_Unknown_ExitsOne()
    {
        var run = await _cli.RunAsync("member remove node9");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: NotFound: node9 is not a member\n", run.Error);
    }

    [Fact]
    public async Task MemberReplace_AddsFirstThenRemoves()
    {
        var run = await _cli.RunAsync("member replace node2 node4 --raft 127.0.0.1:7204 --grpc http://127.0.0.1:7104");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["AddMember node4 127.0.0.1:7204 http://127.0.0.1:7104 default new-id", "RemoveMember node2 new-id"], _cli.Client.Calls);
        Assert.Equal(["node1", "node4"], _cli.Client.Members.Select(m => m.Name).Order(StringComparer.Ordinal));
        Assert.Contains("member/node4 added", run.Out, StringComparison.Ordinal);
        Assert.Contains("member/node2 removed", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MemberReplace_AddRefused_OldMemberStays()
    {
        _cli.Client.AddFailure = new ControlPlaneClientException(ErrorReason.FailedPrecondition, "node4 did not catch up");

        var run = await _cli.RunAsync("member replace node2 node4 --raft 127.0.0.1:7204 --grpc http://127.0.0.1:7104");

        Assert.Equal(1, run.ExitCode);
        Assert.DoesNotContain(_cli.Client.Calls, c => c.StartsWith("RemoveMember", StringComparison.Ordinal));
        Assert.Contains(_cli.Client.Members, m => m.Name == "node2");
    }

    [Fact]
    public async Task LeaderResign_PrintsOldAndNewLeader()
    {
        var run = await _cli.RunAsync("leader resign");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("leader 127.0.0.1:7201 resigned; leader now 127.0.0.1:7202 (term 6, after 812 ms)\n", run.Out);
    }

    [Fact]
    public async Task SnapshotSave_WritesTheFileAndItsChecksum()
    {
        var path = Path.Combine(_dir, "backup.snap");
        _cli.Client.SnapshotBytes = [9, 8, 7, 6, 5];

        var run = await _cli.RunAsync(["snapshot", "save", path, "-o", "json"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(new byte[] { 9, 8, 7, 6, 5 }, await File.ReadAllBytesAsync(path));
        Assert.False(File.Exists(path + ".partial"));
        var json = JsonNode.Parse(run.Out)!;
        Assert.Equal(path, (string?)json["path"]);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(new byte[] { 9, 8, 7, 6, 5 })), (string?)json["sha256"]);
        Assert.Equal(120, (long)json["appliedIndex"]!);
    }

    [Fact]
    public async Task SnapshotSave_MissingFolder_ExitsTwo()
    {
        var run = await _cli.RunAsync(["snapshot", "save", Path.Combine(_dir, "no-such-folder", "x.snap")]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("does not exist", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("SaveSnapshot", _cli.Client.Calls);
    }

    private static ClusterMember Member(string name, string raft, string grpc, NodeStatusInfo? status, string error = "") =>
        new(raft, grpc, status is not null, status?.Role == MemberRole.Leader, status, error) { Name = name };
}
