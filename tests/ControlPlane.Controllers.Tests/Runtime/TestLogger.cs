using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace ControlPlane.Controllers.Tests.Runtime;

/// <summary>Writes log lines to the test output and keeps the event ids, so a test can wait for a logged transition.</summary>
internal sealed class TestLogger<T>(ITestOutputHelper output) : ILogger<T>
{
    private readonly ConcurrentQueue<int> _events = new();

    public bool Logged(int eventId) => _events.Contains(eventId);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        _events.Enqueue(eventId.Id);
        try
        {
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} [{eventId.Id}] {formatter(state, exception)}{(exception is null ? string.Empty : " " + exception.GetType().Name + ": " + exception.Message)}");
        }
        catch (InvalidOperationException)
        {
            // The test has finished; its output is closed.
        }
    }
}
