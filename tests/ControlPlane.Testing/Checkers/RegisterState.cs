namespace ControlPlane.Testing.Checkers;

/// <summary>
/// The versioned register of one key, as a linearization builds it: present or not, the value and its
/// resourceVersion (<see cref="UnknownVersion"/> after an indeterminate write, whose resourceVersion nobody was
/// told), and <see cref="Floor"/>, the highest resourceVersion this key is known to have had, which every later
/// write's resourceVersion must exceed.
/// </summary>
internal readonly record struct RegisterState(bool Present, string? Value, long Version, long Floor)
{
    public const long UnknownVersion = -1;

    public static RegisterState Initial => new(false, null, 0, 0);

    /// <summary>A hash of everything but the floor (for a present register with a known version the floor equals it).</summary>
    public int ShapeHash() => HashCode.Combine(Present, Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value), Version);

    /// <summary>
    /// Whether every step possible from <paramref name="other"/> is possible from this state too: the same register
    /// with a floor no higher. Every check on the floor is "above the floor", so a lower floor only allows more.
    /// </summary>
    public bool Covers(in RegisterState other) =>
        Present == other.Present && Version == other.Version && Floor <= other.Floor && string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override string ToString() =>
        !Present ? $"absent (last rv {Floor})"
        : Version == UnknownVersion ? $"present value={OperationText.Value(Value)} rv=unknown (written by an indeterminate operation after rv {Floor})"
        : $"present value={OperationText.Value(Value)} rv={Version}";
}
