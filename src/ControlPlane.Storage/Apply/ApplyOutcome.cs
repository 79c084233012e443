using ControlPlane.Core.Store;
using ControlPlane.Storage.State;

namespace ControlPlane.Storage.Apply;

/// <summary>The next state, the answer to the proposer, and the change to publish (null when nothing changed).</summary>
public readonly record struct ApplyOutcome(StoreState State, WriteResult Result, ResourceChange? Change);
