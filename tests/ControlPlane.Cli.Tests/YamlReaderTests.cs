using System.Text.Json.Nodes;
using ControlPlane.Cli.Yaml;

namespace ControlPlane.Cli.Tests;

public sealed class YamlReaderTests
{
    [Fact]
    public void PlainScalars_ResolveByTheCoreSchema_QuotedOnesStayStrings()
    {
        const string yaml = """
            int: 42
            negative: -7
            plus: +12
            leadingZeros: 007
            big: 12345678901234567890
            float: 1.50
            exp: 1e3
            dotFloat: .5
            trailingDot: 3.
            hex: 0x1F
            octal: 0o17
            yes: true
            no: False
            nil: null
            tilde: ~
            empty:
            quotedInt: "42"
            quotedBool: 'true'
            quotedNull: "null"
            word: hello world
            yaml11Yes: yes
            version: 1.2.3
            time: 2024-01-01T00:00:00Z
            """;

        var json = Single(yaml);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"int":42,"negative":-7,"plus":12,"leadingZeros":7,"big":12345678901234567890,"float":1.50,"exp":1e3,
             "dotFloat":0.5,"trailingDot":3.0,"hex":31,"octal":15,"yes":true,"no":false,"nil":null,"tilde":null,"empty":null,
             "quotedInt":"42","quotedBool":"true","quotedNull":"null","word":"hello world","yaml11Yes":"yes",
             "version":"1.2.3","time":"2024-01-01T00:00:00Z"}
            """), json), json.ToJsonString());
        Assert.Equal("1.50", json["float"]!.ToJsonString());
        Assert.Equal("12345678901234567890", json["big"]!.ToJsonString());
    }

    [Fact]
    public void MultipleDocuments_InOrder_EmptyOnesAreNull()
    {
        var documents = YamlReader.ReadDocuments("a: 1\n---\nb: [1, two]\n---\n");

        Assert.Equal(3, documents.Count);
        Assert.Equal("""{"a":1}""", documents[0]!.ToJsonString());
        Assert.Equal("""{"b":[1,"two"]}""", documents[1]!.ToJsonString());
        Assert.Null(documents[2]);
    }

    [Fact]
    public void Nesting_MapsInSequencesInMaps()
    {
        const string yaml = """
            spec:
              containers:
              - name: web
                ports:
                - 80
                - 443
                env: {A: "1", B: 2}
              - name: side
                args: []
              selector: {}
            """;

        Assert.Equal(
            """{"spec":{"containers":[{"name":"web","ports":[80,443],"env":{"A":"1","B":2}},{"name":"side","args":[]}],"selector":{}}}""",
            Single(yaml).ToJsonString());
    }

    [Fact]
    public void BlockScalars_AreStrings_WithTheirChomping()
    {
        const string yaml = "keep: |\n  line1\n  42\nstrip: |-\n  x\n  y\nfolded: >\n  a\n  b\n";

        var json = Single(yaml);

        Assert.Equal("line1\n42\n", (string?)json["keep"]);
        Assert.Equal("x\ny", (string?)json["strip"]);
        Assert.Equal("a b\n", (string?)json["folded"]);
    }

    [Fact]
    public void ExplicitTags_AreObeyed()
    {
        var json = Single("a: !!str 123\nb: !!int \"12\"\nc: !!float 1\nd: !!str true\ne: !!null ~\n");

        Assert.Equal("""{"a":"123","b":12,"c":1,"d":"true","e":null}""", json.ToJsonString());
    }

    [Theory]
    [InlineData("a: !!bool maybe\n", "!!bool")]
    [InlineData("a: !!int abc\n", "not a number")]
    [InlineData("a: !custom x\n", "unsupported tag")]
    [InlineData("a: .inf\n", "cannot be represented in JSON")]
    [InlineData("a: .NaN\n", "cannot be represented in JSON")]
    [InlineData("a: 1\na: 2\n", "uplicate")]
    [InlineData("? [a, b]\n: 1\n", "mapping key must be a scalar")]
    [InlineData("a: [1, 2\n", "line")]
    [InlineData("a: b: c\n", "line")]
    public void BadInput_FailsWithAMessageSayingWhat(string yaml, string expected)
    {
        var error = Assert.ThrowsAny<FormatException>(() => YamlReader.ReadDocuments(yaml));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnchorsAliasesAndMergeKeys_AreExpanded()
    {
        const string yaml = """
            base: &base {cpu: 1, mem: 2}
            copy: *base
            merged:
              <<: *base
              mem: 4
            """;

        var json = Single(yaml);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"base":{"cpu":1,"mem":2},"copy":{"cpu":1,"mem":2},"merged":{"cpu":1,"mem":4}}"""), json), json.ToJsonString());
    }

    private static JsonNode Single(string yaml) => Assert.Single(YamlReader.ReadDocuments(yaml))!;
}
