namespace ControlPlane.Testing.Watch;

/// <summary>
/// The model a watch is checked against: every committed change after <see cref="CompleteAfter"/>, in commit order,
/// each with the object's version before and after. Build it from the acknowledged writes, or from an unfiltered watch
/// (<see cref="FromUnfilteredWatch"/>), and cross-check the two.
/// </summary>
public sealed class CommittedHistory
{
    private readonly List<CommittedChange> _changes = [];
    private readonly Dictionary<ObjectKey, ObjectVersion> _state = [];

    /// <param name="completeAfter">The model holds every commit after this resourceVersion (0: from the beginning).</param>
    /// <param name="initialState">The objects as they were at <paramref name="completeAfter"/> (a list taken there).</param>
    public CommittedHistory(long completeAfter = 0, IEnumerable<KeyValuePair<ObjectKey, ObjectVersion>>? initialState = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(completeAfter);
        CompleteAfter = completeAfter;
        foreach (var (key, version) in initialState ?? []) _state[key] = version;
    }

    public long CompleteAfter { get; }

    public IReadOnlyList<CommittedChange> Changes => _changes;

    /// <summary>The last commit's resourceVersion, or <see cref="CompleteAfter"/> when there is none.</summary>
    public long LastResourceVersion => _changes.Count == 0 ? CompleteAfter : _changes[^1].ResourceVersion;

    /// <summary>The objects as they are after the last commit.</summary>
    public IReadOnlyDictionary<ObjectKey, ObjectVersion> State => _state;

    /// <summary>Appends a commit that left <paramref name="key"/> at <paramref name="after"/> (null: deleted).</summary>
    /// <exception cref="ArgumentException">The commit is out of order or inconsistent with the model.</exception>
    public CommittedChange Add(long resourceVersion, ObjectKey key, ObjectVersion? after)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (resourceVersion <= CompleteAfter)
            throw new ArgumentException($"commit {resourceVersion} is not after {CompleteAfter}, where the model starts", nameof(resourceVersion));
        if (_changes.Count > 0 && resourceVersion < _changes[^1].ResourceVersion)
            throw new ArgumentException($"commit {resourceVersion} comes after commit {_changes[^1].ResourceVersion}: the model must be in commit order", nameof(resourceVersion));
        if (after is not null && after.ResourceVersion != resourceVersion)
            throw new ArgumentException($"{key} written by commit {resourceVersion} must have resourceVersion {resourceVersion}, not {after.ResourceVersion}", nameof(after));
        _state.TryGetValue(key, out var before);
        if (before is null && after is null)
            throw new ArgumentException($"commit {resourceVersion} deletes {key}, which the model does not hold", nameof(after));
        if (_changes.Count > 0 && _changes[^1].ResourceVersion == resourceVersion && _changes[^1].Key == key)
            throw new ArgumentException($"commit {resourceVersion} changes {key} twice", nameof(key));

        var change = new CommittedChange(resourceVersion, key, before, after);
        _changes.Add(change);
        if (after is null) _state.Remove(key);
        else _state[key] = after;
        return change;
    }

    /// <summary>The changes of the commit at <paramref name="resourceVersion"/> (empty when no commit has it).</summary>
    public IReadOnlyList<CommittedChange> At(long resourceVersion)
    {
        var result = new List<CommittedChange>();
        for (var i = IndexAfter(resourceVersion - 1); i < _changes.Count && _changes[i].ResourceVersion == resourceVersion; i++) result.Add(_changes[i]);
        return result;
    }

    /// <summary>
    /// The model of an unfiltered watch of one kind from <paramref name="start"/>: Added and Modified events leave the
    /// object at the event's version, Deleted removes it.
    /// </summary>
    public static CommittedHistory FromUnfilteredWatch(long start, IEnumerable<ObservedMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var history = new CommittedHistory(start);
        foreach (var message in messages)
        {
            if (message.IsBookmark) continue;
            foreach (var e in message.Events)
            {
                history.Add(message.ResourceVersion, e.Object.Key, e.Type == ObservedEventType.Deleted ? null : e.Object.Version);
            }
        }

        return history;
    }

    /// <summary>The events a watcher with <paramref name="filter"/> must receive for one change (none, or one).</summary>
    internal static ExpectedEvent? Expected(CommittedChange change, WatchFilter filter)
    {
        var before = filter.Matches(change.Key, change.Before);
        var after = filter.Matches(change.Key, change.After);
        return (before, after) switch
        {
            (false, false) => null,
            (false, true) => new ExpectedEvent(change, ObservedEventType.Added, change.After!.ResourceVersion, null),
            (true, true) => new ExpectedEvent(change, ObservedEventType.Modified, change.After!.ResourceVersion, change.Before!.ResourceVersion),
            // Deleted, or left the selector: the object's last version (the new one when it still exists), previous = before.
            (true, false) => new ExpectedEvent(change, ObservedEventType.Deleted, (change.After ?? change.Before)!.ResourceVersion, change.Before!.ResourceVersion),
        };
    }

    /// <summary>The events <paramref name="filter"/> selects among the commits in (<paramref name="after"/>, <paramref name="through"/>].</summary>
    internal IEnumerable<ExpectedEvent> ExpectedBetween(long after, long through, WatchFilter filter)
    {
        for (var i = IndexAfter(after); i < _changes.Count && _changes[i].ResourceVersion <= through; i++)
        {
            if (Expected(_changes[i], filter) is { } expected) yield return expected;
        }
    }

    /// <summary>The index of the first change with a resourceVersion greater than <paramref name="resourceVersion"/>.</summary>
    private int IndexAfter(long resourceVersion)
    {
        int low = 0, high = _changes.Count;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (_changes[mid].ResourceVersion <= resourceVersion) low = mid + 1;
            else high = mid;
        }

        return low;
    }
}
