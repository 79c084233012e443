namespace ControlPlane.Testing.Checkers;

/// <summary>
/// The sequential specification of one key: a versioned register whose store assigns increasing resourceVersions.
/// <see cref="Step"/> applies one operation to a state and says whether the recorded outcome is possible there.
/// Unknown resourceVersions (from indeterminate writes) are bound to the first one observed; where the model
/// cannot tell, it allows the outcome, so it may miss a violation but never invents one.
/// </summary>
internal static class RegisterModel
{
    private const string Illegal = "illegal";

    /// <summary>Whether the operation takes part in the search: Failed reads, Failed unconditional writes and Rejected failures say nothing about the state.</summary>
    public static bool Constrains(Operation op) => op.Outcome switch
    {
        OperationOutcome.Ok => true,
        OperationOutcome.Indeterminate => op.Kind != OperationKind.Read,
        _ => op.Failure != FailureReason.Rejected && op.Kind is not (OperationKind.Read or OperationKind.Write),
    };

    /// <summary>
    /// The highest <see cref="RegisterState.Floor"/> at which a determinate operation can still be placed: every
    /// step keeps or raises the floor, and a present register with a known resourceVersion has it equal to the
    /// floor, so an operation that needs to see (or return) resourceVersion r is dead once the floor passes r.
    /// The search uses it to abandon an order as soon as it has skipped an operation it can no longer place.
    /// </summary>
    public static long Deadline(Operation op)
    {
        if (op.Outcome == OperationOutcome.Indeterminate) return long.MaxValue;
        var deadline = long.MaxValue;
        if (op.Kind != OperationKind.Create && op.ExpectedVersion is { } expected && op.Outcome == OperationOutcome.Ok)
        {
            deadline = expected;
        }

        if (op.OutputVersion is { } version && version > 0 && (op.Kind != OperationKind.Delete || op.Outcome == OperationOutcome.Failed))
        {
            deadline = Math.Min(deadline, version);
        }

        return deadline;
    }

    /// <summary>
    /// An indeterminate operation whose effect leaves the floor alone (no expected resourceVersion to bind):
    /// placing it and then directly an <see cref="Overwrites"/> operation is never better than leaving it out.
    /// </summary>
    public static bool IsFloorNeutralIndeterminate(Operation op) =>
        op.Outcome == OperationOutcome.Indeterminate && op.Kind != OperationKind.Read && op.ExpectedVersion is null && op.Kind != OperationKind.ConditionalWrite;

    /// <summary>
    /// A successful or indeterminate unconditional Write or Delete: its result does not depend on the value or
    /// resourceVersion it replaces, only on the floor (which a floor-neutral predecessor did not raise).
    /// </summary>
    public static bool Overwrites(Operation op) =>
        op.Outcome != OperationOutcome.Failed && !op.NoOp && op.ExpectedVersion is null && op.Kind is OperationKind.Write or OperationKind.Delete;

    /// <summary>
    /// Applies <paramref name="op"/> (its effect, for an indeterminate one) to <paramref name="state"/>. Returns
    /// null and the next state when the recorded outcome is possible; otherwise a reason, spelled out only when
    /// <paramref name="explain"/> is set.
    /// </summary>
    public static string? Step(in RegisterState state, Operation op, out RegisterState next, bool explain)
    {
        next = state;
        return op.Outcome switch
        {
            OperationOutcome.Failed => Failed(state, op, out next, explain),
            _ when op.Kind == OperationKind.Read => Read(state, op, out next, explain),
            _ => Mutation(state, op, out next, explain),
        };
    }

    private static string? Read(in RegisterState state, Operation op, out RegisterState next, bool explain)
    {
        next = state;
        if (op.OutputVersion is not { } seen)
        {
            return !state.Present ? null : explain ? $"it read the key as absent but the register is {state}" : Illegal;
        }

        if (!state.Present) return explain ? $"it read value={OperationText.Value(op.OutputValue)} rv={seen} but the key is {state}" : Illegal;
        if (!string.Equals(state.Value, op.OutputValue, StringComparison.Ordinal))
        {
            return explain ? $"it read value={OperationText.Value(op.OutputValue)} rv={seen} but the register is {state}" : Illegal;
        }

        return Observe(state, seen, out next, explain, "it read");
    }

