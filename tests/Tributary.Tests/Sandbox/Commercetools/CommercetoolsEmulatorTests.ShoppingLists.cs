using Tributary.Sandbox.Commercetools;

namespace Tributary.Tests.Sandbox.Commercetools;

public sealed partial class CommercetoolsEmulatorTests
{
    [Fact]
    public async Task QueryShoppingLists_WithoutExpansion_LinesCarryNoVariant()
    {
        await using var h = await EmulatorHarness.StartAsync();
        h.Emulator.AddShoppingLists([WishList()]);

        var (response, body) = await h.GetAsync("demo/shopping-lists");

        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        var line = body.GetProperty("results")[0].GetProperty("lineItems")[0];
        line.GetProperty("variantId").GetInt32().ShouldBe(2);
        line.TryGetProperty("variant", out _).ShouldBeFalse("the platform writes the variant only when it is expanded");
    }

    [Fact]
    public async Task QueryShoppingLists_WithVariantExpansion_LinesCarryTheVariantSku()
    {
        await using var h = await EmulatorHarness.StartAsync();
        h.Emulator.AddShoppingLists([WishList()]);

        var (_, body) = await h.GetAsync("demo/shopping-lists?expand=" + Uri.EscapeDataString("lineItems[*].variant"));

        var line = body.GetProperty("results")[0].GetProperty("lineItems")[0];
        line.GetProperty("variant").GetProperty("sku").GetString().ShouldBe("SKU-2");
    }

    private static SandboxShoppingList WishList() => new()
    {
        CustomerId = "c-1",
        Name = { ["en"] = "Wishlist" },
        LineItems = [new SandboxShoppingListLine("l-1", "p-1", 2, "SKU-2", Start)],
    };
}
