using System.Net;
using ControlPlane.Replication.Membership;

namespace ControlPlane.Replication.Tests;

public sealed class MemberDirectoryTests
{
    [Fact]
    public void RecordAndRemove_SurviveReload_ReAddClearsRemoval()
    {
        var directory = Directory.CreateTempSubdirectory("cp-dir-").FullName;
        var a = new ClusterMember("node1", IPEndPoint.Parse("127.0.0.1:7201"), "http://127.0.0.1:7101");
        var b = new ClusterMember("node4", IPEndPoint.Parse("127.0.0.1:7204"), "http://127.0.0.1:7104");
        var members = MemberDirectory.Load(directory);
        members.Record(a);
        members.Record(b);
        members.RecordRemoved(b.RaftEndpoint, 17);

        var reloaded = MemberDirectory.Load(directory);
        Assert.Equal(a, reloaded.Find(a.RaftEndpoint));
        Assert.Equal(a, reloaded.FindByName("node1", [a.RaftEndpoint, b.RaftEndpoint]));
        Assert.Null(reloaded.FindByName("node1", [b.RaftEndpoint]));
        Assert.Equal(new RemovedMember("node4", b.RaftEndpoint, 17), reloaded.FindRemoved(b.RaftEndpoint));
        Assert.Equal(17, reloaded.FindRemovedByName("node4")?.ConfigurationIndex);

        reloaded.Record(b);
        Assert.Null(MemberDirectory.Load(directory).FindRemoved(b.RaftEndpoint));
    }

    [Fact]
    public void CorruptFile_RefusedWithItsPath()
    {
        var directory = Directory.CreateTempSubdirectory("cp-dir-").FullName;
        File.WriteAllText(Path.Combine(directory, "member-directory.json"), "{ not json");
        var e = Assert.Throws<InvalidDataException>(() => MemberDirectory.Load(directory));
        Assert.Contains("member-directory.json", e.Message, StringComparison.Ordinal);
    }
}
