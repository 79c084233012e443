using System.Text.Json.Nodes;
using ControlPlane.Cli.Output;

namespace ControlPlane.Cli.Tests;

public sealed class OutputTests
{
    [Fact]
    public void TableWriter_AlignsColumnsWithThreeSpaces_AndNoTrailingBlanks()
    {
        var table = TableWriter.Format(["NAME", "AGE", "X"], [["a", "5m", ""], ["longer-name", "12d", "y"]]);

        Assert.Equal("NAME          AGE   X\na             5m\nlonger-name   12d   y\n", table);
    }

    [Fact]
    public void TableWriter_RowOfTheWrongWidth_IsABug() =>
        Assert.Throws<ArgumentException>(() => TableWriter.Format(["A", "B"], [["only one"]]));

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(119, "119s")]
    [InlineData(125, "2m5s")]
    [InlineData(600, "10m")]
    [InlineData(3 * 3600 + 120, "3h2m")]
    [InlineData(10 * 3600, "10h")]
    [InlineData(3 * 86400 + 7200, "3d2h")]
    [InlineData(30 * 86400, "30d")]
    [InlineData(800 * 86400, "2y70d")]
    [InlineData(-0.5, "0s")]
    [InlineData(-5, "<invalid>")]
    public void Age_FormatsLikeKubectl(double seconds, string expected) =>
        Assert.Equal(expected, Age.Format(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Age_MissingTimestamp_IsUnknown() => Assert.Equal("<unknown>", Age.Since(null, DateTimeOffset.UnixEpoch));

    [Fact]
    public void ResourceTable_ShowsPhaseWhenAnyObjectHasOne()
    {
        JsonObject[] objects =
        [
            JsonNode.Parse("""{"metadata":{"name":"g1","namespace":"team","resourceVersion":"7","creationTimestamp":"2030-01-01T00:00:00Z"},"status":{"phase":"Ready"}}""")!.AsObject(),
            JsonNode.Parse("""{"metadata":{"name":"g2","namespace":"team","resourceVersion":"9"}}""")!.AsObject(),
        ];

        var table = ObjectPrinter.ResourceTable(objects, showNamespace: true, new DateTimeOffset(2030, 1, 1, 1, 0, 0, TimeSpan.Zero));

        Assert.Equal(
            "NAMESPACE   NAME   PHASE   RESOURCEVERSION   AGE\n" +
            "team        g1     Ready   7                 60m\n" +
            "team        g2             9                 <unknown>\n",
            table);
    }

    [Fact]
    public void ResourceTable_Goals_ShowActivePlanAndPhase()
    {
        JsonObject[] objects =
        [
            JsonNode.Parse("""{"apiVersion":"planning.controlplane.dev/v1","kind":"Goal","metadata":{"name":"web","resourceVersion":"7","creationTimestamp":"2030-01-01T00:00:00Z"},"status":{"activePlanRef":{"name":"web-2","namespace":"demo"},"phase":"Ready"}}""")!.AsObject(),
            JsonNode.Parse("""{"apiVersion":"planning.controlplane.dev/v1","kind":"Goal","metadata":{"name":"cache","resourceVersion":"9","creationTimestamp":"2030-01-01T00:59:00Z"}}""")!.AsObject(),
        ];

        var table = ObjectPrinter.ResourceTable(objects, showNamespace: false, new DateTimeOffset(2030, 1, 1, 1, 0, 0, TimeSpan.Zero));

        Assert.Equal(
            "NAME    ACTIVE-PLAN   PHASE    RESOURCEVERSION   AGE\n" +
            "web     web-2         Ready    7                 60m\n" +
            "cache   <none>        <none>   9                 60s\n",
            table);
    }

    [Fact]
    public void ResourceTable_Plans_ShowGoalSeriesAndVersion_NumbersToo()
    {
        JsonObject[] objects =
        [
            JsonNode.Parse("""{"apiVersion":"planning.controlplane.dev/v1","kind":"Plan","metadata":{"name":"web-1","namespace":"demo","resourceVersion":"3"},"spec":{"goalRef":{"name":"web"},"series":"stable","version":"1.10.0"}}""")!.AsObject(),
            JsonNode.Parse("""{"apiVersion":"planning.controlplane.dev/v1","kind":"Plan","metadata":{"name":"api-v3","namespace":"demo","resourceVersion":"4"},"spec":{"goalRef":{"name":"api"},"version":3}}""")!.AsObject(),
        ];

        var table = ObjectPrinter.ResourceTable(objects, showNamespace: true, DateTimeOffset.UnixEpoch);

        Assert.Equal(
            "NAMESPACE   NAME     GOAL   SERIES   VERSION   RESOURCEVERSION   AGE\n" +
            "demo        web-1    web    stable   1.10.0    3                 <unknown>\n" +
            "demo        api-v3   api    <none>   3         4                 <unknown>\n",
            table);
    }

    [Fact]
    public void ResourceTable_MixedKinds_UseTheGenericColumns()
    {
        JsonObject[] objects =
        [
            JsonNode.Parse("""{"apiVersion":"planning.controlplane.dev/v1","kind":"Plan","metadata":{"name":"p","resourceVersion":"3"},"spec":{"goalRef":{"name":"g"}}}""")!.AsObject(),
            JsonNode.Parse("""{"apiVersion":"example.com/v1","kind":"Plan","metadata":{"name":"q","resourceVersion":"4"}}""")!.AsObject(),
        ];

        var table = ObjectPrinter.ResourceTable(objects, showNamespace: false, DateTimeOffset.UnixEpoch);

        Assert.StartsWith("NAME   RESOURCEVERSION   AGE\n", table, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"apiVersion":"example.com/v1","kind":"Goal"}""", "goal.example.com")]
    [InlineData("""{"apiVersion":"v1","kind":"ConfigMap"}""", "configmap")]
    public void KindDisplay_IsKubectlStyle(string json, string expected) =>
        Assert.Equal(expected, ObjectPrinter.KindDisplay(JsonNode.Parse(json)!.AsObject()));
}
