using Tributary.Connectors.Dotdigital;
using Tributary.Connectors.Emarsys;
using Tributary.Core.Contracts;
using Tributary.Core.Diff;
using Tributary.Core.Model;
using Tributary.Sandbox;
using Tributary.Tests.Connectors.Emarsys;

namespace Tributary.Tests.Connectors.Wire;

/// <summary>
/// The exact bytes each destination sends for records projected and delivered through it: how facts travel from projection to
/// delivery is internal, what reaches the platform must not change.
/// </summary>
[Connector]
public class DestinationWireTests
{
    private static readonly DateTimeOffset Placed = new(2026, 5, 1, 9, 12, 0, TimeSpan.Zero);

    [Fact]
    public async Task Emarsys_SalesEventsAndContacts_SendTheRecordedBytes()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero), ClockMode.Wall);
        var sandbox = new SandboxOptions();
        sandbox.Emarsys.RequestsPerMinute = 0;
        await using var server = await SandboxServer.StartAsync(sandbox, clock, CancellationToken.None);
        var wire = new WireRecorder();
        var destination = EmarsysDestination.Create(new EmarsysClientOptions
        {
            ApiUrl = server.EmarsysUrl, User = sandbox.Emarsys.User, Secret = sandbox.Emarsys.Secret,
            SalesDataUrl = server.EmarsysUrl, MerchantId = sandbox.Emarsys.MerchantId, SalesDataToken = sandbox.Emarsys.SalesDataToken,
        }, new EmarsysDestinationOptions
        {
            SalesGuestsByEmail = true,
            EventIds = { [CommerceEventType.ShipmentDispatched] = "1003", [CommerceEventType.OrderPlaced] = "1001" },
        }, clock, wire);

        await DeliverAsync(destination, EntityKind.Customer, Ann, Ann with { SourceId = "CT-2", Email = "bo@example.com", FirstName = "Bö, \"B\"" });
        var guest = EmarsysSalesProjectionTests.Order() with
        {
            SourceId = "o-2", OrderNumber = "43,b", CustomerId = null, Email = "guest@example.com",
            Refunds = [new Refund("r-1", [new ShipmentLine("l-1", 1)], new Money(19.99m, "EUR"), Placed.AddDays(2)),
                new Refund("r-2", [], new Money(5m, "EUR"), Placed.AddDays(3))],
        };
        var cancelled = EmarsysSalesProjectionTests.Order() with
        {
            SourceId = "o-3", OrderNumber = "44", Status = OrderStatus.Cancelled, ModifiedAt = Placed.AddHours(5),
        };
        await DeliverAsync(destination, EntityKind.Order, EmarsysSalesProjectionTests.Order(), guest, cancelled);
        var shipped = EmarsysEventProjectionTests.Shipped();
        await DeliverAsync(destination, EntityKind.Event, shipped,
            shipped with { DedupeKey = "ShipmentDispatched:o-2:d-1", CustomerId = "CT-2", Data = new Dictionary<string, string?> { ["note"] = "Grüße \"x\" <b>" } },
            shipped with { Type = CommerceEventType.OrderPlaced, DedupeKey = "OrderPlaced:o-1", OccurredAt = default });

        Sent(wire).ShouldBe([
            // Subscribing anyone reads their opt-in first: an opt-out made in Emarsys is never written over.
            "POST /emarsys/api/v2/contact/getdata\n{\"keyId\":\"9001\",\"keyValues\":[\"CT-1\",\"CT-2\"],\"fields\":[\"9001\",\"31\"]}",
            "PUT /emarsys/api/v2/contact?create_if_not_exists=1\n{\"key_id\":\"9001\",\"contacts\":[{\"9001\":\"CT-1\",\"1\":\"Ann\",\"2\":\"Lee\",\"3\":\"ann@example.com\",\"31\":1},{\"9001\":\"CT-2\",\"1\":\"B\\u00F6, \\u0022B\\u0022\",\"2\":\"Lee\",\"3\":\"bo@example.com\",\"31\":1}]}",
            "POST /emarsys/hapi/merchant/sandbox-merchant/sales-data/api\norder,timestamp,customer,email,item,price,quantity\n42,2026-05-01T09:12:00Z,CT-981,,SKU-1,39.98,2\n42,2026-05-01T09:12:00Z,CT-981,,SKU-2,15.00,1\n\"43,b\",2026-05-01T09:12:00Z,,guest@example.com,SKU-1,39.98,2\n\"43,b\",2026-05-01T09:12:00Z,,guest@example.com,SKU-2,15.00,1\n\"43,b\",2026-05-03T09:12:00Z,,guest@example.com,SKU-1,-19.99,-1\n\"43,b\",2026-05-04T09:12:00Z,,guest@example.com,REFUND,-5.00,-1\n44,2026-05-01T09:12:00Z,CT-981,,SKU-1,39.98,2\n44,2026-05-01T09:12:00Z,CT-981,,SKU-2,15.00,1\n44,2026-05-01T14:12:00Z,CT-981,,SKU-1,-39.98,-2\n44,2026-05-01T14:12:00Z,CT-981,,SKU-2,-15.00,-1\n",
            "POST /emarsys/api/v2/event/1001/trigger\n{\"key_id\":\"9001\",\"contacts\":[{\"external_id\":\"CT-1\",\"trigger_id\":\"OrderPlaced:o-1\",\"data\":{\"global\":{\"carrier\":\"DHL\",\"lines\":[{\"sku\":\"SKU-1\",\"qty\":2}],\"orderNumber\":\"42\"}}}]}",
            "POST /emarsys/api/v2/event/1003/trigger\n{\"key_id\":\"9001\",\"contacts\":[{\"external_id\":\"CT-1\",\"trigger_id\":\"ShipmentDispatched:o-1:d-1\",\"event_time\":\"2026-05-02T08:30:00Z\",\"data\":{\"global\":{\"carrier\":\"DHL\",\"lines\":[{\"sku\":\"SKU-1\",\"qty\":2}],\"orderNumber\":\"42\"}}},{\"external_id\":\"CT-2\",\"trigger_id\":\"ShipmentDispatched:o-2:d-1\",\"event_time\":\"2026-05-02T08:30:00Z\",\"data\":{\"global\":{\"note\":\"Gr\\u00FC\\u00DFe \\u0022x\\u0022 \\u003Cb\\u003E\"}}}]}",
        ]);
    }

    [Fact]
    public async Task Dotdigital_ContactsOrdersCatalogueAndEnrolments_SendTheRecordedBytes()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero), ClockMode.Wall);
        var sandbox = new SandboxOptions();
        sandbox.Dotdigital.LowTierPerMinute = 0;
        sandbox.Dotdigital.MediumTierPerMinute = 0;
        sandbox.Dotdigital.HighTierPerMinute = 0;
        await using var server = await SandboxServer.StartAsync(sandbox, clock, CancellationToken.None);
        var wire = new WireRecorder();
        var destination = DotdigitalDestination.Create(new DotdigitalClientOptions
        {
            BootstrapUrl = server.DotdigitalUrl, ApiUser = sandbox.Dotdigital.ApiUser, Password = sandbox.Dotdigital.Password,
            ImportPollInterval = TimeSpan.Zero,
        }, new DotdigitalDestinationOptions
        {
            RequestsPerMinute = 0, AdaptToRateLimitHeaders = false, ListIds = [12, 5], DeliverStock = true,
            GuestOrders = GuestOrderHandling.CreateContact,
            Programs = { [CommerceEventType.CustomerCreated] = 77 },
        }, clock, wire);
        server.Dotdigital.SetProgram(77);

        await DeliverAsync(destination, EntityKind.Customer, Ann);
        var order = new Order
        {
            SourceId = "o-1", OrderNumber = "42", CustomerId = "CT-1", Email = "ann@example.com", Currency = "EUR", Status = OrderStatus.Paid,
            Total = new Money(59.98m, "EUR"), PlacedAt = Placed, Store = "Grüße",
            Lines = [new OrderLine("L1", "SKU-1", "P-1", 2, new Money(29.99m, "EUR"), new Money(59.98m, "EUR"), Name: "Trail \"Shoe\"")],
        };
        await DeliverAsync(destination, EntityKind.Order, order, order with { SourceId = "o-2", OrderNumber = null, CustomerId = null, Email = "guest@example.com" });
        var product = new Product
        {
            Sku = "SKU-1", ProductId = "P-1", Brand = "Ac<me>", CategoryPath = ["Shoes", "Trail"], ImageUrl = "https://img.example/1.jpg",
            Prices = [new ProductPrice(new Money(29.90m, "EUR"), new Money(19.50m, "EUR"))],
        };
        product = product with
        {
            Names = new Dictionary<string, string> { ["en"] = "Trail Shoe ü" },
            Urls = new Dictionary<string, string> { ["en"] = "https://shop.example/p/1" },
        };
        await DeliverAsync(destination, EntityKind.Product, product,
            product with { Sku = "SKU-2", Attributes = new Dictionary<string, string?> { ["stock"] = "4" }, Active = false });
        await DeliverAsync(destination, EntityKind.Stock,
            new StockLevel { Sku = "SKU-1", AvailableToSell = 7 }, new StockLevel { Sku = "SKU-2", AvailableToSell = 0 });
        await DeliverAsync(destination, EntityKind.Event, new CommerceEvent
        {
            Type = CommerceEventType.CustomerCreated, DedupeKey = "CustomerCreated:CT-1", CustomerId = "CT-1",
        });

        Sent(wire).ShouldBe([
            "PATCH /dotdigital/r2/contacts/v3/email/ann%40example.com?merge-option=overwrite\n{\"identifiers\":{\"email\":\"ann@example.com\"},\"dataFields\":{\"FIRSTNAME\":\"Ann\",\"LASTNAME\":\"Lee\",\"FULLNAME\":\"Ann Lee\"},\"channelProperties\":{\"email\":{\"status\":\"subscribed\"}},\"lists\":[5,12]}",
            "PATCH /dotdigital/r2/contacts/v3/email/guest%40example.com?merge-option=overwrite\n{\"identifiers\":{\"email\":\"guest@example.com\"},\"channelProperties\":{\"email\":{\"status\":\"unsubscribed\"}}}",
            "PUT /dotdigital/r2/insightData/v3/contacts/email/ann%40example.com/Orders/o-1\n{\"id\":\"42\",\"email\":\"ann@example.com\",\"storeName\":\"Gr\\u00FC\\u00DFe\",\"purchaseDate\":\"2026-05-01T09:12:00.000Z\",\"orderStatus\":\"confirmed\",\"currency\":\"EUR\",\"orderSubtotal\":59.98,\"discountAmount\":0,\"orderTotal\":59.98,\"products\":[{\"product_id\":\"P-1\",\"parent_id\":\"P-1\",\"name\":\"Trail \\u0022Shoe\\u0022\",\"sku\":\"SKU-1\",\"qty\":2,\"price\":29.99}]}",
            "PUT /dotdigital/r2/insightData/v3/import\n{\"collectionName\":\"Orders\",\"collectionScope\":\"contact\",\"collectionType\":\"orders\",\"records\":[{\"key\":\"o-1\",\"contactIdentity\":{\"identifier\":\"email\",\"value\":\"ann@example.com\"},\"json\":{\"id\":\"42\",\"email\":\"ann@example.com\",\"storeName\":\"Gr\\u00FC\\u00DFe\",\"purchaseDate\":\"2026-05-01T09:12:00.000Z\",\"orderStatus\":\"confirmed\",\"currency\":\"EUR\",\"orderSubtotal\":59.98,\"discountAmount\":0,\"orderTotal\":59.98,\"products\":[{\"product_id\":\"P-1\",\"parent_id\":\"P-1\",\"name\":\"Trail \\u0022Shoe\\u0022\",\"sku\":\"SKU-1\",\"qty\":2,\"price\":29.99}]}},{\"key\":\"o-2\",\"contactIdentity\":{\"identifier\":\"email\",\"value\":\"guest@example.com\"},\"json\":{\"id\":\"o-2\",\"email\":\"guest@example.com\",\"storeName\":\"Gr\\u00FC\\u00DFe\",\"purchaseDate\":\"2026-05-01T09:12:00.000Z\",\"orderStatus\":\"confirmed\",\"currency\":\"EUR\",\"orderSubtotal\":59.98,\"discountAmount\":0,\"orderTotal\":59.98,\"products\":[{\"product_id\":\"P-1\",\"parent_id\":\"P-1\",\"name\":\"Trail \\u0022Shoe\\u0022\",\"sku\":\"SKU-1\",\"qty\":2,\"price\":29.99}]}}]}",
            "PUT /dotdigital/r2/insightData/v3/account/Catalog_Default/SKU-1\n{\"id\":\"SKU-1\",\"name\":\"Trail Shoe \\u00FC\",\"sku\":\"SKU-1\",\"price\":29.90,\"specialPrice\":19.50,\"currency\":\"EUR\",\"url\":\"https://shop.example/p/1\",\"imagePath\":\"https://img.example/1.jpg\",\"status\":\"Enabled\",\"brand\":\"Ac\\u003Cme\\u003E\",\"categories\":[\"Shoes\",\"Trail\"]}",
            "PUT /dotdigital/r2/insightData/v3/import\n{\"collectionName\":\"Catalog_Default\",\"collectionScope\":\"account\",\"collectionType\":\"catalog\",\"records\":[{\"key\":\"SKU-1\",\"json\":{\"id\":\"SKU-1\",\"name\":\"Trail Shoe \\u00FC\",\"sku\":\"SKU-1\",\"price\":29.90,\"specialPrice\":19.50,\"currency\":\"EUR\",\"url\":\"https://shop.example/p/1\",\"imagePath\":\"https://img.example/1.jpg\",\"status\":\"Enabled\",\"brand\":\"Ac\\u003Cme\\u003E\",\"categories\":[\"Shoes\",\"Trail\"]}},{\"key\":\"SKU-2\",\"json\":{\"id\":\"SKU-2\",\"name\":\"Trail Shoe \\u00FC\",\"sku\":\"SKU-2\",\"price\":29.90,\"specialPrice\":19.50,\"currency\":\"EUR\",\"url\":\"https://shop.example/p/1\",\"imagePath\":\"https://img.example/1.jpg\",\"stock\":4,\"status\":\"Disabled\",\"brand\":\"Ac\\u003Cme\\u003E\",\"categories\":[\"Shoes\",\"Trail\"]}}]}",
            "PUT /dotdigital/r2/insightData/v3/account/Catalog_Default/SKU-1\n{\"id\":\"SKU-1\",\"name\":\"Trail Shoe \\u00FC\",\"sku\":\"SKU-1\",\"price\":29.90,\"specialPrice\":19.50,\"currency\":\"EUR\",\"url\":\"https://shop.example/p/1\",\"imagePath\":\"https://img.example/1.jpg\",\"status\":\"Enabled\",\"brand\":\"Ac\\u003Cme\\u003E\",\"categories\":[\"Shoes\",\"Trail\"],\"stock\":7}",
            "PUT /dotdigital/r2/insightData/v3/account/Catalog_Default/SKU-2\n{\"id\":\"SKU-2\",\"name\":\"Trail Shoe \\u00FC\",\"sku\":\"SKU-2\",\"price\":29.90,\"specialPrice\":19.50,\"currency\":\"EUR\",\"url\":\"https://shop.example/p/1\",\"imagePath\":\"https://img.example/1.jpg\",\"stock\":0,\"status\":\"Disabled\",\"brand\":\"Ac\\u003Cme\\u003E\",\"categories\":[\"Shoes\",\"Trail\"]}",
            "POST /dotdigital/r2/v2/programs/enrolments\n{\"programId\":77,\"contacts\":[1001],\"addressBooks\":[]}",
        ]);
    }

    /// <summary>Every write, in order (reads such as the endpoint discovery and contact look-ups are left out).</summary>
    private static List<string> Sent(WireRecorder wire) => wire.Requests.Where(r => !r.StartsWith("GET ", StringComparison.Ordinal)).ToList();

    private static Customer Ann => new()
    {
        SourceId = "CT-1", Email = "ann@example.com", FirstName = "Ann", LastName = "Lee",
        Consents = new Dictionary<string, Consent> { [ConsentChannels.Email] = new(ConsentStatus.Subscribed) },
    };

    private static async Task DeliverAsync(IDestinationConnector destination, EntityKind entity, params CanonicalRecord[] records)
    {
        var items = records.Select(r =>
        {
            var projection = destination.Project(r);
            projection.QuarantineReason.ShouldBeNull();
            return new DeliveryItem(r.Key, FieldDiff.Changes(projection.Fields, null), projection.Fields);
        }).ToList();
        var result = await destination.DeliverAsync(entity, items, CancellationToken.None);
        result.Failures.ShouldBeEmpty();
    }
}
