using System.Text.Json;
using Tributary.Connectors.Commercetools;
using Tributary.Connectors.Commercetools.Api;

namespace Tributary.Tests.Contracts;

/// <summary>The shopping list shapes the connector reads, held to commercetools' published example payloads.</summary>
[Connector]
public class CommercetoolsShoppingListContractTests
{
    // The connector's source-generated context is internal; these are its settings (camelCase, strict numbers).
    private static readonly JsonSerializerOptions WireOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };

    [Fact]
    public void PublishedLineItem_WithoutExpansion_HasNoVariant_SoWatchersMustAskForIt()
    {
        var json = PublishedContracts.Read("commercetools", "examples", "ShoppingList", "ShoppingListLineItem.json");

        var line = JsonSerializer.Deserialize<ShoppingListLineItemDto>(json, WireOptions).ShouldNotBeNull();

        line.VariantId.ShouldBe(2);
        line.Variant.ShouldBeNull();
        CommercetoolsSource.VariantExpansion.ShouldBe("lineItems[*].variant");
    }

    [Fact]
    public void OpenApi_ShoppingListLineItem_DeclaresVariantAsAnOptionalProductVariant()
    {
        var yaml = PublishedContracts.Read("commercetools", "openapi.yaml");
        var start = yaml.IndexOf("\n    ShoppingListLineItem:\n", StringComparison.Ordinal);
        start.ShouldBeGreaterThan(0);
        var end = yaml.IndexOf("\n    ShoppingListLineItemDraft:", start, StringComparison.Ordinal);
        var schema = yaml[start..end];

        schema.ShouldContain("variant:\n          $ref: '#/components/schemas/ProductVariant'");
        var required = schema[schema.IndexOf("required:", StringComparison.Ordinal)..schema.IndexOf("properties:", StringComparison.Ordinal)];
        required.ShouldNotContain("- variant\n");
    }
}
