using System.Text.Json.Nodes;
using Tributary.Connectors.Commercetools;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Tests.Contracts;

/// <summary>
/// The commercetools mappers, run through the connector's own client on commercetools' published payloads: the official examples
/// where commercetools publishes one, instances of the published OpenAPI schema elsewhere (every declared property, then only
/// the required ones, then each optional property the mapper reads taken away).
/// </summary>
[Connector]
public class CommercetoolsMapperContractTests
{
    private const string ChannelId = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

    [Theory]
    [InlineData("Customer", false)]
    [InlineData("Customer", true)]
    [InlineData("Order", false)]
    [InlineData("Order", true)]
    [InlineData("ProductProjection", false)]
    [InlineData("ProductProjection", true)]
    [InlineData("InventoryEntry", false)]
    [InlineData("InventoryEntry", true)]
    [InlineData("ShoppingList", false)]
    [InlineData("Channel", false)]
    public void Build_FromThePublishedSchema_ConformsToIt(string component, bool requiredOnly)
    {
        var instance = CommercetoolsPayloads.Build(component, requiredOnly);

        OpenApiDocument.ShouldConform(CommercetoolsPayloads.Api.ComponentSchema(component), instance, component);
    }

    [Fact]
    public void Validator_RefusesAPayloadThatBreaksTheSchema()
    {
        var customer = CommercetoolsPayloads.Build("Customer");
        customer.Remove("email");
        customer["version"] = "seven";

        var violations = OpenApiDocument.Violations(CommercetoolsPayloads.Api.ComponentSchema("Customer"), customer);

        violations.ShouldContain(v => v.Contains("email", StringComparison.Ordinal));
        violations.ShouldContain(v => v.Contains("/version", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Customer_EveryDeclaredProperty_MapsEmailNamesBirthdayConsentAndPhone()
    {
        var customer = Customer(requiredOnly: false);
        customer["custom"]!["fields"]!["marketingOptIn"] = true;

        var mapped = await ReadCustomerAsync(customer);

        mapped.SourceId.ShouldBe(customer["id"]!.GetValue<string>());
        mapped.Email.ShouldBe(customer["email"]!.GetValue<string>());
        mapped.FirstName.ShouldBe(customer["firstName"]!.GetValue<string>());
        mapped.LastName.ShouldBe(customer["lastName"]!.GetValue<string>());
        mapped.DateOfBirth.ShouldBe(new DateOnly(1990, 2, 3));
        mapped.Locale.ShouldBe("en");
        mapped.Store.ShouldBe(customer["stores"]![0]!["key"]!.GetValue<string>());
        mapped.Phone.ShouldBe("+312345678");
        mapped.ConsentFor(ConsentChannels.Email).Status.ShouldBe(ConsentStatus.Subscribed);
    }

    [Fact]
    public async Task Customer_OnlyRequiredProperties_MapsWithUnknownConsentAndNoOptionalValues()
    {
        var customer = Customer(requiredOnly: true);

        var mapped = await ReadCustomerAsync(customer);

        mapped.Email.ShouldBe(customer["email"]!.GetValue<string>());
        mapped.FirstName.ShouldBeNull();
        mapped.DateOfBirth.ShouldBeNull();
        mapped.Store.ShouldBeNull();
        mapped.Phone.ShouldBeNull();
        mapped.ConsentFor(ConsentChannels.Email).Status.ShouldBe(ConsentStatus.Unknown);
    }

    [Theory]
    [InlineData("firstName")]
    [InlineData("lastName")]
    [InlineData("dateOfBirth")]
    [InlineData("locale")]
    [InlineData("customerNumber")]
    [InlineData("custom")]
    [InlineData("defaultBillingAddressId")]
    public async Task Customer_AnOptionalPropertyAbsent_StillMaps(string property)
    {
        var customer = Customer(requiredOnly: false);
        customer.Remove(property);
        OpenApiDocument.ShouldConform(CommercetoolsPayloads.Api.ComponentSchema("Customer"), customer, "the customer");

        var mapped = await ReadCustomerAsync(customer);

        mapped.Email.ShouldBe(customer["email"]!.GetValue<string>());
        (property switch
        {
            "firstName" => mapped.FirstName,
            "lastName" => mapped.LastName,
            "dateOfBirth" => mapped.DateOfBirth?.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            "locale" => mapped.Locale,
            "customerNumber" => mapped.CustomerNumber,
            _ => null,
        }).ShouldBeNull();
    }

    [Fact]
    public async Task Order_EveryDeclaredProperty_MapsEmailTotalsSkusAndQuantities()
    {
        var order = Order(requiredOnly: false);

        var mapped = await ReadOrderAsync(order);

        mapped.SourceId.ShouldBe(order["id"]!.GetValue<string>());
        mapped.Email.ShouldBe(order["customerEmail"]!.GetValue<string>());
        mapped.Currency.ShouldBe("EUR");
        mapped.Total.ShouldBe(new Money(42.00m, "EUR"));
        var line = mapped.Lines.ShouldHaveSingleItem();
        line.Sku.ShouldBe("published-sku");
        line.Quantity.ShouldBe(3);
        line.UnitPrice.ShouldBe(new Money(42.00m, "EUR"));
        line.LineTotal.ShouldBe(new Money(42.00m, "EUR"));
        line.Name.ShouldBe("Hundefutter"); // without a configured locale, the first the platform sends
        mapped.Shipments.ShouldHaveSingleItem().Lines.ShouldHaveSingleItem().LineId.ShouldBe(line.LineId);
    }

    [Fact]
    public async Task Order_ExpandedPaymentWithASuccessfulRefund_MapsTheRefundAmount()
    {
        var order = Order(requiredOnly: false);
        var transaction = CommercetoolsPayloads.Build("Transaction");
        transaction["id"] = "refund-1";
        transaction["type"] = "Refund";
        transaction["state"] = "Success";
        transaction["amount"] = CommercetoolsPayloads.Example("Common", "CentPrecisionMoney.json");
        order["paymentInfo"]!["payments"]![0]!["obj"]!["transactions"] = new JsonArray(transaction);
        OpenApiDocument.ShouldConform(CommercetoolsPayloads.Api.ComponentSchema("Order"), order, "the order");

        var mapped = await ReadOrderAsync(order);

        var refund = mapped.Refunds.ShouldHaveSingleItem();
        refund.RefundId.ShouldBe("refund-1");
        refund.Amount.ShouldBe(new Money(42.00m, "EUR"));
    }

    [Fact]
    public async Task Order_OnlyRequiredProperties_MapsTheTotalWithoutEmailTaxesOrPayments()
    {
        var order = Order(requiredOnly: true);

        var mapped = await ReadOrderAsync(order);

        mapped.Email.ShouldBeNull();
        mapped.Total.ShouldBe(new Money(42.00m, "EUR"));
        mapped.Lines.ShouldBeEmpty();
        mapped.Refunds.ShouldBeEmpty();
        mapped.Shipments.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("customerEmail")]
    [InlineData("taxedPrice")]
    [InlineData("paymentInfo")]
    [InlineData("shippingInfo")]
    [InlineData("returnInfo")]
    [InlineData("store")]
    [InlineData("custom")]
    [InlineData("completedAt")]
    public async Task Order_AnOptionalPropertyAbsent_StillMapsTheTotalAndLines(string property)
    {
        var order = Order(requiredOnly: false);
        order.Remove(property);
        OpenApiDocument.ShouldConform(CommercetoolsPayloads.Api.ComponentSchema("Order"), order, "the order");

        var mapped = await ReadOrderAsync(order);

        mapped.Total.ShouldBe(new Money(42.00m, "EUR"));
        mapped.Lines.ShouldHaveSingleItem().Sku.ShouldBe("published-sku");
    }

    [Fact]
    public async Task Product_EveryDeclaredProperty_MapsSkuNamesAndPrice()
    {
        var product = Product(requiredOnly: false);

        var mapped = await ReadProductAsync(product);

        mapped.Sku.ShouldBe("published-sku");
        mapped.ProductId.ShouldBe(product["id"]!.GetValue<string>());
        mapped.Names["en"].ShouldBe("dog food");
        mapped.Names["de"].ShouldBe("Hundefutter");
        mapped.Prices.ShouldHaveSingleItem().Price.ShouldBe(new Money(42.00m, "EUR"));
    }

    [Fact]
    public async Task Product_HighPrecisionPrice_IsReadFromPreciseAmount()
    {
        var product = Product(requiredOnly: false);
        product["masterVariant"]!["prices"]![0]!["value"] = CommercetoolsPayloads.Example("Common", "HighPrecisionMoney.json");
        OpenApiDocument.ShouldConform(CommercetoolsPayloads.Api.ComponentSchema("ProductProjection"), product, "the product");

        var mapped = await ReadProductAsync(product);

        // The published example: centAmount 1, preciseAmount 123456, fractionDigits 7.
        mapped.Prices.ShouldHaveSingleItem().Price.ShouldBe(new Money(0.0123456m, "EUR"));
    }

    [Fact]
    public async Task Product_OnlyRequiredProperties_MapsTheSkuWithoutPricesOrImage()
    {
        var product = Product(requiredOnly: true);

        var mapped = await ReadProductAsync(product);

        mapped.Sku.ShouldBe("published-sku");
        mapped.Prices.ShouldBeEmpty();
        mapped.ImageUrl.ShouldBeNull();
        mapped.Active.ShouldBeTrue();
    }

    [Fact]
    public async Task Stock_PublishedEntryAndChannel_MapsLocationByChannelKeyAndAvailableToSell()
    {
        var entry = CommercetoolsPayloads.Build("InventoryEntry");
        entry["sku"] = "published-sku";
        entry["quantityOnStock"] = 10;
        entry["availableQuantity"] = 7;
        entry["supplyChannel"].ShouldNotBeNull()["id"]!.GetValue<string>().ShouldBe(ChannelId);
        OpenApiDocument.ShouldConform(CommercetoolsPayloads.Api.ComponentSchema("InventoryEntry"), entry, "the entry");
        var handler = CommercetoolsPayloads.Handler()
            .On("/published/inventory", PublishedPayloadHandler.Paged(entry))
            .On("/published/channels", CommercetoolsPayloads.Example("Channel", "ChannelPagedQueryResponse.json"));
        using var source = CommercetoolsPayloads.Source(handler);

        var stock = (StockLevel)(await source.GetAsync(EntityKind.Stock, "published-sku", CancellationToken.None)).ShouldNotBeNull();

        var location = stock.Locations.ShouldHaveSingleItem();
        location.Location.ShouldBe("distribution-channel-us");
        location.OnHand.ShouldBe(10);
        location.Allocated.ShouldBe(3);
        stock.AvailableToSell.ShouldBe(7);
    }

    [Fact]
    public async Task Messages_PublishedMessagePayload_IsReadWithItsResourceAndSequence()
    {
        var message = CommercetoolsPayloads.Example("Subscription", "message-payload.example.json");
        var handler = CommercetoolsPayloads.Handler().On("/published/messages", PublishedPayloadHandler.Paged(message));
        using var source = CommercetoolsPayloads.Source(handler);

        var read = (await source.Client.QueryMessagesAsync(DateTimeOffset.UnixEpoch, 0, 10, CancellationToken.None)).ShouldHaveSingleItem();

        read.Id.ShouldBe("<message_id>");
        read.TypeId.ShouldBe("customer");
        read.ResourceId.ShouldBe("<customer_id>");
        read.SequenceNumber.ShouldBe(2);
        read.ResourceVersion.ShouldBe(2);
        read.Type.ShouldBe("CustomerLastNameSet");
    }

    [Theory]
    [InlineData("message-payload.example.json", CommercetoolsNotificationStatus.Hint, EntityKind.Customer, "<customer_id>", 2L)]
    [InlineData("cloudevents-payload.example.json", CommercetoolsNotificationStatus.Hint, EntityKind.Product, "@product/b32d1013-cd25-4cb4-95ab-99c494531d73", 2L)]
    [InlineData("resource-created-payload.example.json", CommercetoolsNotificationStatus.Hint, EntityKind.Product, "@product/<product_id>", 1L)]
    [InlineData("resource-updated-payload.example.json", CommercetoolsNotificationStatus.Hint, EntityKind.Product, "@product/<product-id>", 3L)]
    [InlineData("resource-deleted-payload.example.json", CommercetoolsNotificationStatus.Hint, EntityKind.Product, "@product/<product-id>", 3L)]
    public void Notification_PublishedSubscriptionPayload_NamesTheChangedRecord(string file, CommercetoolsNotificationStatus status, EntityKind? entity,
        string id, long version)
    {
        var payload = PublishedContracts.Read("commercetools", "examples", "Subscription", file);
        var envelope = new JsonObject
        {
            ["message"] = new JsonObject { ["data"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(payload)), ["messageId"] = "push-1" },
        };

        var notification = CommercetoolsNotification.Read(System.Text.Encoding.UTF8.GetBytes(envelope.ToJsonString()));

        notification.Status.ShouldBe(status);
        notification.Entity.ShouldBe(entity);
        notification.Key.ShouldBe(id);
        notification.Version.ShouldBe(version);
    }

    [Fact]
    public async Task Order_LineName_IsTheConfiguredLocaleOfThePublishedLocalizedString()
    {
        var mapped = await ReadOrderAsync(Order(requiredOnly: false), new CommercetoolsSourceOptions { Locale = "en" });

        mapped.Lines.ShouldHaveSingleItem().Name.ShouldBe("dog food");
    }

    private static JsonObject Customer(bool requiredOnly)
    {
        var customer = CommercetoolsPayloads.Build("Customer", requiredOnly);
        customer["email"] = CommercetoolsPayloads.Example("Common", "AddressDraft.json")["email"]!.DeepClone();
        if (!requiredOnly)
        {
            // The published address example has no id; the customer's default billing address names it.
            customer["addresses"]![0]!["id"] = "address-1";
            customer["defaultBillingAddressId"] = "address-1";
        }

        OpenApiDocument.ShouldConform(CommercetoolsPayloads.Api.ComponentSchema("Customer"), customer, "the customer");
        return customer;
    }

    private static JsonObject Order(bool requiredOnly)
    {
        var order = CommercetoolsPayloads.Build("Order", requiredOnly);
        if (!requiredOnly)
        {
            var line = order["lineItems"]![0]!;
            line["id"] = "line-1";
            line["variant"]!["sku"] = "published-sku";
            line["quantity"] = 3;
            line["discountedPricePerQuantity"] = new JsonArray();
            order["customerEmail"] = "jane.doe@example.com";
            order["shippingInfo"]!["deliveries"]![0]!["items"] = new JsonArray(new JsonObject { ["id"] = "line-1", ["quantity"] = 3 });
            order["returnInfo"] = new JsonArray();
            order["custom"]!["fields"]!.AsObject().Remove("salesChannel");
            order["paymentInfo"]!["payments"]![0]!["obj"]!["transactions"] = new JsonArray();
        }

        OpenApiDocument.ShouldConform(CommercetoolsPayloads.Api.ComponentSchema("Order"), order, "the order");
        return order;
    }

    private static JsonObject Product(bool requiredOnly)
    {
        var product = CommercetoolsPayloads.Build("ProductProjection", requiredOnly);
        product["masterVariant"]!["sku"] = "published-sku";
        product["variants"] = new JsonArray();
        if (!requiredOnly)
        {
            var price = product["masterVariant"]!["prices"]![0]!.AsObject();
            foreach (var scope in new[] { "customerGroup", "validFrom", "validUntil", "discounted", "country", "channel" })
            {
                price.Remove(scope);
            }
        }

        OpenApiDocument.ShouldConform(CommercetoolsPayloads.Api.ComponentSchema("ProductProjection"), product, "the product");
        return product;
    }

    private static async Task<Customer> ReadCustomerAsync(JsonObject customer)
    {
        var id = customer["id"]!.GetValue<string>();
        var handler = CommercetoolsPayloads.Handler().On($"/published/customers/{id}", customer);
        using var source = CommercetoolsPayloads.Source(handler);
        return (Customer)(await source.GetAsync(EntityKind.Customer, id, CancellationToken.None)).ShouldNotBeNull();
    }

    private static async Task<Order> ReadOrderAsync(JsonObject order, CommercetoolsSourceOptions? options = null)
    {
        var id = order["id"]!.GetValue<string>();
        var handler = CommercetoolsPayloads.Handler().On($"/published/orders/{id}", order);
        using var source = CommercetoolsPayloads.Source(handler, options);
        return (Order)(await source.GetAsync(EntityKind.Order, id, CancellationToken.None)).ShouldNotBeNull();
    }

    private static async Task<Product> ReadProductAsync(JsonObject product)
    {
        var handler = CommercetoolsPayloads.Handler()
            .On("/published/product-projections", PublishedPayloadHandler.Paged(product))
            .On("/published/channels", CommercetoolsPayloads.Example("Channel", "ChannelPagedQueryResponse.json"));
        using var source = CommercetoolsPayloads.Source(handler);
        return (Product)(await source.GetAsync(EntityKind.Product, "published-sku", CancellationToken.None)).ShouldNotBeNull();
    }
}
