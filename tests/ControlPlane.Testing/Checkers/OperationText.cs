using System.Globalization;
using System.Text;

namespace ControlPlane.Testing.Checkers;

/// <summary>
/// Renders operations and times for explanations: times are milliseconds since the first invocation of the
/// history, so a developer can line them up with logs.
/// </summary>
internal sealed class OperationText
{
    private const int MaxValueLength = 48;

    private readonly long _origin;
    private readonly double _ticksPerMillisecond;

    public OperationText(History history)
    {
        _origin = history.Operations.Count == 0 ? 0 : history.Operations.Min(op => op.InvokeTicks);
        _ticksPerMillisecond = history.TicksPerSecond / 1000.0;
    }

    /// <summary>"+12.345ms" relative to the history's first invocation.</summary>
    public string Time(long ticks) =>
        "+" + ((ticks - _origin) / _ticksPerMillisecond).ToString("0.000", CultureInfo.InvariantCulture) + "ms";

    public string Duration(long ticks) =>
        (ticks / _ticksPerMillisecond).ToString("0.000", CultureInfo.InvariantCulture) + "ms";

    public static string Value(string? value)
    {
        if (value is null) return "null";
        return value.Length <= MaxValueLength ? $"'{value}'" : $"'{value[..MaxValueLength]}...' ({value.Length} chars)";
    }

    /// <summary>"op 17 (client 3, Write 'k1' value='v5' -> Ok rv=42, +12.001ms..+15.320ms)".</summary>
    public string Describe(Operation op)
    {
        var text = new StringBuilder()
            .Append("op ").Append(op.Id).Append(" (client ").Append(op.ClientId).Append(", ")
            .Append(op.Kind).Append(" '").Append(op.Key).Append('\'');
        if (op.ExpectedVersion is { } expected) text.Append(" expecting rv=").Append(expected);
        if (op.WritesValue) text.Append(" value=").Append(Value(op.Value));
        if (op.RequestId is not null) text.Append(" request=").Append(op.RequestId);
        text.Append(" -> ").Append(op.Outcome);
        AppendOutput(text, op);
        text.Append(", ").Append(Time(op.InvokeTicks)).Append("..");
        if (op.Outcome == OperationOutcome.Indeterminate)
        {
            text.Append(op.CompleteTicks is { } gaveUp ? $"(gave up {Time(gaveUp)}, may apply later)" : "(never answered)");
        }
        else
        {
            text.Append(op.CompleteTicks is { } complete ? Time(complete) : "?");
        }

        return text.Append(')').ToString();
    }

    private static void AppendOutput(StringBuilder text, Operation op)
    {
        switch (op.Outcome)
        {
            case OperationOutcome.Ok when op.Kind == OperationKind.Read:
                text.Append(op.OutputVersion is { } seen ? $" value={Value(op.OutputValue)} rv={seen}" : " absent");
                break;
            case OperationOutcome.Ok:
                if (op.NoOp) text.Append(" NoOp");
                if (op.OutputVersion is { } written) text.Append(" rv=").Append(written);
                break;
            case OperationOutcome.Failed:
                if (op.Failure != FailureReason.Unspecified) text.Append(' ').Append(op.Failure);
                if (op.OutputVersion is { } current) text.Append(" (current rv=").Append(current).Append(')');
                break;
        }

        if (op.Outcome != OperationOutcome.Ok && !string.IsNullOrEmpty(op.Error))
        {
            text.Append(" \"").Append(op.Error.Length <= MaxValueLength ? op.Error : op.Error[..MaxValueLength] + "...").Append('"');
        }
    }
}
