using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ControlPlane.Controllers.Runtime;

/// <summary>Registers the controller runtime. The composition root must also register IResourceStore and ILeadership.</summary>
public static class ControllerServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ControllerHost"/> as a hosted service, with <see cref="ControllerMetrics"/>, validated
    /// <see cref="ControllerHostOptions"/> and <see cref="TimeProvider.System"/> unless a TimeProvider is registered.
    /// Named so it cannot be confused with ASP.NET Core MVC's <c>AddControllers</c>.
    /// </summary>
    public static IServiceCollection AddControlPlaneControllers(this IServiceCollection services, Action<ControllerHostOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        var options = services.AddOptions<ControllerHostOptions>().ValidateOnStart();
        if (configure is not null) options.Configure(configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ControllerHostOptions>, ControllerHostOptionsValidator>());
        services.TryAddSingleton<ControllerMetrics>();
        services.TryAddSingleton<ControllerHost>();
        services.AddHostedService(sp => sp.GetRequiredService<ControllerHost>());
        return services;
    }

    /// <summary>Adds one controller; <paramref name="factory"/> runs once, when the host is built.</summary>
    public static IServiceCollection AddController(this IServiceCollection services, Func<IServiceProvider, ControllerDefinition> factory)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(factory);
        return services.AddSingleton(factory);
    }
}
