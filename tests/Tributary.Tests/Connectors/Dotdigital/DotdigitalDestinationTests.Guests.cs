using System.Text.Json;
using Tributary.Connectors.Dotdigital;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Tests.Connectors.Dotdigital;

public partial class DotdigitalDestinationTests
{
    [Fact]
    public async Task DeliverAsync_GuestOrderDefaultPolicy_NotFoundSayingWhatToDo()
    {
        await using var f = await DotdigitalConnectorFixture.StartAsync();

        var result = await f.Destination.DeliverAsync(EntityKind.Order, [ItemOf(f, Purchase("O-9", null, "guest@example.com"))], CancellationToken.None);

        result.Failures["O-9"].Kind.ShouldBe(FailureKind.NotFound);
        result.Failures["O-9"].Message.ShouldContain("guestOrders");
        f.Emulator.Contacts.ShouldBeEmpty();
    }

    [Fact]
    public async Task DeliverAsync_GuestOrderCreateContact_NewContactUnsubscribedInGuestList_ExistingOneKeepsItsStatus()
    {
        await using var f = await DotdigitalConnectorFixture.StartAsync(destination: o =>
        {
            o.GuestOrders = GuestOrderHandling.CreateContact;
            o.GuestListIds = [42];
        });
        await f.Destination.DeliverAsync(EntityKind.Customer, [Item(f, Person("C-1", "known@example.com"))], CancellationToken.None);

        var result = await f.Destination.DeliverAsync(EntityKind.Order,
            [ItemOf(f, Purchase("O-1", null, "guest@example.com")), ItemOf(f, Purchase("O-2", null, "known@example.com"))], CancellationToken.None);

        result.Failures.ShouldBeEmpty();
        var guest = f.Emulator.FindContact("guest@example.com").ShouldNotBeNull();
        guest.EmailStatus.ShouldBe("unsubscribed");
        guest.Lists.ShouldContain(42);
        f.Emulator.FindContact("known@example.com")!.EmailStatus.ShouldBe("subscribed");
        f.Emulator.Collections["Orders"].Records.Keys.ShouldBe(["O-1", "O-2"], ignoreOrder: true);
    }

    [Fact]
    public void Project_GuestOrderSkipPolicy_NothingToSend()
    {
        var destination = Create(o => o.GuestOrders = GuestOrderHandling.Skip);

        destination.Project(Purchase("O-1", null, "guest@example.com")).Fields.ShouldBeEmpty();
        destination.Project(Purchase("O-2", "C-1", "ann@example.com")).Fields.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task DeliverAsync_StockLevel_RewritesTheCatalogueRecordWithTheNewStock()
    {
        await using var f = await DotdigitalConnectorFixture.StartAsync();
        var product = new Product
        {
            ProductId = "P-1", Sku = "SKU-1", Names = new Dictionary<string, string> { ["en"] = "Trail Shoe" },
            Prices = [new ProductPrice(new Money(59.99m, "EUR"))],
        };
        var stock = new StockLevel { Sku = "SKU-1", AvailableToSell = 4 };
        await f.Destination.DeliverAsync(EntityKind.Product, [ItemOf(f, product)], CancellationToken.None);

        var projection = f.Destination.Project(stock);
        var result = await f.Destination.DeliverAsync(EntityKind.Stock, [ItemOf(f, stock)], CancellationToken.None);
        await f.Destination.DeliverAsync(EntityKind.Product, [ItemOf(f, product with { Prices = [new ProductPrice(new Money(49.99m, "EUR"))] })],
            CancellationToken.None);

        f.Destination.Supports(EntityKind.Stock).ShouldBeTrue();
        projection.DependsOn.ShouldBe(new DependencyKey(EntityKind.Product, "SKU-1"));
        result.Failures.ShouldBeEmpty();
        using var json = JsonDocument.Parse(f.Emulator.Collections["Catalog_Default"].Records["SKU-1"].Json);
        json.RootElement.GetProperty("stock").GetDecimal().ShouldBe(4m);
        json.RootElement.GetProperty("price").GetDecimal().ShouldBe(49.99m);
        json.RootElement.GetProperty("name").GetString().ShouldBe("Trail Shoe");
    }

    [Fact]
    public async Task DeliverAsync_StockBeforeItsProduct_NotFoundPerItem()
    {
        await using var f = await DotdigitalConnectorFixture.StartAsync();
        var stock = new StockLevel { Sku = "SKU-9", AvailableToSell = 4 };

        var result = await f.Destination.DeliverAsync(EntityKind.Stock, [ItemOf(f, stock)], CancellationToken.None);

        result.Failures["SKU-9"].Kind.ShouldBe(FailureKind.NotFound);
    }
}
