using System.Reflection;
using Tributary.Core.Modules;

namespace Tributary.Host.Composition;

/// <summary>
/// The connector modules this build carries. A connector is registered by one line, its <c>ProjectReference</c> with
/// <c>Connector="true"</c> in src/Tributary.Host/Tributary.Host.csproj: the build records the referenced connector assemblies
/// as assembly metadata of the host, and each of them names its module with <see cref="ConnectorModuleAttribute"/>. The host's code
/// names no platform. Modules keep the order of the references (error messages list the platforms in it).
/// </summary>
public static class ConnectorCatalog
{
    /// <summary>The metadata value that marks an entry as a connector assembly (the key is the assembly name).</summary>
    internal const string ConnectorMarker = "Tributary.Connector";

    private static readonly Lazy<IReadOnlyList<IConnectorModule>> Loaded = new(Discover);

    /// <summary>Every module, sources and destinations, in registration order.</summary>
    public static IReadOnlyList<IConnectorModule> Modules => Loaded.Value;

    /// <summary>The source modules.</summary>
    public static IEnumerable<ISourceModule> Sources => Modules.OfType<ISourceModule>();

    /// <summary>The destination modules.</summary>
    public static IEnumerable<IDestinationModule> Destinations => Modules.OfType<IDestinationModule>();

    private static List<IConnectorModule> Discover()
    {
        var modules = new List<IConnectorModule>();
        foreach (var entry in typeof(ConnectorCatalog).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                     .Where(a => a.Value == ConnectorMarker))
        {
            var assembly = Assembly.Load(new AssemblyName(entry.Key));
            var attribute = assembly.GetCustomAttribute<ConnectorModuleAttribute>()
                ?? throw new InvalidOperationException($"{entry.Key} is referenced as a connector but names no module ([assembly: ConnectorModule(typeof(...))]).");
            if (Activator.CreateInstance(attribute.ModuleType) is not IConnectorModule module)
            {
                throw new InvalidOperationException($"{attribute.ModuleType} is not an {nameof(IConnectorModule)}.");
            }

            if (modules.Any(m => m.Platform == module.Platform))
            {
                throw new InvalidOperationException($"Two connector modules claim the platform '{module.Platform}'.");
            }

            modules.Add(module);
        }

        return modules;
    }
}
