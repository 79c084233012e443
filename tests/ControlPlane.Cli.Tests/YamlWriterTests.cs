using System.Text.Json.Nodes;
using ControlPlane.Cli.Yaml;

namespace ControlPlane.Cli.Tests;

public sealed class YamlWriterTests
{
    [Fact]
    public void Object_IsWrittenKubectlStyle()
    {
        var json = JsonNode.Parse("""
            {"apiVersion":"example.com/v1","kind":"Goal","metadata":{"name":"g1","labels":{"app":"web"},"resourceVersion":"12"},
             "spec":{"replicas":3,"ratio":1.50,"on":true,"none":null,"ports":[80,443],"containers":[{"name":"a","args":["x"]},{"name":"b"}],
             "matrix":[[1,2],[]],"empty":{}}}
            """);

        Assert.Equal(
            """
            apiVersion: example.com/v1
            kind: Goal
            metadata:
              name: g1
              labels:
                app: web
              resourceVersion: "12"
            spec:
              replicas: 3
              ratio: 1.50
              "on": true
              none: null
              ports:
              - 80
              - 443
              containers:
              - name: a
                args:
                - x
              - name: b
              matrix:
              - - 1
                - 2
              - []
              empty: {}

            """.ReplaceLineEndings("\n"),
            YamlWriter.Write(json));
    }

    [Theory]
    [InlineData("12")]
    [InlineData("1.5")]
    [InlineData("-3")]
    [InlineData(".5")]
    [InlineData("1e3")]
    [InlineData("0x1F")]
    [InlineData("true")]
    [InlineData("False")]
    [InlineData("yes")]
    [InlineData("off")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("")]
    [InlineData(" padded")]
    [InlineData("2024-01-01T00:00:00Z")]
    [InlineData("1.2.3")]
    [InlineData(".inf")]
    [InlineData("- item")]
    [InlineData("key: value")]
    [InlineData("a #comment")]
    [InlineData("*alias")]
    [InlineData("&anchor")]
    [InlineData("!tag")]
    [InlineData("{flow}")]
    [InlineData("'single'")]
    [InlineData("trailing:")]
    [InlineData("tab\there")]
    [InlineData("bell\u0007")]
    public void StringThatWouldReadAsSomethingElse_IsQuoted(string text)
    {
        var yaml = YamlWriter.Write(new JsonObject { ["v"] = text });

        Assert.StartsWith("v: \"", yaml, StringComparison.Ordinal);
        Assert.Equal(text, (string?)YamlReader.ReadDocuments(yaml)[0]!["v"]);
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("hello world")]
    [InlineData("nginx:1.25")]
    [InlineData("http://example.com/a#b")]
    [InlineData("example.com/v1")]
    [InlineData("Grüße")]
    public void OrdinaryString_IsPlain(string text) =>
        Assert.Equal($"v: {text}\n", YamlWriter.Write(new JsonObject { ["v"] = text }));

    [Fact]
    public void MultiLineString_IsALiteralBlock()
    {
        var yaml = YamlWriter.Write(new JsonObject { ["script"] = "echo hi\n  indented\n\nlast\n", ["list"] = new JsonArray("a\nb") });

        Assert.Equal("script: |\n  echo hi\n    indented\n\n  last\nlist:\n- |-\n  a\n  b\n", yaml);
    }

    [Theory]
    [InlineData("a\nb")]
    [InlineData("a\nb\n")]
    [InlineData("a\nb\n\n\n")]
    [InlineData("\nleading newline")]
    [InlineData(" leading space\nx")]
    [InlineData("windows\r\nline")]
    [InlineData("trailing spaces  \nx")]
    public void MultiLineString_RoundTrips(string text)
    {
        var json = new JsonObject { ["v"] = text, ["after"] = 1 };

        var back = YamlReader.ReadDocuments(YamlWriter.Write(json))[0];

        Assert.True(JsonNode.DeepEquals(json, back), YamlWriter.Write(json));
    }

    [Fact]
    public void Keys_ThatNeedQuoting_AreQuoted_AndRoundTrip()
    {
        var json = new JsonObject { ["123"] = 1, ["true"] = 2, ["a: b"] = 3, [""] = 4, ["example.com/label"] = 5 };

        var yaml = YamlWriter.Write(json);

        Assert.Contains("\"123\": 1\n", yaml, StringComparison.Ordinal);
        Assert.Contains("example.com/label: 5\n", yaml, StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(json, YamlReader.ReadDocuments(yaml)[0]), yaml);
    }

    [Fact]
    public void RichDocument_RoundTripsThroughYaml_WithTypesIntact()
    {
        var json = JsonNode.Parse("""
            {"s":"1","n":1,"f":-0.25,"big":123456789012345678901234567890,"b":false,"sb":"false","z":null,"sz":"null",
             "nested":{"list":[{"k":"v"},[1,"1",true,"true",null],{},[]],"unicode":"snow ☃ and emoji 😀"},
             "weird":"quote \" backslash \\ slash /","colon":"a:b","dash":"-","q":"?x"}
            """);

        var back = YamlReader.ReadDocuments(YamlWriter.Write(json))[0];

        Assert.True(JsonNode.DeepEquals(json, back), YamlWriter.Write(json));
        Assert.Equal("123456789012345678901234567890", back!["big"]!.ToJsonString());
    }

    [Fact]
    public void TopLevelScalarsAndEmpties()
    {
        Assert.Equal("null\n", YamlWriter.Write(null));
        Assert.Equal("{}\n", YamlWriter.Write(new JsonObject()));
        Assert.Equal("- 1\n- \"1\"\n", YamlWriter.Write(new JsonArray(1, "1")));
    }
}
