using ControlPlane.Client;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

#pragma warning disable IDE0130 // Extension methods on IServiceCollection live in its namespace, by convention.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the ControlPlane client in a service collection.</summary>
public static class ControlPlaneClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers one shared <see cref="ControlPlaneClient"/>, also as <see cref="IControlPlaneClient"/>, configured by
    /// <paramref name="configure"/> and validated when first resolved (or at start, in a host).
    /// A registered <see cref="TimeProvider"/> and <see cref="ILogger{TCategoryName}"/> are used when present.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the endpoints, timeouts and retry settings.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddControlPlaneClient(this IServiceCollection services, Action<ControlPlaneClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<ControlPlaneClientOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ControlPlaneClientOptions>, ControlPlaneClientOptionsValidator>());
        services.TryAddSingleton(sp => new ControlPlaneClient(
            sp.GetRequiredService<IOptions<ControlPlaneClientOptions>>().Value,
            sp.GetService<ILogger<ControlPlaneClient>>(),
            sp.GetService<TimeProvider>()));
        services.TryAddSingleton<IControlPlaneClient>(sp => sp.GetRequiredService<ControlPlaneClient>());
        return services;
    }
}
