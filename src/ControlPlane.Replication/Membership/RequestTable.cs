namespace ControlPlane.Replication.Membership;

/// <summary>
/// The outcomes of recent membership requests by request id, so a retry answers the original outcome. Bounded:
/// the oldest ids are forgotten first. Kept by the leader that ran the change (it also answers a retry that arrives
/// while the change still runs); every later leader answers from the replicated <see cref="AdminRequestLog"/>.
/// </summary>
internal sealed class RequestTable<T>(int capacity)
{
    private readonly Dictionary<string, (string Fingerprint, Task<T> Outcome)> _entries = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    /// <summary>The outcome recorded for <paramref name="requestId"/>, or null; refuses an id reused for another change.</summary>
    public Task<T>? Find(string requestId, string fingerprint)
    {
        if (!_entries.TryGetValue(requestId, out var entry)) return null;
        if (!string.Equals(entry.Fingerprint, fingerprint, StringComparison.Ordinal))
        {
            throw Core.Errors.ControlPlaneException.Invalid($"request id {requestId} was already used for another membership change ({entry.Fingerprint}); use a new request id for {fingerprint}");
        }

        return entry.Outcome;
    }

    public void Add(string requestId, string fingerprint, Task<T> outcome)
    {
        _entries[requestId] = (fingerprint, outcome);
        _order.Enqueue(requestId);
        while (_order.Count > capacity && _order.TryDequeue(out var oldest)) _entries.Remove(oldest);
    }

    public void Forget(string requestId, Task<T> outcome)
    {
        if (_entries.TryGetValue(requestId, out var entry) && ReferenceEquals(entry.Outcome, outcome)) _entries.Remove(requestId);
    }
}
