namespace ControlPlane.Node.Security;

/// <summary>Who a token belongs to: the principal recorded with every command it writes, and its role.</summary>
public sealed record CallerIdentity(string Principal, AccessRole Role);
