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

    public override string ToString() =>
        !Present ? $"absent (last rv {Floor})"
        : Version == UnknownVersion ? $"present value={OperationText.Value(Value)} rv=unknown (written by an indeterminate operation after rv {Floor})"
        : $"present value={OperationText.Value(Value)} rv={Version}";
}
