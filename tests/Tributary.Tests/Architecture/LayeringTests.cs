using System.Reflection;

namespace Tributary.Tests.Architecture;

/// <summary>The layering of the product assemblies, checked on the built binaries (see <see cref="ProjectLayering"/>).</summary>
[Unit]
public sealed class LayeringTests
{
    private static readonly IReadOnlyList<Assembly> Product = [.. ProjectLayering.ProductAssemblyNames().Select(n => Assembly.Load(new AssemblyName(n)))];

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Graph = ProjectLayering.ReferenceGraph(Product);

    [Fact]
    public void ProductAssemblies_AreTheProjectsUnderSrc_AndIncludeEveryConnector()
    {
        // Guards the guard: a rule over an empty or partial list would pass for nothing.
        Graph.Keys.ShouldContain("Tributary.Core");
        Graph.Keys.ShouldContain("Tributary.Engine");
        Graph.Keys.ShouldContain("Tributary.Host");
        Graph.Keys.Count(ProjectLayering.IsConnector).ShouldBeGreaterThanOrEqualTo(5);
        Graph["Tributary.Host"].ShouldContain("Tributary.Engine");
    }

    [Fact]
    public void Connectors_UseOnlyTheCoreAndTheSharedHttpHelper()
    {
        ProjectLayering.ConnectorViolations(Graph).ShouldBeEmpty();
    }

    [Fact]
    public void ConnectorRule_AConnectorUsingTheEngineAStoreTheHostOrAnotherConnector_IsCaught()
    {
        var graph = new Dictionary<string, IReadOnlyList<string>>
        {
            ["Tributary.Connectors.Acme"] = ["Tributary.Core", "Tributary.Connectors.Http", "Tributary.Engine", "Tributary.Storage.Sqlite", "Tributary.Host", "Tributary.Connectors.Emarsys", "Tributary.Sandbox"],
            ["Tributary.Connectors.Http"] = ["Tributary.Core", "Tributary.Engine"],
            ["Tributary.Host"] = ["Tributary.Connectors.Acme", "Tributary.Engine"],
        };

        var violations = ProjectLayering.ConnectorViolations(graph);

        violations.ShouldBe(
        [
            "Tributary.Connectors.Acme uses Tributary.Engine: a connector may use only Tributary.Core and Tributary.Connectors.Http",
            "Tributary.Connectors.Acme uses Tributary.Storage.Sqlite: a connector may use only Tributary.Core and Tributary.Connectors.Http",
            "Tributary.Connectors.Acme uses Tributary.Host: a connector may use only Tributary.Core and Tributary.Connectors.Http",
            "Tributary.Connectors.Acme uses Tributary.Connectors.Emarsys: a connector may use only Tributary.Core and Tributary.Connectors.Http",
            "Tributary.Connectors.Acme uses Tributary.Sandbox: a connector may use only Tributary.Core and Tributary.Connectors.Http",
            "Tributary.Connectors.Http uses Tributary.Engine: the shared HTTP helper may use only Tributary.Core",
        ]);
    }

    [Fact]
    public void ConnectorTypes_DependOnNoEngineStoreHostSandboxOrOtherConnectorNamespace()
    {
        var connectors = Product.Where(a => ProjectLayering.IsConnector(a.GetName().Name!)).ToList();
        var namespaces = Product.Select(a => a.GetName().Name!).Where(n => n.StartsWith("Tributary.Connectors.", StringComparison.Ordinal)).ToList();

        var violations = connectors.SelectMany(c => ProjectLayering.ConnectorTypeViolations(c, c.GetName().Name!, namespaces)).ToList();

        violations.ShouldBeEmpty();
    }

    [Fact]
    public void ConnectorTypeRule_AnAssemblyWhoseTypesUseTheEngine_IsCaught()
    {
        // The host's types use the engine and every connector: judged as if it were a connector, the same rule must fail.
        var host = Product.Single(a => a.GetName().Name == "Tributary.Host");
        var namespaces = Product.Select(a => a.GetName().Name!).Where(n => n.StartsWith("Tributary.Connectors.", StringComparison.Ordinal));

        ProjectLayering.ConnectorTypeViolations(host, "Tributary.Host", namespaces).ShouldNotBeEmpty();
    }

    [Fact]
    public void Floors_CoreUsesNothing_EngineAndStoresUseOnlyTheCore_NothingUsesTheHost()
    {
        ProjectLayering.FloorViolations(Graph).ShouldBeEmpty();
    }

