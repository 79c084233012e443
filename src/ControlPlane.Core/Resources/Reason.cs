namespace ControlPlane.Core.Resources;

/// <summary>Why a write was made; recorded with every command for audit.</summary>
public enum Reason : byte
{
    Operator = 1,
    Controller = 2,
    GarbageCollector = 3,
    Admission = 4,
    Scheduler = 5,
}
