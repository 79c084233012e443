using System.Diagnostics;

namespace ControlPlane.Controllers.Tests.Runtime;

/// <summary>Waits for a condition with a deadline; a failure says what was expected and what was seen.</summary>
internal static class Eventually
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    public static async Task WaitAsync(Func<Task<bool>> condition, string expected, Func<string> seen, TimeSpan? deadline = null)
    {
        var limit = deadline ?? Deadline;
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > limit) Assert.Fail($"expected {expected} within {limit.TotalSeconds:0.#} s; saw {seen()}");
            await Task.Delay(10);
        }
    }

    public static Task WaitAsync(Func<bool> condition, string expected, Func<string> seen, TimeSpan? deadline = null) =>
        WaitAsync(() => Task.FromResult(condition()), expected, seen, deadline);
}