    [Fact]
    public void FloorRule_TheEngineUsingAStoreOrTheCoreUsingTheEngine_IsCaught()
    {
        var graph = new Dictionary<string, IReadOnlyList<string>>
        {
            ["Tributary.Core"] = ["Tributary.Engine"],
            ["Tributary.Engine"] = ["Tributary.Core", "Tributary.Storage.Sqlite"],
            ["Tributary.Storage.Postgres"] = ["Tributary.Core", "Tributary.Engine"],
            ["Tributary.Workers"] = ["Tributary.Core", "Tributary.Engine", "Tributary.Host"],
        };

        ProjectLayering.FloorViolations(graph).ShouldBe(
        [
            "Tributary.Core uses Tributary.Engine",
            "Tributary.Engine uses Tributary.Storage.Sqlite",
            "Tributary.Storage.Postgres uses Tributary.Engine",
            "Tributary.Workers uses Tributary.Host",
        ]);
    }

    [Fact]
    public void Emulators_UsedOnlyByTheDemoModule_WhichNothingUses()
    {
        Graph.Keys.ShouldContain(ProjectLayering.Demo);
        Graph[ProjectLayering.Demo].ShouldContain("Tributary.Sandbox");
        ProjectLayering.EmulatorViolations(Graph).ShouldBeEmpty();
    }

    [Fact]
    public void EmulatorRule_TheHostUsingTheSandboxOrAnythingUsingTheDemo_IsCaught()
    {
        var graph = new Dictionary<string, IReadOnlyList<string>>
        {
            ["Tributary.Host"] = ["Tributary.Engine", "Tributary.Sandbox", "Tributary.Demo"],
            ["Tributary.Connectors.Acme"] = ["Tributary.Core", "Bogus"],
            ["Tributary.Demo"] = ["Tributary.Host", "Tributary.Sandbox"],
        };

        ProjectLayering.EmulatorViolations(graph).ShouldBe(
        [
            "Tributary.Host uses Tributary.Sandbox: only Tributary.Demo may use the emulators, and the host loads Tributary.Demo by name",
            "Tributary.Host uses Tributary.Demo: only Tributary.Demo may use the emulators, and the host loads Tributary.Demo by name",
            "Tributary.Connectors.Acme uses Bogus: only Tributary.Demo may use the emulators, and the host loads Tributary.Demo by name",
        ]);
    }

    // No host type may name a platform: registration is the connector references of the host project, not code (the sandbox
    // wiring, which does name them, lives in Tributary.Demo).
    private static readonly IReadOnlySet<string> NoType = new HashSet<string>(StringComparer.Ordinal);

    [Fact]
    public void HostTypes_NameNoPlatform()
    {
        var host = Product.Single(a => a.GetName().Name == "Tributary.Host");

        ProjectLayering.HostPlatformViolations(host, ConnectorNamespaces(), NoType).ShouldBeEmpty();
    }

    [Fact]
    public void HostPlatformRule_AnAssemblyWhoseTypesNameAPlatform_IsCaught()
    {
        // The test assembly names every platform (its connector tests): judged as the host, the same rule must fail.
        var tests = typeof(LayeringTests).Assembly;

        var violations = ProjectLayering.HostPlatformViolations(tests, ConnectorNamespaces(), NoType);

        violations.ShouldContain("Tributary.Tests.Connectors.Emarsys.EmarsysModuleTests");
    }

    [Fact]
    public void ConnectorCatalog_FindsEveryReferencedConnectorModule_InRegistrationOrder()
    {
        var modules = Tributary.Host.Composition.ConnectorCatalog.Modules;

        modules.Select(m => m.Platform).ShouldBe(["commercetools", "centra", "cin7core", "emarsys", "dotdigital"]);
        // Registration is the host project's connector references, nothing else: every one of them yields its module, in order.
        var registered = System.Xml.Linq.XDocument.Load(Path.Combine(RepoRoot.Path, "src", "Tributary.Host", "Tributary.Host.csproj"))
            .Descendants("ProjectReference").Where(r => (string?)r.Attribute("Connector") == "true")
            .Select(r => Path.GetFileNameWithoutExtension((string)r.Attribute("Include")!));
        modules.Select(m => m.GetType().Assembly.GetName().Name!).ShouldBe(registered);
    }

    private static List<string> ConnectorNamespaces() =>
        [.. Product.Select(a => a.GetName().Name!).Where(n => n.StartsWith("Tributary.Connectors.", StringComparison.Ordinal))];
}
