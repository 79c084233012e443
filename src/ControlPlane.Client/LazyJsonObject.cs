using System.Text.Json;
using System.Text.Json.Nodes;

namespace ControlPlane.Client;

/// <summary>
/// A JSON object received from the server, parsed into a <see cref="JsonObject"/> the first time it is asked for.
/// Callers that only need the bytes, the resourceVersion or a count (load generators, proxies, caches that store the
/// bytes) never pay for the DOM. Thread-safe: concurrent first readers may both parse; one result wins.
/// </summary>
internal sealed class LazyJsonObject(ReadOnlyMemory<byte> json, ObjectOrigin what)
{
    private JsonObject? _value;

    public ReadOnlyMemory<byte> Json { get; } = json;

    /// <exception cref="ControlPlaneClientException">The bytes are not a JSON object (reason Internal).</exception>
    public JsonObject Value => _value ?? Interlocked.CompareExchange(ref _value, Parse(Json.Span, what.ToString()), null) ?? _value!;

    /// <summary>Parses <paramref name="json"/> as an object.</summary>
    /// <exception cref="ControlPlaneClientException">The bytes are not a JSON object (reason Internal).</exception>
    public static JsonObject Parse(ReadOnlySpan<byte> json, string what)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject
                ?? throw new ControlPlaneClientException(ErrorReason.Internal, $"{what}: the server answered JSON that is not an object");
        }
        catch (JsonException ex)
        {
            throw new ControlPlaneClientException(ErrorReason.Internal, $"{what}: the server answered malformed JSON: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The <c>metadata.resourceVersion</c> string of an object, read with a forward-only reader (no DOM); empty when
    /// absent or not a string. Only the bytes up to it are read, so malformed JSON after it is found on parsing.
    /// </summary>
    /// <exception cref="ControlPlaneClientException">The bytes do not start a JSON object (reason Internal).</exception>
    public static string ReadResourceVersion(ReadOnlySpan<byte> json, string what)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw new ControlPlaneClientException(ErrorReason.Internal, $"{what}: the server answered JSON that is not an object");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isMetadata = reader.ValueTextEquals("metadata"u8);
                if (!reader.Read()) return string.Empty;
                if (!isMetadata || reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isVersion = reader.ValueTextEquals("resourceVersion"u8);
                    if (!reader.Read()) return string.Empty;
                    if (isVersion) return reader.TokenType == JsonTokenType.String ? reader.GetString() ?? string.Empty : string.Empty;
                    reader.Skip();
                }

                return string.Empty;
            }

            return string.Empty;
        }
        catch (JsonException ex)
        {
            throw new ControlPlaneClientException(ErrorReason.Internal, $"{what}: the server answered malformed JSON: {ex.Message}", ex);
        }
    }
}
