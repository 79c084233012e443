using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ControlPlane.Bench.Measurement;

/// <summary>Formats a <see cref="ScenarioResult"/> as a text table and as JSON.</summary>
public static class ResultPrinter
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static string ToJson(ScenarioResult result) => JsonSerializer.Serialize(result, Json);

    public static string ToTable(ScenarioResult result)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{result.Target} {result.Scenario}: concurrency {result.Concurrency}, value {result.ValueSize} B, keys {result.Keys}, measured {result.WindowSeconds:0.0} s; client CPU {result.ClientCpuSeconds:0.00} s ({(result.ClientServerGc ? "server" : "workstation")} GC)\n");
        text.Append(CultureInfo.InvariantCulture, $"{"operation",-18} {"count",9} {"ops/s",10} {"p50 ms",9} {"p90 ms",9} {"p99 ms",9} {"max ms",9} {"errors",7} {"conflicts",9}\n");
        foreach (var op in result.Operations)
        {
            text.Append(CultureInfo.InvariantCulture, $"{op.Name,-18} {op.Count,9} {op.OpsPerSecond,10:0.0} {op.P50Ms,9:0.00} {op.P90Ms,9:0.00} {op.P99Ms,9:0.00} {op.MaxMs,9:0.00} {op.Errors,7} {op.Conflicts,9}\n");
            foreach (var sample in op.ErrorSamples)
            {
                text.Append(CultureInfo.InvariantCulture, $"  error: {sample}\n");
            }
        }

        if (result.Details.Count > 0)
        {
            text.Append(string.Join(", ", result.Details.Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.Key} {d.Value}")))).Append('\n');
        }

        foreach (var note in result.Notes)
        {
            text.Append("note: ").Append(note).Append('\n');
        }

        return text.ToString();
    }
}
