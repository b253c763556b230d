using System.Reflection;
using System.Reflection.Emit;

namespace Tributary.Tests.Architecture;

/// <summary>Every test class is in exactly one layer, so <c>dotnet test --filter Layer=…</c> splits the suite completely.</summary>
[Unit]
public sealed class TestLayerTests
{
    [Fact]
    public void EveryTestClass_HasALayer()
    {
        var classes = TestClasses(typeof(TestLayerTests).Assembly.GetTypes());

        classes.Count.ShouldBeGreaterThan(50);
        Unlayered(classes).ShouldBeEmpty("mark each with one of [Unit], [Connector], [Storage], [EndToEnd], [Browser], [Cluster], [Reliability] (README.md, Run the tests)");
    }

    [Fact]
    public void EveryLayer_HasTests()
    {
        var layers = TestClasses(typeof(TestLayerTests).Assembly.GetTypes())
            .SelectMany(t => t.GetCustomAttributes<LayerAttribute>(inherit: true))
            .Select(a => a.Layer)
            .ToHashSet();

        layers.ShouldBe(["Unit", "Connector", "Storage", "EndToEnd", "Browser", "Cluster", "Reliability"], ignoreOrder: true);
    }

    [Fact]
    public void Check_ATestClassWithoutALayer_IsCaught()
    {
        // Built at run time so xunit never discovers them as tests of this suite.
        var module = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("Tributary.Tests.Synthetic"), AssemblyBuilderAccess.Run).DefineDynamicModule("Synthetic");
        var unlayered = TestClass(module, "Synthetic.Unlayered", layer: null);
        var layered = TestClass(module, "Synthetic.Layered", layer: typeof(UnitAttribute));
        var derived = module.DefineType("Synthetic.Derived", TypeAttributes.Public | TypeAttributes.Class, layered).CreateType();

        var classes = TestClasses([unlayered, layered, derived]);

        classes.ShouldBe([unlayered, layered, derived], ignoreOrder: true);
        Unlayered(classes).ShouldBe(["Synthetic.Unlayered"]);
    }

    /// <summary>The concrete classes xunit runs: those with a <c>[Fact]</c> or <c>[Theory]</c> method, declared or inherited.</summary>
    private static List<Type> TestClasses(IEnumerable<Type> types) =>
        [.. types.Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false }
            && t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static).Any(m => m.IsDefined(typeof(FactAttribute), inherit: true)))];

    private static List<string> Unlayered(IEnumerable<Type> classes) =>
        [.. classes.Where(t => t.GetCustomAttributes<LayerAttribute>(inherit: true).Count() != 1).Select(t => t.FullName!)];

    private static Type TestClass(ModuleBuilder module, string name, Type? layer)
    {
        var type = module.DefineType(name, TypeAttributes.Public | TypeAttributes.Class);
        if (layer is not null)
        {
            type.SetCustomAttribute(new CustomAttributeBuilder(layer.GetConstructor(Type.EmptyTypes)!, []));
        }

        var method = type.DefineMethod("Test", MethodAttributes.Public, typeof(void), Type.EmptyTypes);
        method.SetCustomAttribute(new CustomAttributeBuilder(typeof(FactAttribute).GetConstructor(Type.EmptyTypes)!, []));
        method.GetILGenerator().Emit(OpCodes.Ret);
        return type.CreateType();
    }
}
