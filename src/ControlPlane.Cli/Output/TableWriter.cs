using System.Text;

namespace ControlPlane.Cli.Output;

/// <summary>Aligned text columns, kubectl style: upper-case headers, three spaces between columns, no trailing blanks.</summary>
internal static class TableWriter
{
    private const int Gap = 3;

    public static string Format(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = new List<IReadOnlyList<string>> { headers };
        foreach (var row in rows)
        {
            if (row.Count != headers.Count)
                throw new ArgumentException($"a row has {row.Count} cells for {headers.Count} columns", nameof(rows));
            all.Add(row);
        }

        var widths = new int[headers.Count];
        foreach (var row in all)
        {
            for (var i = 0; i < row.Count; i++) widths[i] = Math.Max(widths[i], row[i].Length);
        }

        var builder = new StringBuilder();
        foreach (var row in all)
        {
            var line = new StringBuilder();
            for (var i = 0; i < row.Count; i++)
            {
                line.Append(row[i]);
                if (i < row.Count - 1) line.Append(' ', widths[i] - row[i].Length + Gap);
            }

            builder.Append(line.ToString().TrimEnd()).Append('\n');
        }

        return builder.ToString();
    }
}
