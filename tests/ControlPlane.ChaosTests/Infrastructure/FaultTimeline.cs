using System.Globalization;

namespace ControlPlane.ChaosTests.Infrastructure;

/// <summary>
/// Every fault a group applied and every note a scenario recorded, in order, with wall-clock timestamps: the history
/// kept with the logs when a scenario fails.
/// </summary>
public sealed class FaultTimeline
{
    private readonly List<string> _entries = [];
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public void Add(string entry)
    {
        var line = $"{DateTimeOffset.UtcNow.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)} {entry}";
        lock (_gate)
        {
            _entries.Add(line);
        }
    }

    /// <summary>The entries from position <paramref name="mark"/> (a former <see cref="Count"/>) on.</summary>
    public IReadOnlyList<string> Since(int mark)
    {
        lock (_gate)
        {
            return _entries.Skip(mark).ToList();
        }
    }
}
