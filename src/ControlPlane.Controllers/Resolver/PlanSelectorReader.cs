using System.Text.Json.Nodes;
using ControlPlane.Core.Errors;
using ControlPlane.Core.Selectors;
using ControlPlane.Core.Validation;

namespace ControlPlane.Controllers.Resolver;

/// <summary>
/// Reads a Goal's <c>spec.planSelector</c>, a Kubernetes LabelSelector:
/// <c>{"matchLabels": {k: v}, "matchExpressions": [{"key", "operator": In|NotIn|Exists|DoesNotExist, "values"}]}</c>.
/// All requirements must hold. Absent, null and <c>{}</c> select every Plan. Unknown fields are refused, so a
/// typo such as <c>matchLabel</c> cannot silently widen the selector to everything.
/// </summary>
internal static class PlanSelectorReader
{
    private const string Path = "spec.planSelector";

    /// <summary>Throws <see cref="ControlPlaneException"/> (Invalid) naming the problem.</summary>
    public static LabelSelector Read(JsonNode? node)
    {
        if (node is null) return LabelSelector.Everything;
        if (node is not JsonObject selector) throw ControlPlaneException.Invalid($"{Path} must be an object, got {ObjectValidator.Describe(node)}");
        JsonFields.RejectUnknownFields(selector, Path, "matchLabels", "matchExpressions");
        var requirements = new List<SelectorRequirement>();
        if (JsonFields.OptionalObject(selector, "matchLabels", Path + ".matchLabels") is { } labels)
        {
            foreach (var (key, value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
            {
                if (!JsonFields.TryString(value, out var text))
                {
                    throw ControlPlaneException.Invalid($"{Path}.matchLabels.{key} must be a string, got {ObjectValidator.Describe(value)}");
                }

                requirements.Add(new SelectorRequirement(key, SelectorOperator.Equals, [text]));
            }
        }

        if (JsonFields.OptionalArray(selector, "matchExpressions", Path + ".matchExpressions") is { } expressions)
        {
            for (var i = 0; i < expressions.Count; i++)
            {
                requirements.Add(ReadExpression(expressions[i], $"{Path}.matchExpressions[{i}]"));
            }
        }

        try
        {
            return LabelSelector.FromRequirements(requirements);
        }
        catch (ControlPlaneException e) when (e.Code == ErrorCode.Invalid)
        {
            throw ControlPlaneException.Invalid($"{Path}: {e.Message}");
        }
    }

    private static SelectorRequirement ReadExpression(JsonNode? node, string path)
    {
        if (node is not JsonObject expression) throw ControlPlaneException.Invalid($"{path} must be an object, got {ObjectValidator.Describe(node)}");
        JsonFields.RejectUnknownFields(expression, path, "key", "operator", "values");
        var key = JsonFields.RequiredString(expression, "key", path + ".key");
        var operatorText = JsonFields.RequiredString(expression, "operator", path + ".operator");
        var op = operatorText switch
        {
            "In" => SelectorOperator.In,
            "NotIn" => SelectorOperator.NotIn,
            "Exists" => SelectorOperator.Exists,
            "DoesNotExist" => SelectorOperator.DoesNotExist,
            _ => throw ControlPlaneException.Invalid($"{path}.operator \"{operatorText}\" is not one of In, NotIn, Exists, DoesNotExist"),
        };
        var values = new List<string>();
        if (JsonFields.OptionalArray(expression, "values", path + ".values") is { } array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                if (!JsonFields.TryString(array[i], out var value))
                {
                    throw ControlPlaneException.Invalid($"{path}.values[{i}] must be a string, got {ObjectValidator.Describe(array[i])}");
                }

                values.Add(value);
            }
        }

        return new SelectorRequirement(key, op, values);
    }
}
