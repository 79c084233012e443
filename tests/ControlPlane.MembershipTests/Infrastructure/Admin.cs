using ControlPlane.Contracts.V1;
using ControlPlane.Testing;

namespace ControlPlane.MembershipTests.Infrastructure;

/// <summary>AdminService calls as the tests make them, sent to node <c>via</c> (forwarded to the leader when needed).</summary>
internal static class Admin
{
    public static Task<AddMemberResponse> AddAsync(ProcessCluster cluster, int via, int member, string? requestId = null, int catchUpTimeoutMs = 0)
    {
        var node = cluster.Nodes[member];
        return cluster.CreateAdminClient(via).AddMemberAsync(
            new AddMemberRequest
            {
                Name = node.Name,
                RaftEndpoint = node.RaftEndpoint,
                GrpcEndpoint = node.GrpcEndpoint.GetLeftPart(UriPartial.Authority),
                RequestId = requestId ?? Guid.NewGuid().ToString("D"),
                CatchUpTimeoutMs = catchUpTimeoutMs,
            },
            deadline: DateTime.UtcNow.AddSeconds(60)).ResponseAsync;
    }

    public static Task<RemoveMemberResponse> RemoveByNameAsync(ProcessCluster cluster, int via, string name, string? requestId = null) =>
        cluster.CreateAdminClient(via).RemoveMemberAsync(
            new RemoveMemberRequest { Name = name, RequestId = requestId ?? Guid.NewGuid().ToString("D") },
            deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync;

    public static Task<RemoveMemberResponse> RemoveAsync(ProcessCluster cluster, int via, int member, string? requestId = null) =>
        cluster.CreateAdminClient(via).RemoveMemberAsync(
            new RemoveMemberRequest { RaftEndpoint = cluster.RaftEndpoint(member), RequestId = requestId ?? Guid.NewGuid().ToString("D") },
            deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync;

    public static Task<ListMembersResponse> ListAsync(ProcessCluster cluster, int via, bool local = false) =>
        cluster.CreateAdminClient(via).ListMembersAsync(new ListMembersRequest { Local = local }, deadline: DateTime.UtcNow.AddSeconds(20)).ResponseAsync;

    public static string Names(IEnumerable<Member> members) => string.Join(",", members.Select(m => m.Name).Order(StringComparer.Ordinal));
}
