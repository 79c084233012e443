using System.Text;
using ControlPlane.Client;
using ControlPlane.Testing.Watch;

namespace ControlPlane.IntegrationTests.Watch;

/// <summary>The committed history of a workload, read back with an unfiltered watch, and checks of watchers against it.</summary>
internal static class WatchModel
{
    public static readonly WatchFilter AllWidgets = new(Objects.ApiVersion, Objects.Kind);

    /// <summary>
    /// Reads every commit of the kind from the beginning up to <paramref name="through"/> with an unfiltered watch and
    /// builds the model from it; the model's own stream is validated against it (types and previous objects agree).
    /// </summary>
    public static async Task<CommittedHistory> ReadAsync(IControlPlaneClient client, long through, TimeSpan timeout)
    {
        var model = RecordedWatcher.Start("model", client, new WatchRequest(Objects.ApiVersion, Objects.Kind) { FromResourceVersion = "0" }, AllWidgets);
        try
        {
            await model.WaitForPositionAsync(through, timeout);
        }
        finally
        {
            await model.DisposeAsync();
        }

        var history = CommittedHistory.FromUnfilteredWatch(0, model.Recording.Entries.Select(e => e.Message).OfType<ObservedMessage>().Where(m => m.ResourceVersion <= through));
        var self = WatchValidator.Validate(history, model.Recording, through);
        Assert.True(self.IsValid, self.ToString());
        return history;
    }

    /// <summary>Validates every watcher up to <paramref name="through"/> and fails with all reports when any is invalid.</summary>
    public static void AssertValid(CommittedHistory history, IEnumerable<RecordedWatcher> watchers, long through, Action<string> log)
    {
        var failures = new StringBuilder();
        foreach (var watcher in watchers)
        {
            var result = WatchValidator.Validate(history, watcher.Recording, through);
            log($"{result.Recording.Name}: {result.Events} events, {result.Bookmarks} bookmarks, {result.Resumes} resumes, served by {string.Join(", ", watcher.Recording.Endpoints.Order(StringComparer.Ordinal))}: {(result.IsValid ? "valid" : "INVALID")}");
            if (!result.IsValid) failures.AppendLine(result.ToString());
        }

        Assert.True(failures.Length == 0, failures.ToString());
    }
}
