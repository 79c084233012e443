namespace ControlPlane.Testing.Tests;

public class NodeStatusDtoTests
{
    [Fact]
    public void Parse_StatusDocument_ReadsEveryField()
    {
        const string json = """
            {"name":"node1","raftEndpoint":"127.0.0.1:7201","grpcEndpoint":"http://127.0.0.1:7101","role":"Leader","term":4,
             "leaderRaftEndpoint":"127.0.0.1:7201","leaderGrpcEndpoint":"http://127.0.0.1:7101","lastLogIndex":12,
             "commitIndex":11,"appliedIndex":10,"objectCount":3,"stateHash":"9f86d081","futureField":true}
            """;

        var status = NodeStatusDto.Parse(json);

        Assert.Equal("node1", status.Name);
        Assert.Equal("127.0.0.1:7201", status.RaftEndpoint);
        Assert.Equal("http://127.0.0.1:7101", status.GrpcEndpoint);
        Assert.True(status.IsLeader);
        Assert.Equal(4, status.Term);
        Assert.Equal("127.0.0.1:7201", status.LeaderRaftEndpoint);
        Assert.Equal("http://127.0.0.1:7101", status.LeaderGrpcEndpoint);
        Assert.Equal(12, status.LastLogIndex);
        Assert.Equal(11, status.CommitIndex);
        Assert.Equal(10, status.AppliedIndex);
        Assert.Equal(3, status.ObjectCount);
        Assert.Equal("9f86d081", status.StateHash);
    }

    [Fact]
    public void Parse_FollowerWithoutLeader_HasNullLeader()
    {
        var status = NodeStatusDto.Parse("""{"name":"node2","role":"Candidate","leaderRaftEndpoint":null}""");

        Assert.False(status.IsLeader);
        Assert.Null(status.LeaderRaftEndpoint);
    }

    [Fact]
    public void Parse_NotJson_NamesTheText()
    {
        var error = Assert.Throws<FormatException>(() => NodeStatusDto.Parse("<html>oops</html>"));

        Assert.Contains("<html>oops</html>", error.Message, StringComparison.Ordinal);
    }
}
