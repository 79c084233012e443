using ControlPlane.Core.Resources;

namespace ControlPlane.Storage.Apply;

/// <summary>What one applied write changed: the object before and after (null when absent).</summary>
public sealed record ResourceChange(long ResourceVersion, StoredResource? Previous, StoredResource? Current)
{
    public ResourceKey Key => (Current ?? Previous)!.Key;
}
