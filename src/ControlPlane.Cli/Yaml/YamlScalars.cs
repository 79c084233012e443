using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ControlPlane.Cli.Yaml;

/// <summary>
/// How plain (unquoted) YAML scalars resolve to JSON values, in one place for reading and writing. Reading follows the
/// YAML 1.2 core schema (what Kubernetes manifests mean): null, true/false, decimal/octal/hex integers, floats; every
/// other plain scalar is a string. Writing quotes more than that: also YAML 1.1's yes/no/on/off and anything that starts
/// like a number or a timestamp, so that every YAML reader, old or new, reads a string back as a string.
/// </summary>
internal static partial class YamlScalars
{
    /// <summary>Resolves a plain scalar. Returns false (and a string value) when it is a string.</summary>
    /// <exception cref="FormatException">The scalar is .inf or .nan, which JSON cannot hold.</exception>
    public static bool TryResolvePlain(string text, out JsonNode? value)
    {
        value = null;
        if (text.Length == 0 || text is "~" or "null" or "Null" or "NULL") return true;
        if (text is "true" or "True" or "TRUE")
        {
            value = JsonValue.Create(true);
            return true;
        }

        if (text is "false" or "False" or "FALSE")
        {
            value = JsonValue.Create(false);
            return true;
        }

        if (DecimalInteger().IsMatch(text) || Float().IsMatch(text))
        {
            value = JsonNode.Parse(ToJsonNumber(text));
            return true;
        }

        if (text.StartsWith("0x", StringComparison.Ordinal) && HexDigits().IsMatch(text[2..]))
        {
            value = JsonNode.Parse(System.Numerics.BigInteger.Parse("0" + text[2..], System.Globalization.NumberStyles.AllowHexSpecifier, null).ToString(null, null));
            return true;
        }

        if (text.StartsWith("0o", StringComparison.Ordinal) && OctalDigits().IsMatch(text[2..]))
        {
            var number = System.Numerics.BigInteger.Zero;
            foreach (var digit in text[2..]) number = (number * 8) + (digit - '0');
            value = JsonNode.Parse(number.ToString(null, null));
            return true;
        }

        if (InfinityOrNaN().IsMatch(text))
            throw new FormatException($"the YAML value {text} (infinity or not-a-number) cannot be represented in JSON; quote it to make it a string");

        value = JsonValue.Create(text);
        return false;
    }

    /// <summary>
    /// Whether a string can be written as a plain scalar and read back as the same string by any YAML reader.
    /// Conservative: when in doubt, quote.
    /// </summary>
    public static bool CanBePlain(string text)
    {
        if (text.Length == 0 || text != text.Trim()) return false;
        if (LooksTyped().IsMatch(text)) return false;
        if ("-?:,[]{}#&*!|>'\"%@`".Contains(text[0], StringComparison.Ordinal)) return false;
        if (text.EndsWith(':') || text.Contains(": ", StringComparison.Ordinal) || text.Contains(" #", StringComparison.Ordinal)) return false;
        foreach (var c in text)
        {
            if (char.IsControl(c) || c is '\u0085' or '\u2028' or '\u2029' or '\uFEFF')
                return false;
        }

        return true;
    }

    /// <summary>A YAML double-quoted scalar: JSON-style escapes, which YAML 1.2 reads the same way.</summary>
    public static string DoubleQuote(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (char.IsControl(c) || c is '\u0085' or '\u2028' or '\u2029' or '\uFEFF')
                        builder.Append("\\u").Append(((int)c).ToString("x4", null));
                    else
                        builder.Append(c);
                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    /// <summary>
    /// Rewrites a YAML 1.2 number into JSON's grammar without changing its value or precision: no '+' sign, no
    /// leading zeros, digits on both sides of the point.
    /// </summary>
    private static string ToJsonNumber(string text)
    {
        var negative = text[0] == '-';
        var body = text[0] is '-' or '+' ? text[1..] : text;
        var e = body.IndexOfAny(['e', 'E']);
        var mantissa = e < 0 ? body : body[..e];
        var exponent = e < 0 ? string.Empty : body[e..];
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var integer = point < 0 ? mantissa : mantissa[..point];
        var fraction = point < 0 ? null : mantissa[(point + 1)..];
        integer = integer.TrimStart('0');
        if (integer.Length == 0) integer = "0";
        var result = new StringBuilder();
        if (negative) result.Append('-');
        result.Append(integer);
        if (fraction is not null) result.Append('.').Append(fraction.Length == 0 ? "0" : fraction);
        return result.Append(exponent).ToString();
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex DecimalInteger();

    [GeneratedRegex("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();

    [GeneratedRegex("^[0-9a-fA-F]+$")]
    private static partial Regex HexDigits();

    [GeneratedRegex("^[0-7]+$")]
    private static partial Regex OctalDigits();

    [GeneratedRegex("^([-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN))$")]
    private static partial Regex InfinityOrNaN();

    /// <summary>
    /// Plain scalars that some YAML reader (1.2 core or 1.1) reads as something other than a string: null, booleans
    /// including y/n/yes/no/on/off, and anything that starts like a number, a timestamp or .inf/.nan.
    /// </summary>
    [GeneratedRegex("^(~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|[-+]?\\.?[0-9].*|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)|<<|=)$")]
    private static partial Regex LooksTyped();
}
