using System.Diagnostics.CodeAnalysis;

namespace ControlPlane.Core.Validation;

/// <summary>Kubernetes label key and value rules (also used for annotation keys).</summary>
public static class LabelRules
{
    /// <summary>
    /// A key is an optional prefix (a DNS-1123 subdomain) and '/', then a name of at most 63 characters:
    /// alphanumerics, '-', '_' and '.', starting and ending alphanumeric.
    /// </summary>
    public static bool IsValidKey(string key, [NotNullWhen(false)] out string? error)
    {
        error = null;
        var slash = key.LastIndexOf('/');
        var name = key;
        if (slash >= 0)
        {
            var prefix = key[..slash];
            name = key[(slash + 1)..];
            if (!NameRules.IsDns1123Subdomain(prefix, out var prefixError))
            {
                error = $"prefix \"{prefix}\" {prefixError}";
                return false;
            }
        }

        if (!IsQualifiedName(name, out var nameError)) error = $"name part {nameError}";
        return error is null;
    }

    /// <summary>A value is empty, or at most 63 characters: alphanumerics, '-', '_' and '.', starting and ending alphanumeric.</summary>
    public static bool IsValidValue(string value, [NotNullWhen(false)] out string? error)
    {
        error = null;
        if (value.Length == 0) return true;
        return IsQualifiedName(value, out error);
    }

    private static bool IsQualifiedName(string value, [NotNullWhen(false)] out string? error)
    {
        error = null;
        if (value.Length == 0) error = "must not be empty";
        else if (value.Length > NameRules.MaxLabelLength) error = $"must be at most {NameRules.MaxLabelLength} characters (got {value.Length})";
        else if (!char.IsAsciiLetterOrDigit(value[0]) || !char.IsAsciiLetterOrDigit(value[^1])) error = "must start and end with an alphanumeric character";
        else
        {
            foreach (var c in value)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))
                {
                    error = $"must consist of alphanumeric characters, '-', '_' or '.' (found '{c}')";
                    break;
                }
            }
        }

        return error is null;
    }
}
