using System.Collections.Frozen;

namespace ControlPlane.Node.Security;

/// <summary>
/// The verb each gRPC method needs. Deny by default: a method that is not listed here is refused to everyone but
/// the members, so a new RPC stays closed until someone decides who may call it. Only the health check is open.
/// </summary>
public static class MethodPolicy
{
    private const string Resources = "/controlplane.v1.ResourceService/";
    private const string Cluster = "/controlplane.v1.ClusterService/";
    private const string Admin = "/controlplane.v1.AdminService/";

    private static readonly FrozenDictionary<string, AccessVerb> Verbs = new Dictionary<string, AccessVerb>(StringComparer.Ordinal)
    {
        [Resources + "GetResource"] = AccessVerb.Read,
        [Resources + "ListResources"] = AccessVerb.Read,
        [Resources + "ListKinds"] = AccessVerb.Read,
        [Resources + "WatchResources"] = AccessVerb.Read,
        [Resources + "CreateResource"] = AccessVerb.Write,
        [Resources + "UpdateResource"] = AccessVerb.Write,
        [Resources + "PatchResource"] = AccessVerb.Write,
        [Resources + "DeleteResource"] = AccessVerb.Write,
        [Resources + "UpdateResourceStatus"] = AccessVerb.WriteStatus,
        [Cluster + "GetClusterStatus"] = AccessVerb.Read,
        [Cluster + "GetNodeStatus"] = AccessVerb.Read,
        [Admin + "ListMembers"] = AccessVerb.Read,
        [Admin + "AddMember"] = AccessVerb.Admin,
        [Admin + "RemoveMember"] = AccessVerb.Admin,
        [Admin + "ResignLeader"] = AccessVerb.Admin,
        [Admin + "SaveSnapshot"] = AccessVerb.Admin,
        [Admin + "NotifyRemoved"] = AccessVerb.Member,
        ["/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"] = AccessVerb.Read,
        ["/grpc.reflection.v1.ServerReflection/ServerReflectionInfo"] = AccessVerb.Read,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>True for the calls anyone may make without a token: the gRPC health check, which carries no data.</summary>
    public static bool IsOpen(string method) => method.StartsWith("/grpc.health.v1.Health/", StringComparison.Ordinal);

    /// <summary>The verb <paramref name="method"/> needs; an unlisted method needs <see cref="AccessVerb.Member"/>.</summary>
    public static AccessVerb VerbOf(string method) => Verbs.GetValueOrDefault(method, AccessVerb.Member);

    /// <summary>Whether <paramref name="method"/> has a rule of its own (the tests check that every RPC has one).</summary>
    public static bool IsListed(string method) => Verbs.ContainsKey(method);

    /// <summary>Whether a call to <paramref name="method"/> changes something and so goes into the audit log.</summary>
    public static bool IsAudited(string method) => VerbOf(method) is not AccessVerb.Read;
}
