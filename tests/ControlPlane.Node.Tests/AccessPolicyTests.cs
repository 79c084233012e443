using ControlPlane.Contracts.V1;
using ControlPlane.Node.Security;

namespace ControlPlane.Node.Tests;

public sealed class AccessPolicyTests
{
    [Theory]
    [InlineData(AccessRole.Reader, "Read")]
    [InlineData(AccessRole.Writer, "Read,Write")]
    [InlineData(AccessRole.StatusWriter, "Read,WriteStatus")]
    [InlineData(AccessRole.Admin, "Read,Write,WriteStatus,Admin")]
    [InlineData(AccessRole.Member, "Read,Write,WriteStatus,Admin,Member")]
    public void EachRole_AllowsExactlyItsVerbs(AccessRole role, string verbs)
    {
        var allowed = Enum.GetValues<AccessVerb>().Where(v => role.Allows(v)).Select(v => v.ToString());
        Assert.Equal(verbs, string.Join(',', allowed));
    }

    [Fact]
    public void EveryRpcOfThePublicApi_HasARuleOfItsOwn()
    {
        var methods = new[] { ResourceService.Descriptor, ClusterService.Descriptor, AdminService.Descriptor }
            .SelectMany(s => s.Methods.Select(m => $"/{s.FullName}/{m.Name}"))
            .ToList();
        Assert.NotEmpty(methods);
        Assert.All(methods, m => Assert.True(MethodPolicy.IsListed(m), $"{m} has no rule in MethodPolicy, so only members may call it"));
    }

    [Theory]
    [InlineData("/controlplane.v1.ResourceService/GetResource", AccessVerb.Read)]
    [InlineData("/controlplane.v1.ResourceService/WatchResources", AccessVerb.Read)]
    [InlineData("/controlplane.v1.ResourceService/PatchResource", AccessVerb.Write)]
    [InlineData("/controlplane.v1.ResourceService/UpdateResourceStatus", AccessVerb.WriteStatus)]
    [InlineData("/controlplane.v1.AdminService/AddMember", AccessVerb.Admin)]
    [InlineData("/controlplane.v1.AdminService/SaveSnapshot", AccessVerb.Admin)]
    [InlineData("/controlplane.v1.AdminService/NotifyRemoved", AccessVerb.Member)]
    [InlineData("/controlplane.v1.AdminService/SomethingNew", AccessVerb.Member)]
    public void VerbOf_MapsMethods_AndDeniesUnlistedOnesToClients(string method, AccessVerb expected)
    {
        Assert.Equal(expected, MethodPolicy.VerbOf(method));
        Assert.False(AccessRole.Admin.Allows(MethodPolicy.VerbOf("/controlplane.v1.AdminService/SomethingNew")));
    }

    [Fact]
    public void OnlyTheHealthCheck_IsOpen_AndReadsAreNotAudited()
    {
        Assert.True(MethodPolicy.IsOpen("/grpc.health.v1.Health/Check"));
        Assert.False(MethodPolicy.IsOpen("/controlplane.v1.ResourceService/GetResource"));
        Assert.False(MethodPolicy.IsAudited("/controlplane.v1.ResourceService/ListResources"));
        Assert.True(MethodPolicy.IsAudited("/controlplane.v1.ResourceService/DeleteResource"));
        Assert.True(MethodPolicy.IsAudited("/controlplane.v1.AdminService/RemoveMember"));
    }
}
