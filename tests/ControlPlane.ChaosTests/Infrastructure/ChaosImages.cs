using Docker.DotNet;
using Docker.DotNet.Models;

namespace ControlPlane.ChaosTests.Infrastructure;

/// <summary>
/// Names of the locally built images (scripts/chaos-setup.sh). Nothing is ever pulled: there is no registry, so a
/// missing image is reported with the command that builds it instead of a slow pull failure.
/// </summary>
public static class ChaosImages
{
    public const string DefaultNodeImage = "controlplane-node:chaos";

    /// <summary>The node image: CHAOS_NODE_IMAGE, else <see cref="DefaultNodeImage"/>.</summary>
    public static string NodeImage =>
        Environment.GetEnvironmentVariable("CHAOS_NODE_IMAGE") is { Length: > 0 } image ? image : DefaultNodeImage;

    /// <summary>The base image: CHAOS_BASE_IMAGE, else the newest image labelled as the chaos base.</summary>
    public static async Task<string> ResolveBaseImageAsync(IDockerClient docker, CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable("CHAOS_BASE_IMAGE") is { Length: > 0 } configured)
        {
            await EnsureExistsAsync(docker, configured, cancellationToken);
            return configured;
        }

        var images = await docker.Images.ListImagesAsync(
            new ImagesListParameters
            {
                Filters = new Dictionary<string, IDictionary<string, bool>>
                {
                    ["label"] = new Dictionary<string, bool> { [$"{ChaosLabels.Image}=base"] = true },
                },
            },
            cancellationToken);
        var newest = images
            .Where(i => i.RepoTags is { Count: > 0 } && !i.RepoTags[0].StartsWith("<none>", StringComparison.Ordinal))
            .OrderByDescending(i => i.Created)
            .FirstOrDefault();
        return newest?.RepoTags[0] ?? throw new InvalidOperationException(
            $"No chaos base image (label {ChaosLabels.Image}=base) on this Docker host. " +
            "Build it with: CHAOS_SKIP_NODE=1 scripts/chaos-setup.sh");
    }

    /// <summary>Fails with the command that builds <paramref name="image"/> when the Docker host does not have it.</summary>
    public static async Task EnsureExistsAsync(IDockerClient docker, string image, CancellationToken cancellationToken)
    {
        try
        {
            await docker.Images.InspectImageAsync(image, cancellationToken);
        }
        catch (DockerImageNotFoundException)
        {
            throw new InvalidOperationException(
                $"Docker image '{image}' not found and there is no registry to pull it from. " +
                "Build it with: scripts/chaos-setup.sh (set CHAOS_NODE_IMAGE to change the node image name).");
        }
    }
}
