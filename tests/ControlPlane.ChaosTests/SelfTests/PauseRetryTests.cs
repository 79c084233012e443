using System.Net;
using ControlPlane.ChaosTests.Infrastructure;
using Docker.DotNet;

namespace ControlPlane.ChaosTests.SelfTests;

/// <summary>The pause retry of the chaos harness, without Docker: which failures are asked again, and how often.</summary>
[Trait("Category", "Chaos")]
public sealed class PauseRetryTests
{
    private static DockerApiException Freeze() => new(
        HttpStatusCode.InternalServerError,
        """{"message":"Cannot pause container 1f2e: OCI runtime pause failed: unable to freeze: unknown"}""");

    [Fact]
    public async Task FreezeFailure_IsAskedAgain_AndEachFailedAttemptIsNoted()
    {
        var calls = 0;
        var notes = new List<string>();
        await PauseRetry.RunAsync(
            _ => ++calls < PauseRetry.Attempts ? throw Freeze() : Task.CompletedTask, notes.Add, CancellationToken.None, TimeSpan.Zero);

        Assert.Equal(PauseRetry.Attempts, calls);
        Assert.Equal(PauseRetry.Attempts - 1, notes.Count);
        Assert.All(notes, n => Assert.Contains("unable to freeze", n));
    }

    [Fact]
    public async Task FreezeFailure_OnEveryAttempt_ThrowsTheLastOne_AfterTheBound()
    {
        var calls = 0;
        var e = await Assert.ThrowsAsync<DockerApiException>(() => PauseRetry.RunAsync(
            _ =>
            {
                calls++;
                throw Freeze();
            },
            _ => { },
            CancellationToken.None,
            TimeSpan.Zero));

        Assert.Equal(PauseRetry.Attempts, calls);
        Assert.Contains("unable to freeze", e.ResponseBody);
    }

    [Fact]
    public async Task OtherFailures_AreNotRetried()
    {
        var calls = 0;
        await Assert.ThrowsAsync<DockerApiException>(() => PauseRetry.RunAsync(
            _ =>
            {
                calls++;
                throw new DockerApiException(HttpStatusCode.Conflict, """{"message":"Container 1f2e is not running"}""");
            },
            _ => { },
            CancellationToken.None,
            TimeSpan.Zero));

        Assert.Equal(1, calls);
    }
}
