using System.Text.RegularExpressions;
using ControlPlane.Testing.Checkers;

namespace ControlPlane.Testing.Tests.Checkers;

public sealed class HistoryJsonTests
{
    [Fact]
    public async Task SavedHistory_LoadsBackEqual_AndChecksTheSame()
    {
        var run = RegisterWorkloadSimulator.Run(seed: 3, keys: 2, clients: 4, operations: 200, indeterminateRate: 0.1);
        var broken = HistoryMutator.GhostRead(run.History, new Random(3))!.Value.History;
        var path = Path.Combine(Path.GetTempPath(), $"history-{Guid.NewGuid():N}", "run.json");
        try
        {
            await HistoryJson.SaveAsync(broken, path);
            var loaded = await HistoryJson.LoadAsync(path);
            Assert.Equal(broken.TicksPerSecond, loaded.TicksPerSecond);
            Assert.Equal(broken.Notes, loaded.Notes);
            Assert.Equal(broken.Operations, loaded.Operations);
            var before = LinearizabilityChecker.Check(broken);
            var after = LinearizabilityChecker.Check(loaded);
            Assert.Equal(CheckStatus.Violation, after.Status);
            Assert.Equal(before.Findings.Select(WithoutEffort), after.Findings.Select(WithoutEffort));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    /// <summary>A finding without its first parenthesis, "(n operations, m configurations ... in t ms)", which varies run to run.</summary>
    private static string WithoutEffort(string finding) => Regex.Replace(finding, @"\([^)]*\)", "", RegexOptions.None, TimeSpan.FromSeconds(1));

    [Fact]
    public void Json_IsReadable_WithEnumsByName()
    {
        var json = HistoryJson.Serialize(new HistoryBuilder().Write(1, "k", "a", 0, 10, rv: 5).Build());
        Assert.Contains("\"kind\": \"Write\"", json, StringComparison.Ordinal);
        Assert.Contains("\"outcome\": \"Ok\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("isMutation", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json", "Not a saved history")]
    [InlineData("{\"format\":2,\"ticksPerSecond\":1000,\"notes\":{},\"operations\":[]}", "format 2 is not supported")]
    [InlineData("{\"format\":1,\"ticksPerSecond\":1000,\"notes\":{},\"operations\":[{\"id\":1,\"clientId\":1,\"key\":\"k\",\"kind\":\"Write\",\"value\":\"a\",\"invokeTicks\":10,\"completeTicks\":5,\"outcome\":\"Ok\"}]}", "op 1")]
    [InlineData("{\"format\":1,\"ticksPerSecond\":1000,\"notes\":{},\"operations\":[{\"id\":1,\"key\":\"k\",\"kind\":\"Write\",\"invokeTicks\":1,\"outcome\":\"Ok\"}]}", "clientId")]
    [InlineData("{\"format\":1,\"ticksPerSecond\":1000,\"notes\":{},\"operations\":[],\"extra\":1}", "extra")]
    public void MalformedHistory_IsRefusedSayingWhy(string json, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => HistoryJson.Deserialize(json));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