    private static string? Failed(in RegisterState state, Operation op, out RegisterState next, bool explain)
    {
        next = state;
        if (op.OutputVersion is { } current)
        {
            // The server reported the current resourceVersion with the failure (0: absent).
            if (current == 0 && state.Present) return explain ? $"the server reported the key absent but the register is {state}" : Illegal;
            if (current != 0)
            {
                if (!state.Present) return explain ? $"the server reported current rv={current} but the key is {state}" : Illegal;
                var observed = Observe(state, current, out next, explain, "the server reported current");
                if (observed is not null) return observed;
            }
        }

        var s = next;
        return op.Kind switch
        {
            OperationKind.Create => s.Present ? null : explain ? $"a Create may fail only when the key is present, but it is {s}" : Illegal,
            OperationKind.Delete when op.ExpectedVersion is null =>
                !s.Present ? null : explain ? $"an unconditional Delete may fail only when the key is absent, but it is {s}" : Illegal,
            _ => !s.Present || s.Version != op.ExpectedVersion
                ? null
                : explain ? $"it expected rv={op.ExpectedVersion}, which matches the register ({s}), so it had to succeed" : Illegal,
        };
    }

    private static string? Mutation(in RegisterState state, Operation op, out RegisterState next, bool explain)
    {
        next = state;
        var returned = op.Outcome == OperationOutcome.Ok ? op.OutputVersion : null;
        var s = state;
        if (op.ExpectedVersion is { } expected && op.Kind != OperationKind.Create)
        {
            if (!s.Present)
            {
                return explain ? $"it expected rv={expected} but the key is {s}" : Illegal;
            }

            var matched = Observe(s, expected, out s, explain, "it expected");
            if (matched is not null) return matched;
        }

        if (op.Kind == OperationKind.Delete)
        {
            if (!s.Present)
            {
                // Deleting an absent key is a NoOp; for an indeterminate delete that is the same as omitting it,
                // which the search already tries, so it is not a second branch.
                return op.Outcome == OperationOutcome.Ok ? null
                    : explain ? "the key is absent, so applying it here is the same as omitting it" : Illegal;
            }

            if (op.NoOp) return explain ? $"the server answered NoOp but the key is {s}" : Illegal;
            var floor = s.Floor;
            if (returned is { } deleted)
            {
                if (deleted <= floor) return explain ? $"it returned rv={deleted}, not above the key's last rv {floor}" : Illegal;
                floor = deleted;
            }

            next = new RegisterState(false, null, 0, floor);
            return null;
        }

        if (op.NoOp || IsIdenticalWrite(s, op, returned))
        {
            if (!s.Present || !string.Equals(s.Value, op.Value, StringComparison.Ordinal))
            {
                return explain ? $"the server answered NoOp (identical write) but the register is {s}" : Illegal;
            }

            return returned is { } unchanged ? Observe(s, unchanged, out next, explain, "it returned") : null;
        }

        if (op.Kind == OperationKind.Create && s.Present)
        {
            return explain ? $"a Create can succeed only on an absent key, but it is {s}" : Illegal;
        }

        if (returned is { } version)
        {
            if (version <= s.Floor) return explain ? $"it returned rv={version}, not above the key's last rv {s.Floor} ({s})" : Illegal;
            next = new RegisterState(true, op.Value, version, version);
        }
        else
        {
            next = new RegisterState(true, op.Value, RegisterState.UnknownVersion, s.Floor);
        }

        return null;
    }

    /// <summary>An Ok write that returned the current resourceVersion with the current value: the server's NoOp, unflagged.</summary>
    private static bool IsIdenticalWrite(in RegisterState s, Operation op, long? returned) =>
        returned is { } r && op.Kind != OperationKind.Create && s.Present && r == s.Version && string.Equals(s.Value, op.Value, StringComparison.Ordinal);

    /// <summary>Checks an observed resourceVersion of a present register, binding an unknown one.</summary>
    private static string? Observe(in RegisterState state, long observed, out RegisterState next, bool explain, string what)
    {
        next = state;
        if (state.Version == RegisterState.UnknownVersion)
        {
            if (observed <= state.Floor)
            {
                return explain ? $"{what} rv={observed} but the register was written after rv {state.Floor} ({state})" : Illegal;
            }

            next = state with { Version = observed, Floor = observed };
            return null;
        }

        return observed == state.Version ? null : explain ? $"{what} rv={observed} but the register is {state}" : Illegal;
    }
}
