using Xunit.Abstractions;
using Xunit.Sdk;

namespace Tributary.Tests;

/// <summary>
/// The layer a test class belongs to, as the trait <c>Layer</c>: <c>dotnet test --filter Layer=Unit</c> runs one layer. Every
/// test class carries exactly one (the architecture tests fail otherwise); a derived class inherits its base's. See the
/// "Run the tests" section of README.md for what belongs where.
/// </summary>
[TraitDiscoverer(LayerDiscoverer.TypeName, LayerDiscoverer.AssemblyName)]
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public abstract class LayerAttribute(string layer) : Attribute, ITraitAttribute
{
    /// <summary>The trait's name.</summary>
    public const string Trait = "Layer";

    /// <summary>The trait's value.</summary>
    public string Layer { get; } = layer;
}

/// <summary>One class or the engine over fakes or a temporary SQLite file: no network, no other process.</summary>
[TraitDiscoverer(LayerDiscoverer.TypeName, LayerDiscoverer.AssemblyName)]
public sealed class UnitAttribute() : LayerAttribute("Unit");

/// <summary>A connector against its platform's emulator, or an emulator itself.</summary>
[TraitDiscoverer(LayerDiscoverer.TypeName, LayerDiscoverer.AssemblyName)]
public sealed class ConnectorAttribute() : LayerAttribute("Connector");

/// <summary>A store's compliance suite on SQLite and PostgreSQL.</summary>
[TraitDiscoverer(LayerDiscoverer.TypeName, LayerDiscoverer.AssemblyName)]
public sealed class StorageAttribute() : LayerAttribute("Storage");

/// <summary>The host as composed for a run (commands, pipelines, server) against the sandbox.</summary>
[TraitDiscoverer(LayerDiscoverer.TypeName, LayerDiscoverer.AssemblyName)]
public sealed class EndToEndAttribute() : LayerAttribute("EndToEnd");

/// <summary>The dashboard in a real browser.</summary>
[TraitDiscoverer(LayerDiscoverer.TypeName, LayerDiscoverer.AssemblyName)]
public sealed class BrowserAttribute() : LayerAttribute("Browser");

/// <summary>Several workers sharing one store and broker.</summary>
[TraitDiscoverer(LayerDiscoverer.TypeName, LayerDiscoverer.AssemblyName)]
public sealed class ClusterAttribute() : LayerAttribute("Cluster");

/// <summary>Faults, kills, restarts and load: slow and timing-sensitive.</summary>
[TraitDiscoverer(LayerDiscoverer.TypeName, LayerDiscoverer.AssemblyName)]
public sealed class ReliabilityAttribute() : LayerAttribute("Reliability");

/// <summary>Turns a <see cref="LayerAttribute"/> into the <c>Layer</c> trait xunit filters on.</summary>
public sealed class LayerDiscoverer : ITraitDiscoverer
{
    /// <summary>This type's full name, for <see cref="TraitDiscovererAttribute"/>.</summary>
    public const string TypeName = "Tributary.Tests.LayerDiscoverer";

    /// <summary>This assembly's name, for <see cref="TraitDiscovererAttribute"/>.</summary>
    public const string AssemblyName = "Tributary.Tests";

    /// <inheritdoc />
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute)
    {
        if (traitAttribute is IReflectionAttributeInfo { Attribute: LayerAttribute layer })
        {
            yield return new KeyValuePair<string, string>(LayerAttribute.Trait, layer.Layer);
        }
    }
}
