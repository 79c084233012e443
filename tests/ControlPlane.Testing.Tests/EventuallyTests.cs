namespace ControlPlane.Testing.Tests;

public class EventuallyTests
{
    [Fact]
    public async Task WaitAsync_ConditionBecomesTrue_Returns()
    {
        var checks = 0;

        await Eventually.WaitAsync(() => Task.FromResult(++checks == 3), TimeSpan.FromSeconds(10), () => "three checks");

        Assert.Equal(3, checks);
    }

    [Fact]
    public async Task WaitAsync_NeverTrue_ThrowsWithTheDescription()
    {
        var checks = 0;

        var error = await Assert.ThrowsAsync<TimeoutException>(() => Eventually.WaitAsync(
            () => Task.FromResult(++checks < 0), TimeSpan.FromMilliseconds(500), () => $"expected a miracle; last seen: check {checks}"));

        Assert.Contains($"expected a miracle; last seen: check {checks}", error.Message, StringComparison.Ordinal);
        Assert.Contains("0.5 s", error.Message, StringComparison.Ordinal);
        Assert.True(checks >= 2, $"checked {checks} times");
    }

    [Fact]
    public async Task WaitAsync_ZeroTimeout_ChecksOnce()
    {
        var checks = 0;

        await Eventually.WaitAsync(() => Task.FromResult(++checks == 1), TimeSpan.Zero, () => "one check");

        Assert.Equal(1, checks);
    }

    [Fact]
    public async Task WaitAsync_ConditionThrows_StopsWaitingAtOnce()
    {
        var checks = 0;

        await Assert.ThrowsAsync<InvalidOperationException>(() => Eventually.WaitAsync(
            () => ++checks == 1 ? throw new InvalidOperationException("node exited") : Task.FromResult(false),
            TimeSpan.FromSeconds(30),
            () => "unused"));

        Assert.Equal(1, checks);
    }
}
