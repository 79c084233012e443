using System.Text;
using System.Text.Json.Nodes;

namespace ControlPlane.Core.Tests;

/// <summary>JSON written with single quotes in test tables, so the tables stay readable.</summary>
internal static class TestJson
{
    public static string Text(string singleQuoted) => singleQuoted.Replace('\'', '"');

    public static byte[] Utf8(string singleQuoted) => Encoding.UTF8.GetBytes(Text(singleQuoted));

    public static JsonNode? Parse(string singleQuoted) => JsonNode.Parse(Text(singleQuoted));

    public static JsonObject Object(string singleQuoted) => (JsonObject)Parse(singleQuoted)!;

    /// <summary>Asserts semantic JSON equality and prints both sides when they differ.</summary>
    public static void Equal(JsonNode? expected, JsonNode? actual) =>
        Assert.True(
            JsonNode.DeepEquals(expected, actual),
            $"expected {expected?.ToJsonString() ?? "null"} but got {actual?.ToJsonString() ?? "null"}");
}
