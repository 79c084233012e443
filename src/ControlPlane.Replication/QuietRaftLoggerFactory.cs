using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Replication;

/// <summary>
/// DotNext logs a warning with a full stack trace on every heartbeat to an unreachable member (event 74010,
/// and likewise 74015, 74022, 74028). This factory passes DotNext's logs through, but logs each of those
/// events at most once per interval per category and without the stack trace.
/// </summary>
internal sealed class QuietRaftLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    private static readonly HashSet<int> Noisy = [74010, 74015, 74022, 74028];
    private static readonly long Interval = Stopwatch.Frequency * 10;

    public ILogger CreateLogger(string categoryName) => new QuietLogger(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose()
    {
        // The inner factory belongs to the host.
    }

    private sealed class QuietLogger(ILogger inner) : ILogger
    {
        private readonly ConcurrentDictionary<int, long> _lastLogged = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (Noisy.Contains(eventId.Id))
            {
                var now = Stopwatch.GetTimestamp();
                var last = _lastLogged.GetOrAdd(eventId.Id, 0);
                if (last != 0 && now - last < Interval) return;
                _lastLogged[eventId.Id] = now;
                inner.Log(logLevel, eventId, state, null, (s, _) => formatter(s, null) + (exception is null ? string.Empty : $" ({exception.GetType().Name}: {exception.Message}; repeats suppressed for 10 s)"));
                return;
            }

            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
