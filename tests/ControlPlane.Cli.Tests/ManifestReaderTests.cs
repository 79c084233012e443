using ControlPlane.Cli.Manifests;

namespace ControlPlane.Cli.Tests;

public sealed class ManifestReaderTests
{
    [Fact]
    public void JsonObject_IsOneManifest()
    {
        var manifests = ManifestReader.Parse("""{"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"}}""", "n.json");

        Assert.Equal("n1", (string?)Assert.Single(manifests).Object["metadata"]!["name"]);
    }

    [Fact]
    public void JsonArray_And_List_AreExpanded()
    {
        var array = ManifestReader.Parse("""[{"kind":"A","metadata":{"name":"a"}},{"kind":"B","metadata":{"name":"b"}}]""", "<stdin>");
        var list = ManifestReader.Parse("""{"apiVersion":"v1","kind":"List","items":[{"kind":"A","metadata":{"name":"a"}}]}""", "<stdin>");

        Assert.Equal(["A", "B"], array.Select(m => (string?)m.Object["kind"]));
        Assert.Equal("A", (string?)Assert.Single(list).Object["kind"]);
    }

    [Fact]
    public void YamlDocuments_WithAListAndEmptyDocuments_AreFlattenedInOrder()
    {
        const string yaml = """
            ---
            kind: A
            metadata: {name: a}
            ---
            kind: List
            items:
            - kind: B
              metadata: {name: b}
            - kind: C
              metadata: {name: c}
            ---
            """;

        var manifests = ManifestReader.Parse(yaml, "x.yaml");

        Assert.Equal(["A", "B", "C"], manifests.Select(m => (string?)m.Object["kind"]));
        Assert.Equal("x.yaml (document 2) item 2", manifests[2].Source);
    }

    [Fact]
    public void YamlFlowMapping_WithoutJsonQuotes_IsReadAsYaml() =>
        Assert.Equal("a", (string?)Assert.Single(ManifestReader.Parse("{kind: A, metadata: {name: a}}", "<stdin>")).Object["metadata"]!["name"]);

    [Theory]
    [InlineData("just a string\n", "x.yaml", "expected a resource object, found a string")]
    [InlineData("- 1\n- 2\n", "x.yaml", "item 1: expected a resource object, found a number")]
    [InlineData("{\"kind\": }", "x.json", "x.json: invalid JSON")]
    [InlineData("a: [1\n", "x.yaml", "x.yaml: invalid YAML: line")]
    public void NotObjects_AreErrorsNamingTheSource(string text, string source, string expected)
    {
        var error = Assert.Throws<ManifestException>(() => ManifestReader.Parse(text, source));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Directory_ReadsItsManifestsInNameOrder()
    {
        var dir = Directory.CreateTempSubdirectory("cpctl-manifests-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "b.yaml"), "kind: B\nmetadata: {name: b}\n");
            File.WriteAllText(Path.Combine(dir.FullName, "a.json"), """{"kind":"A","metadata":{"name":"a"}}""");
            File.WriteAllText(Path.Combine(dir.FullName, "notes.txt"), "ignored");

            var manifests = ManifestReader.ReadAll([dir.FullName], TextReader.Null);

            Assert.Equal(["A", "B"], manifests.Select(m => (string?)m.Object["kind"]));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
