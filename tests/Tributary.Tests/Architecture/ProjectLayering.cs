using System.Reflection;
using NetArchTest.Rules;

namespace Tributary.Tests.Architecture;

/// <summary>
/// The rules of the house, as checks over which product assembly uses which (compiled references: what the code really
/// uses, not what a project file lists) and, per type, which namespaces it depends on (NetArchTest). The checks take their
/// input as arguments so a test can show each one catching a deliberate violation.
/// </summary>
public static class ProjectLayering
{
    /// <summary>The shared HTTP helper every connector may use.</summary>
    public const string ConnectorHttp = "Tributary.Connectors.Http";

    /// <summary>The demo and sandbox verbs: the one product assembly that may use the emulators.</summary>
    public const string Demo = "Tributary.Demo";

    private const string Prefix = "Tributary.";

    // The emulators' data generator: followed like a Tributary assembly so no product assembly picks it up unnoticed.
    private const string Bogus = "Bogus";

    /// <summary>The product's assemblies: one per project folder under src/ (a new connector is covered once it has a folder).</summary>
    public static IReadOnlyList<string> ProductAssemblyNames() =>
        [.. Directory.GetDirectories(Path.Combine(RepoRoot.Path, "src"))
            .Where(d => File.Exists(Path.Combine(d, Path.GetFileName(d) + ".csproj")))
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal)];

    /// <summary>Whether <paramref name="assembly"/> is a platform connector (the shared HTTP helper is not one).</summary>
    public static bool IsConnector(string assembly) =>
        assembly.StartsWith("Tributary.Connectors.", StringComparison.Ordinal) && assembly != ConnectorHttp;

    /// <summary>Each product assembly by name with the Tributary assemblies it uses.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ReferenceGraph(IEnumerable<Assembly> assemblies) =>
        assemblies.ToDictionary(
            a => a.GetName().Name!,
            a => (IReadOnlyList<string>)[.. a.GetReferencedAssemblies()
                .Select(r => r.Name!)
                .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) || n == Bogus)
                .Order(StringComparer.Ordinal)]);

    /// <summary>
    /// A connector uses only the core model and the shared HTTP helper: never the engine, a store, the workers, the host,
    /// the sandbox or another connector. The HTTP helper itself uses only the core.
    /// </summary>
    public static IReadOnlyList<string> ConnectorViolations(IReadOnlyDictionary<string, IReadOnlyList<string>> graph)
    {
        var violations = new List<string>();
        foreach (var (assembly, uses) in graph)
        {
            if (IsConnector(assembly))
            {
                violations.AddRange(uses
                    .Where(u => u != "Tributary.Core" && u != ConnectorHttp)
                    .Select(u => $"{assembly} uses {u}: a connector may use only Tributary.Core and {ConnectorHttp}"));
            }
            else if (assembly == ConnectorHttp)
            {
                violations.AddRange(uses
                    .Where(u => u != "Tributary.Core")
                    .Select(u => $"{assembly} uses {u}: the shared HTTP helper may use only Tributary.Core"));
            }
        }

        return violations;
    }

    /// <summary>
    /// The floors below the host stay below it: the core uses no other Tributary assembly; the engine uses only the core; the
    /// stores use only the core and the SQL core they share (<c>Tributary.Storage.Sql</c>); nothing uses the host but the demo
    /// module, which plugs its verbs into it.
    /// </summary>
    public static IReadOnlyList<string> FloorViolations(IReadOnlyDictionary<string, IReadOnlyList<string>> graph)
    {
        var violations = new List<string>();
        foreach (var (assembly, uses) in graph)
        {
            IEnumerable<string> bad = assembly switch
            {
                "Tributary.Core" => uses,
                "Tributary.Engine" => uses.Where(u => u != "Tributary.Core"),
                _ when assembly.StartsWith("Tributary.Storage.", StringComparison.Ordinal) =>
                    uses.Where(u => u != "Tributary.Core" && u != "Tributary.Storage.Sql"),
                Demo => [],
                _ => uses.Where(u => u == "Tributary.Host"),
            };
            violations.AddRange(bad.Select(u => $"{assembly} uses {u}"));
        }

        return violations;
    }

    /// <summary>
    /// The product runs without the emulators: only the demo module uses the sandbox or Bogus, and nothing uses the demo
    /// module (the host loads it by name when its verbs are invoked).
    /// </summary>
    public static IReadOnlyList<string> EmulatorViolations(IReadOnlyDictionary<string, IReadOnlyList<string>> graph)
    {
        var violations = new List<string>();
        foreach (var (assembly, uses) in graph)
        {
            violations.AddRange(uses
                .Where(u => u == Demo || (assembly != Demo && (u == "Tributary.Sandbox" || u == Bogus)))
                .Select(u => $"{assembly} uses {u}: only {Demo} may use the emulators, and the host loads {Demo} by name"));
        }

        return violations;
    }

    /// <summary>
    /// Type by type, <paramref name="assembly"/> depends on none of the namespaces a connector must not: the engine, the
    /// stores, the workers, the host, the sandbox, and every connector but <paramref name="ownNamespace"/>.
    /// </summary>
    public static IReadOnlyList<string> ConnectorTypeViolations(Assembly assembly, string ownNamespace, IEnumerable<string> connectorNamespaces)
    {
        string[] forbidden =
        [
            "Tributary.Engine", "Tributary.Storage", "Tributary.Workers", "Tributary.Host", "Tributary.Sandbox",
            .. connectorNamespaces.Where(n => n != ownNamespace && n != ConnectorHttp),
        ];
        var result = Types.InAssembly(assembly).ShouldNot().HaveDependencyOnAny(forbidden).GetResult();
        return result.IsSuccessful ? [] : [.. result.FailingTypeNames];
    }

    /// <summary>
    /// The host's types that name a platform: those that depend on a connector's namespace (its module, settings or connector
    /// types), except the <paramref name="allowed"/> types (by full name, with their nested and compiler-made types). The host
    /// reaches platforms only through the modules it discovers from its connector references (Composition/ConnectorCatalog).
    /// </summary>
    public static IReadOnlyList<string> HostPlatformViolations(Assembly host, IEnumerable<string> connectorNamespaces, IReadOnlySet<string> allowed)
    {
        string[] platforms = [.. connectorNamespaces.Where(n => n != ConnectorHttp)];
        var result = Types.InAssembly(host).ShouldNot().HaveDependencyOnAny(platforms).GetResult();
        return result.IsSuccessful ? [] : [.. result.FailingTypeNames.Select(OuterType).Where(t => !allowed.Contains(t)).Distinct()];
    }

    // "A.B+<>c" and "A.B/<Lambda>d__1" belong to A.B.
    private static string OuterType(string typeName) => typeName.Split('+', '/')[0];
}
