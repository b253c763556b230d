using System.Text.Json.Nodes;
using Tributary.Connectors.Commercetools;

namespace Tributary.Tests.Contracts;

/// <summary>
/// commercetools' published material as payloads: the OpenAPI document of the HTTP API and the official examples. commercetools
/// publishes examples of common types (money, localized strings, custom fields, references, addresses, channels, shopping list
/// line items, messages) but not of whole customers, orders or products; those are built from the published schema, with every
/// embedded type that has an example taken from it.
/// </summary>
public static class CommercetoolsPayloads
{
    /// <summary>The OpenAPI document, with one correction (see <see cref="Corrected"/>).</summary>
    public static OpenApiDocument Api => Corrected.Value;

    /// <summary>
    /// FieldContainer (the values of Custom Fields) is published as a map of strings, but a custom field holds the JSON type of
    /// its FieldDefinition (Boolean, Number, Enum key, LocalizedString, Money, Set…, as the published Type examples show), so
    /// its values are left to any JSON.
    /// </summary>
    private static readonly Lazy<OpenApiDocument> Corrected = new(() =>
    {
        var document = OpenApiDocument.Load("commercetools", "openapi.yaml");
        document.Correct("FieldContainer", new JsonObject { ["type"] = "object" });
        return document;
    });

    private static readonly Lazy<SchemaInstance> Builder = new(() => new SchemaInstance(Api, new Dictionary<string, JsonNode>(StringComparer.Ordinal)
    {
        ["CentPrecisionMoney"] = Example("Common", "CentPrecisionMoney.json"),
        ["TypedMoney"] = Example("Common", "CentPrecisionMoney.json"),
        ["CurrencyCode"] = Example("Common", "CentPrecisionMoney.json")["currencyCode"]!.DeepClone(),
        ["CountryCode"] = Example("Common", "AddressDraft.json")["country"]!.DeepClone(),
        ["LocalizedString"] = Example("Common", "LocalizedString.json"),
        ["CustomFields"] = Example("Type", "CustomFields.json"),
        ["ChannelReference"] = Example("Channel", "ChannelReference.json"),
        ["Address"] = Example("Common", "AddressDraft.json"),
        ["ShoppingListLineItem"] = Example("ShoppingList", "ShoppingListLineItem.json"),
        ["Locale"] = JsonValue.Create("en")!,
    }));

    /// <summary>A published example file.</summary>
    public static JsonNode Example(params string[] parts) => JsonNode.Parse(PublishedContracts.Read(["commercetools", "examples", .. parts]))!;

    /// <summary>A payload of a component: every declared property, or only the required ones.</summary>
    public static JsonObject Build(string component, bool requiredOnly = false) => Builder.Value.Build(component, requiredOnly).AsObject();

    /// <summary>A source reading from <paramref name="handler"/>.</summary>
    public static CommercetoolsSource Source(PublishedPayloadHandler handler, CommercetoolsSourceOptions? options = null) =>
        CommercetoolsSource.Create(new CommercetoolsClientOptions
        {
            ApiUrl = new Uri("https://api.contracts.test"),
            AuthUrl = new Uri("https://auth.contracts.test"),
            ProjectKey = "published",
            ClientId = "client",
            ClientSecret = "secret",
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
            MaxRetries = 0,
        }, options ?? new CommercetoolsSourceOptions(), TimeProvider.System, handler);

    /// <summary>A handler answering the token endpoint with every scope the source may ask for.</summary>
    public static PublishedPayloadHandler Handler() => new PublishedPayloadHandler()
        .On("/oauth/token", PublishedPayloadHandler.Token(
            "view_customers:published view_orders:published view_products:published view_payments:published view_shopping_lists:published view_messages:published"));
}
