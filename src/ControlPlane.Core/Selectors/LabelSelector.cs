using System.Diagnostics.CodeAnalysis;
using ControlPlane.Core.Errors;
using ControlPlane.Core.Validation;

namespace ControlPlane.Core.Selectors;

/// <summary>How one requirement of a label selector compares a label.</summary>
public enum SelectorOperator
{
    Equals,
    NotEquals,
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

/// <summary>One requirement: key, operator and values (values are empty for Exists and DoesNotExist).</summary>
public sealed record SelectorRequirement(string Key, SelectorOperator Operator, IReadOnlyList<string> Values)
{
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        var present = labels.TryGetValue(Key, out var value);
        return Operator switch
        {
            SelectorOperator.Equals => present && value == Values[0],
            SelectorOperator.NotEquals => !present || value != Values[0],
            SelectorOperator.In => present && Contains(Values, value!),
            SelectorOperator.NotIn => !present || !Contains(Values, value!),
            SelectorOperator.Exists => present,
            SelectorOperator.DoesNotExist => !present,
            _ => false,
        };
    }

    private static bool Contains(IReadOnlyList<string> values, string value)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] == value) return true;
        }

        return false;
    }

    /// <summary>
    /// The values joined by commas. A lone empty value is written "," (two empty values, the same set),
    /// because the parser refuses "()" as an empty list.
    /// </summary>
    private string ValueList() => Values is [""] ? "," : string.Join(',', Values);

    public override string ToString() => Operator switch
    {
        SelectorOperator.Equals => $"{Key}={Values[0]}",
        SelectorOperator.NotEquals => $"{Key}!={Values[0]}",
        SelectorOperator.In => $"{Key} in ({ValueList()})",
        SelectorOperator.NotIn => $"{Key} notin ({ValueList()})",
        SelectorOperator.Exists => Key,
        _ => "!" + Key,
    };
}

/// <summary>
/// A Kubernetes label selector: comma-separated requirements, all of which must match.
/// Syntax: <c>a=b</c>, <c>a==b</c>, <c>a!=b</c>, <c>a in (x,y)</c>, <c>a notin (x)</c>, <c>a</c> (exists), <c>!a</c> (does not exist).
/// </summary>
public sealed class LabelSelector
{
    private LabelSelector(IReadOnlyList<SelectorRequirement> requirements) => Requirements = requirements;

    /// <summary>The empty selector: matches every object.</summary>
    public static LabelSelector Everything { get; } = new([]);

    public IReadOnlyList<SelectorRequirement> Requirements { get; }

    public bool IsEverything => Requirements.Count == 0;

    public static LabelSelector FromRequirements(IEnumerable<SelectorRequirement> requirements)
    {
        var list = requirements.ToList();
        foreach (var r in list)
        {
            ValidateRequirement(r);
        }

        return list.Count == 0 ? Everything : new LabelSelector(list);
    }

    /// <summary>Selector matching exactly these labels (matchLabels).</summary>
    public static LabelSelector FromLabels(IReadOnlyDictionary<string, string> labels) =>
        FromRequirements(labels.OrderBy(l => l.Key, StringComparer.Ordinal)
            .Select(l => new SelectorRequirement(l.Key, SelectorOperator.Equals, [l.Value])));

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        for (var i = 0; i < Requirements.Count; i++)
        {
            if (!Requirements[i].Matches(labels)) return false;
        }

