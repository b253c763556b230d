namespace Tributary.Core.Modules;

/// <summary>
/// Names the one connector module of a connector assembly (<c>[assembly: ConnectorModule(typeof(CentraModule))]</c>). The host
/// finds modules through this attribute on the connector assemblies it references, so adding a platform never edits the host's
/// code (docs/architecture.md, "Where a new connector goes").
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class ConnectorModuleAttribute : Attribute
{
    /// <summary>Names the module type; it must implement <see cref="IConnectorModule"/> and have a public parameterless constructor.</summary>
    public ConnectorModuleAttribute(Type moduleType) => ModuleType = moduleType;

    /// <summary>The module type.</summary>
    public Type ModuleType { get; }
}
