namespace ControlPlane.Client;

/// <summary>
/// The endpoints a client fails over between, and the one new calls start at. After a failure the next attempt goes
/// to the leader the failed member named, when it named one, or else to the next endpoint in order. A leader that is not
/// among the configured endpoints (a member added later) joins the ring. Thread-safe.
/// </summary>
internal sealed class EndpointRing
{
    private readonly Lock _lock = new();
    private readonly List<string> _endpoints = [];
    private int _preferred;

    /// <param name="endpoints">Normalized endpoints, in the order to try them.</param>
    public EndpointRing(IEnumerable<string> endpoints)
    {
        foreach (var endpoint in endpoints)
        {
            if (!_endpoints.Contains(endpoint)) _endpoints.Add(endpoint);
        }

        if (_endpoints.Count == 0) throw new ArgumentException("at least one endpoint is required", nameof(endpoints));
    }

    /// <summary>Where the next call starts: the last endpoint that answered, or the one failover moved to.</summary>
    public string Preferred
    {
        get
        {
            lock (_lock) return _endpoints[_preferred];
        }
    }

    /// <summary>Whether <paramref name="endpoint"/> (normalized) is one of the ring's endpoints.</summary>
    public bool Contains(string endpoint)
    {
        lock (_lock) return _endpoints.Contains(endpoint);
    }

    /// <summary>A snapshot of the endpoints in ring order.</summary>
    public IReadOnlyList<string> Endpoints
    {
        get
        {
            lock (_lock) return [.. _endpoints];
        }
    }

    /// <summary>Chooses the endpoint for the attempt after <paramref name="failed"/> failed.</summary>
    /// <param name="failed">The endpoint whose attempt failed.</param>
    /// <param name="leaderHint">The leader endpoint that the failed member named (trailer cp-leader-endpoint), if any.</param>
    /// <param name="followedHint">True when the returned endpoint is the hinted leader.</param>
    public string Next(string failed, string? leaderHint, out bool followedHint)
    {
        lock (_lock)
        {
            var failedIndex = _endpoints.IndexOf(failed);
            if (EndpointAddress.TryNormalize(leaderHint, out var leader) && leader != failed)
            {
                var leaderIndex = _endpoints.IndexOf(leader);
                if (leaderIndex < 0)
                {
                    _endpoints.Add(leader);
                    leaderIndex = _endpoints.Count - 1;
                }

                _preferred = leaderIndex;
                followedHint = true;
                return leader;
            }

            followedHint = false;
            var next = (failedIndex + 1) % _endpoints.Count;
            // Move the shared starting point only if no other call has moved it meanwhile.
            if (_preferred == failedIndex) _preferred = next;
            return _endpoints[next];
        }
    }

    /// <summary>Records that <paramref name="endpoint"/> answered: new calls start there.</summary>
    public void Succeeded(string endpoint)
    {
        lock (_lock)
        {
            var index = _endpoints.IndexOf(endpoint);
            if (index >= 0) _preferred = index;
        }
    }
}
