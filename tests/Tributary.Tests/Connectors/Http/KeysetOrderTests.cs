using Tributary.Connectors.Http;
using Tributary.Core.Model;

namespace Tributary.Tests.Connectors.Http;

[Unit]
public sealed class KeysetOrderTests
{
    [Fact]
    public void Check_PagesInOrder_Pass()
    {
        var order = KeysetOrder.Ordinal("commercetools", EntityKind.Customer, "id", after: null);

        order.Check(["a1", "a2", "b0"]);
        order.Check(["b1", "c0"]);
        order.Check([]);
    }

    [Fact]
    public void Check_PageWhoseFirstIdIsNotAfterThePreviousPagesLast_StopsNamingThePlatformAndThePage()
    {
        var order = KeysetOrder.Ordinal("commercetools", EntityKind.Customer, "id", after: null);
        order.Check(["a1", "a2", "b0"]);

        var error = Should.Throw<KeysetOrderException>(() => order.Check(["b0", "b1"]));

        error.Page.ShouldBe(2);
        error.Platform.ShouldBe("commercetools");
        error.Message.ShouldStartWith("commercetools served page 2 of the customers read out of id order: its first id 'b0' is not after 'b0'");
        error.Message.ShouldContain("cursor was not moved past");
    }

    [Fact]
    public void Check_IdsNotIncreasingWithinAPage_Stops()
    {
        var order = KeysetOrder.Ordinal("commercetools", EntityKind.Order, "id", after: null);

        var error = Should.Throw<KeysetOrderException>(() => order.Check(["a1", "c0", "b0"]));

        error.Page.ShouldBe(1);
        error.Message.ShouldContain("page 1 of the orders read");
        error.Message.ShouldContain("its ids do not increase ('b0' comes after 'c0')");
    }

    [Fact]
    public void Check_FirstPageNotAfterTheKeyTheReadResumedFrom_Stops()
    {
        var order = KeysetOrder.Ordinal("commercetools", EntityKind.Customer, "id", after: "m");

        Should.Throw<KeysetOrderException>(() => order.Check(["a", "z"])).Page.ShouldBe(1);
    }

    [Fact]
    public void Numeric_ComparesAsNumbers_NotAsText()
    {
        var order = KeysetOrder.Numeric("centra", EntityKind.Order, "number", after: "9");

        order.Check(["10", "11", "100"]);
        Should.Throw<KeysetOrderException>(() => order.Check(["99"])).Message.ShouldContain("its first number '99' is not after '100'");
    }
    [Fact]
    public void Text_SkusInOrderUnderAnyCollation_Pass()
    {
        var order = KeysetOrder.Text("centra", EntityKind.Product, "SKU", after: null);

        // Ordinal puts "SKU-B" before "sku-a"; a case-insensitive collation the other way round: neither is taken for a fault.
        order.Check(["SKU-A", "sku-b", "SKU-C", "sku-c2"]);
        order.Check(["SKU-D", "Sku-E", "ski-\u00e9t\u00e9", "SKU-F"]);
    }

    [Fact]
    public void Text_PageFromAnEarlierPoint_StopsNamingThePageAndTheSkuField()
    {
        var order = KeysetOrder.Text("commercetools", EntityKind.Stock, "sku", after: null);
        order.Check(["SKU-0100", "SKU-0200", "SKU-0500"]);

        var error = Should.Throw<KeysetOrderException>(() => order.Check(["SKU-0300", "SKU-0600"]));

        error.Page.ShouldBe(2);
        error.Message.ShouldStartWith("commercetools served page 2 of the stock read out of sku order: its first sku 'SKU-0300' is not after 'SKU-0500'");
    }

    [Fact]
    public void Text_SkuServedTwice_Stops()
    {
        var order = KeysetOrder.Text("centra", EntityKind.Stock, "SKU", after: "SKU-0100");

        Should.Throw<KeysetOrderException>(() => order.Check(["SKU-0100"])).Page.ShouldBe(1);
    }
}