        return true;
    }

    public static bool TryParse(string? text, [NotNullWhen(true)] out LabelSelector? selector, [NotNullWhen(false)] out string? error)
    {
        try
        {
            selector = Parse(text);
            error = null;
            return true;
        }
        catch (ControlPlaneException e)
        {
            selector = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>Parses Kubernetes selector syntax; throws Invalid with a message naming the problem.</summary>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Everything;
        var parser = new Parser(text);
        var requirements = new List<SelectorRequirement>();
        do
        {
            requirements.Add(parser.ReadRequirement());
        }
        while (parser.TryConsume(','));

        parser.ExpectEnd();
        return FromRequirements(requirements);
    }

    public override string ToString() => string.Join(',', Requirements);

    private static void ValidateRequirement(SelectorRequirement r)
    {
        if (!LabelRules.IsValidKey(r.Key, out var keyError))
        {
            throw ControlPlaneException.Invalid($"label selector: invalid key \"{r.Key}\": {keyError}");
        }

        var needs = r.Operator switch
        {
            SelectorOperator.Equals or SelectorOperator.NotEquals => (Min: 1, Max: 1),
            SelectorOperator.In or SelectorOperator.NotIn => (Min: 1, Max: int.MaxValue),
            _ => (Min: 0, Max: 0),
        };
        if (r.Values.Count < needs.Min || r.Values.Count > needs.Max)
        {
            throw ControlPlaneException.Invalid($"label selector: operator {r.Operator} on \"{r.Key}\" takes {(needs.Max == 0 ? "no values" : needs.Max == 1 ? "exactly one value" : "at least one value")}");
        }

        foreach (var v in r.Values)
        {
            if (!LabelRules.IsValidValue(v, out var valueError))
            {
                throw ControlPlaneException.Invalid($"label selector: invalid value \"{v}\" for \"{r.Key}\": {valueError}");
            }
        }
    }

    private ref struct Parser(string text)
    {
        private readonly string _text = text;
        private int _pos;

        public SelectorRequirement ReadRequirement()
        {
            SkipSpace();
            if (TryConsume('!'))
            {
                return new SelectorRequirement(ReadWord("a label key"), SelectorOperator.DoesNotExist, []);
            }

            var key = ReadWord("a label key");
            SkipSpace();
            if (AtEnd || Peek == ',') return new SelectorRequirement(key, SelectorOperator.Exists, []);
            if (TryConsume("==") || TryConsume('=')) return new SelectorRequirement(key, SelectorOperator.Equals, [ReadValue()]);
            if (TryConsume("!=")) return new SelectorRequirement(key, SelectorOperator.NotEquals, [ReadValue()]);
            var word = ReadWord($"an operator (=, ==, !=, in, notin) after \"{key}\"");
            var op = word switch
            {
                "in" => SelectorOperator.In,
                "notin" => SelectorOperator.NotIn,
                _ => throw Fail($"unknown operator \"{word}\" after \"{key}\" (expected =, ==, !=, in, notin)"),
            };
            if (!TryConsume('(')) throw Fail($"expected \"(\" after \"{key} {word}\" but found {Found()}");
            if (TryConsume(')')) throw Fail($"empty value list \"()\" after \"{key} {word}\" (give at least one value)");
            var values = new List<string>();
            do
            {
                values.Add(ReadValue());
            }
            while (TryConsume(','));
            if (!TryConsume(')')) throw Fail($"expected \",\" or \")\" to close the value list of \"{key} {word}\" but found {Found()}");
            return new SelectorRequirement(key, op, values);
        }

        public bool TryConsume(char c)
        {
            SkipSpace();
            if (AtEnd || Peek != c) return false;
            _pos++;
            return true;
        }

        public void ExpectEnd()
        {
            SkipSpace();
            if (!AtEnd) throw Fail($"unexpected {Found()} (requirements are separated by \",\")");
        }

        private bool TryConsume(string s)
        {
            SkipSpace();
            if (string.CompareOrdinal(_text, _pos, s, 0, s.Length) != 0) return false;
            _pos += s.Length;
            return true;
        }

        private string ReadValue()
        {
            SkipSpace();
            var start = _pos;
            while (!AtEnd && IsWordChar(Peek)) _pos++;
            return _text[start.._pos];
        }

        private string ReadWord(string what)
        {
            SkipSpace();
            var start = _pos;
            while (!AtEnd && IsWordChar(Peek)) _pos++;
            if (start == _pos) throw Fail($"expected {what} at position {start} but found {Found()}");
            return _text[start.._pos];
        }

        private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/';

        private readonly char Peek => _text[_pos];

        private readonly bool AtEnd => _pos >= _text.Length;

        private void SkipSpace()
        {
            while (!AtEnd && char.IsWhiteSpace(Peek)) _pos++;
        }

        /// <summary>The rest of the input, for error messages.</summary>
        private readonly string Found() => AtEnd ? "the end of the input" : $"\"{_text[_pos..]}\"";

        private readonly ControlPlaneException Fail(string message) =>
            ControlPlaneException.Invalid($"label selector \"{_text}\": {message}");
    }
}
