using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ControlPlane.Contracts.V1;
using ControlPlane.Core.Errors;
using ControlPlane.Core.Resources;
using ControlPlane.Core.Store;
using ControlPlane.Core.Validation;
using Google.Protobuf;
using ContractReadMode = ControlPlane.Contracts.V1.ReadMode;
using ContractReason = ControlPlane.Contracts.V1.Reason;
using CoreReason = ControlPlane.Core.Resources.Reason;
using CoreReadMode = ControlPlane.Core.Store.ReadMode;

namespace ControlPlane.Node.Api;

/// <summary>Validates API requests at the edge and converts between the wire types and the store's types.</summary>
public static class ApiConversions
{
    private const string ContinuePrefix = "cp1|";

    public static ReadConsistency ToConsistency(ReadOptions? options) => options?.Mode switch
    {
        null or ContractReadMode.Linearizable => ReadConsistency.Linearizable,
        ContractReadMode.Local => ReadConsistency.Local,
        ContractReadMode.NotOlderThan => string.IsNullOrEmpty(options.MinResourceVersion)
            ? throw ControlPlaneException.Invalid("read.min_resource_version is required with READ_MODE_NOT_OLDER_THAN")
            : ReadConsistency.NotOlderThan(ObjectValidator.ParseResourceVersion(options.MinResourceVersion, "read.min_resource_version")),
        _ => throw ControlPlaneException.Invalid($"read.mode {options.Mode} is not known"),
    };

    public static ResourceKey ToKey(ResourceRef? reference)
    {
        if (reference is null) throw ControlPlaneException.Invalid("ref is required");
        return ObjectValidator.ValidateRef(reference.ApiVersion, reference.Kind, reference.Namespace, reference.Name);
    }

    /// <summary>
    /// Validates a whole object; returns its key and its metadata.resourceVersion (null when absent or empty).
    /// The bytes themselves are what the write carries on.
    /// </summary>
    public static (ResourceKey Key, string? ResourceVersion) ToObject(ByteString bytes, int maxObjectBytes)
    {
        if (bytes.IsEmpty) throw ControlPlaneException.Invalid("object is required");
        if (bytes.Length > maxObjectBytes) throw ControlPlaneException.Invalid($"the object is {bytes.Length} bytes, over the limit of {maxObjectBytes} bytes");
        using var document = ObjectValidator.ParseDocument(bytes.Memory);
        var key = ObjectValidator.ValidateKey(document.RootElement);
        var rv = document.RootElement.GetProperty("metadata").TryGetProperty("resourceVersion", out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
        return (key, string.IsNullOrEmpty(rv) ? null : rv);
    }

    public static long ToExpectedVersion(string? text) =>
        string.IsNullOrEmpty(text) ? 0 : ObjectValidator.ParseResourceVersion(text, "expected_resource_version");

    public static CoreReason ToReason(ContractReason reason) => reason switch
    {
        ContractReason.Unspecified or ContractReason.Operator => CoreReason.Operator,
        ContractReason.Controller => CoreReason.Controller,
        ContractReason.GarbageCollector => CoreReason.GarbageCollector,
        ContractReason.Admission => CoreReason.Admission,
        ContractReason.Scheduler => CoreReason.Scheduler,
        _ => throw ControlPlaneException.Invalid($"reason {reason} is not known"),
    };

    public static Outcome ToOutcome(WriteOutcome outcome) => outcome switch
    {
        WriteOutcome.Created => Outcome.Created,
        WriteOutcome.Replaced => Outcome.Replaced,
        WriteOutcome.Patched => Outcome.Patched,
        WriteOutcome.Deleted => Outcome.Deleted,
        WriteOutcome.NoOp => Outcome.NoOp,
        WriteOutcome.StatusUpdated => Outcome.StatusUpdated,
        _ => Outcome.Unspecified,
    };

    public static WriteResourceResponse ToResponse(WriteResult result) => new()
    {
        Outcome = ToOutcome(result.Outcome),
        Object = result.Object is null ? ByteString.Empty : UnsafeByteOperations.UnsafeWrap(result.Object.Json),
        ResourceVersion = result.ResourceVersion.ToString(CultureInfo.InvariantCulture),
    };

    public static ByteString ToBytes(StoredResource resource) => UnsafeByteOperations.UnsafeWrap(resource.Json);

    /// <summary>Checks that non-empty bytes are one JSON value (any kind), under the rules objects are parsed by.</summary>
    public static void ValidateJsonValue(ByteString bytes, string what)
    {
        if (bytes.IsEmpty) return;
        ObjectValidator.ParseDocument(bytes.Memory, what, objectOnly: false).Dispose();
    }

    /// <summary>Continue tokens name the last key returned; they are opaque to clients.</summary>
    public static string EncodeContinue(ResourceKey key) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(ContinuePrefix + string.Join('|', key.Group, key.Version, key.Kind, key.Namespace, key.Name)));

    public static ResourceKey DecodeContinue(string token, ResourceKind kind)
    {
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            throw ControlPlaneException.Invalid("continue_token is not a token this server issued");
        }

        var parts = text.Split('|');
        if (parts.Length != 6 || parts[0] + "|" != ContinuePrefix) throw ControlPlaneException.Invalid("continue_token is not a token this server issued");
        var key = new ResourceKey(parts[1], parts[2], parts[3], parts[4], parts[5]);
        if (key.ResourceKind != kind) throw ControlPlaneException.Invalid($"continue_token belongs to a list of {key.ResourceKind}, not {kind}");
        return key;
    }
}
