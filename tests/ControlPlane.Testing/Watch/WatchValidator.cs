namespace ControlPlane.Testing.Watch;

/// <summary>
/// Checks one watcher's recorded stream against the committed history (P5, P6): ordered, unique, gap-free within the
/// model, one message per commit, resumed from the last position, bookmarks only after their events, and the right
/// event types, objects and previous objects for the watcher's filter (entering the selector is Added, leaving it is
/// Deleted carrying the object as it now is).
/// </summary>
public static class WatchValidator
{
    /// <param name="history">The model: every commit after its <see cref="CommittedHistory.CompleteAfter"/>.</param>
    /// <param name="recording">What the watcher received.</param>
    /// <param name="through">
    /// The position the stream must have reached with nothing matching left out; default: the model's last commit.
    /// Pass the recording's own last position to check a stream that was cut short on purpose.
    /// </param>
    public static WatchValidationResult Validate(CommittedHistory history, WatchRecording recording, long? through = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(recording);
        var run = new Run(history, recording);
        foreach (var entry in recording.Entries)
        {
            if (entry.ResumedFrom is { } from) run.Resume(from);
            else if (entry.Message!.IsBookmark) run.Bookmark(entry.Message);
            else run.Events(entry.Message);
        }

        run.End(through ?? history.LastResourceVersion);
        return new WatchValidationResult(recording, run.Violations, run.EventCount, run.BookmarkCount, run.ResumeCount);
    }

    private sealed class Run(CommittedHistory history, WatchRecording recording)
    {
        private readonly HashSet<long> _delivered = [];

        // The exclusive position the next event is checked from (gaps), and the last position received (order).
        private long? _position = recording.Start;
        private long? _last = recording.Start;

        public List<WatchViolation> Violations { get; } = [];

        public int EventCount { get; private set; }

        public int BookmarkCount { get; private set; }

        public int ResumeCount { get; private set; }

        public void Resume(long from)
        {
            ResumeCount++;
            if (_last is { } last && from != last)
                Add(WatchRule.Resume, from, $"resumed from {from}, but the last position received was {last}" + (from < last ? ": events up to it will come again" : ": commits in between may be skipped"));
            _position = from;
        }

        public void Bookmark(ObservedMessage message)
        {
            BookmarkCount++;
            var rv = message.ResourceVersion;
            if (_last is { } last && rv < last) Add(WatchRule.Ordered, rv, $"bookmark at {rv} after position {last}");
            if (_position is { } position)
            {
                var owed = history.ExpectedBetween(position, rv, recording.Filter).ToList();
                if (owed.Count > 0)
                    Add(WatchRule.Bookmark, rv, $"bookmark at {rv} before {Describe(owed)}: a bookmark promises every matching event up to it was delivered");
            }

            _position = Max(_position, rv);
            _last = Max(_last, rv);
        }

        public void Events(ObservedMessage message)
        {
            var rv = message.ResourceVersion;
            EventCount += message.Events.Count;
            if (!_delivered.Add(rv)) Add(WatchRule.Unique, rv, $"the commit at {rv} was delivered again: {message}");
            else if (_last is { } last && rv <= last) Add(WatchRule.Ordered, rv, $"event at {rv} after position {last}: {message}");

            if (_position is { } position && rv > position)
            {
                var skipped = history.ExpectedBetween(position, rv - 1, recording.Filter).ToList();
                if (skipped.Count > 0) Add(WatchRule.NoGap, rv, $"after {position} the stream jumped to {rv}, leaving out {Describe(skipped)}");
            }

            if (rv > history.CompleteAfter) CheckCommit(message);
            _position = Max(_position, rv);
            _last = Max(_last, rv);
        }

        public void End(long through)
        {
            if (_position is not { } position || position >= through) return;
            var missing = history.ExpectedBetween(position, through, recording.Filter).ToList();
            if (missing.Count > 0) Add(WatchRule.Complete, through, $"the stream ended at {position}; never delivered: {Describe(missing)}");
        }

        private void CheckCommit(ObservedMessage message)
        {
            var rv = message.ResourceVersion;
            var changes = history.At(rv);
            if (changes.Count == 0)
            {
                Add(WatchRule.Unexpected, rv, $"no commit at {rv} in the model: {message}");
                return;
            }

            var expected = changes.Select(c => CommittedHistory.Expected(c, recording.Filter)).OfType<ExpectedEvent>().ToList();
            var seenKeys = new HashSet<ObjectKey>();
            foreach (var e in message.Events)
            {
                if (!seenKeys.Add(e.Object.Key)) Add(WatchRule.Unique, rv, $"{e.Object.Key} appears twice in the message at {rv}");
                var want = expected.FirstOrDefault(x => x.Change.Key == e.Object.Key);
                if (want is null)
                {
                    var change = changes.FirstOrDefault(c => c.Key == e.Object.Key);
                    Add(WatchRule.Unexpected, rv, change is null
                        ? $"{e} is not part of the commit at {rv} ({string.Join(", ", changes)})"
                        : $"{e}: the commit ({change}) does not concern a watch of {recording.Filter}");
                    continue;
                }

                CheckEvent(e, want, rv);
            }

            var absent = expected.Where(x => !seenKeys.Contains(x.Change.Key)).ToList();
            if (absent.Count > 0) Add(WatchRule.Atomic, rv, $"the message at {rv} lacks {Describe(absent)} of the same commit");
        }

        private void CheckEvent(ObservedEvent e, ExpectedEvent want, long rv)
        {
            if (e.Type != want.Type) Add(WatchRule.EventType, rv, $"{e.Object.Key}: got {e.Type}, expected {want}");
            if (e.Object.ResourceVersion != want.ObjectResourceVersion)
                Add(WatchRule.Object, rv, $"{e.Object.Key}: the object is version {e.Object.ResourceVersion}, expected {want.ObjectResourceVersion} ({want})");
            if (e.Previous?.ResourceVersion != want.PreviousResourceVersion || (e.Previous is not null && e.Previous.Key != e.Object.Key))
            {
                Add(WatchRule.PreviousObject, rv, $"{e.Object.Key}: the previous object is "
                    + (e.Previous is null ? "missing" : $"{e.Previous}") + ", expected "
                    + (want.PreviousResourceVersion is { } p ? $"version {p}" : "none") + $" ({want})");
            }
        }

        private void Add(WatchRule rule, long rv, string message) => Violations.Add(new WatchViolation(recording.Name, rule, rv, message));

        private static long? Max(long? a, long b) => a is { } x && x > b ? x : b;

        private static string Describe(List<ExpectedEvent> events) =>
            string.Join(", ", events.Take(5)) + (events.Count > 5 ? $" and {events.Count - 5} more" : "");
    }
}
