using System.Diagnostics;

namespace ControlPlane.MembershipTests.Infrastructure;

/// <summary>Waits for a condition with a deadline; the failure says what was expected and what was last seen.</summary>
internal static class Eventually
{
    public static async Task<T> WaitAsync<T>(string expected, TimeSpan timeout, Func<Task<(bool Done, T Value, string Seen)>> probe)
    {
        var clock = Stopwatch.StartNew();
        var seen = "nothing yet";
        while (true)
        {
            try
            {
                var (done, value, description) = await probe();
                if (done) return value;
                seen = description;
            }
            catch (Exception e) when (e is Grpc.Core.RpcException or HttpRequestException or IOException)
            {
                seen = $"{e.GetType().Name}: {e.Message}";
            }

            if (clock.Elapsed > timeout) throw new TimeoutException($"expected {expected} within {timeout.TotalSeconds:0.#} s; last seen: {seen}");
            await Task.Delay(100);
        }
    }
}
