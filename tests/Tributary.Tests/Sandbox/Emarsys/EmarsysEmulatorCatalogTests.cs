using Tributary.Sandbox.Emarsys;

namespace Tributary.Tests.Sandbox.Emarsys;

[Connector]
public class EmarsysEmulatorCatalogTests
{
    private const string Header = "item,available,title,link,image,category,price,msrp";

    [Fact]
    public async Task FetchCatalogAsync_ValidFeed_ReplacesCatalogWithRows()
    {
        await using var fixture = await EmarsysEmulatorFixture.StartAsync();
        await using var feed = await CatalogFeedServer.StartAsync();
        feed.Body = $"{Header}\r\nSKU-1,true,\"Shoe, trail\",https://shop.example/sku-1,https://cdn.example/1.jpg,Men > Shoes,129.00,149.00\r\n"
            + "SKU-2,false,Sock,https://shop.example/sku-2,https://cdn.example/2.jpg,,5.00,\r\n";

        var import = await fixture.Emulator.FetchCatalogAsync(feed.Url, null, null);

        import.ShouldBe(new EmarsysCatalogImport(true, null, 2));
        var items = fixture.Emulator.CatalogItems;
        items.Select(i => i["item"]).ShouldBe(["SKU-1", "SKU-2"]);
        items[0]["title"].ShouldBe("Shoe, trail");
        items[0]["msrp"].ShouldBe("149.00");
        items[1]["available"].ShouldBe("false");
    }

    [Fact]
    public async Task FetchCatalogAsync_MissingRequiredColumn_RejectedAndPreviousCatalogKept()
    {
        await using var fixture = await EmarsysEmulatorFixture.StartAsync();
        await using var feed = await CatalogFeedServer.StartAsync();
        feed.Body = $"{Header}\r\nSKU-1,true,Shoe,https://shop.example/1,https://cdn.example/1.jpg,,10.00,\r\n";
        (await fixture.Emulator.FetchCatalogAsync(feed.Url, null, null)).Accepted.ShouldBeTrue();

        feed.Body = "item,available,Title,link,image,category,price\r\nSKU-9,true,Hat,https://shop.example/9,https://cdn.example/9.jpg,,3.00\r\n";
        var import = await fixture.Emulator.FetchCatalogAsync(feed.Url, null, null);

        import.Accepted.ShouldBeFalse();
        import.Error.ShouldNotBeNull().ShouldContain("title");
        fixture.Emulator.CatalogItems.Select(i => i["item"]).ShouldBe(["SKU-1"]);
        fixture.Emulator.CatalogImports.ShouldBe(1);
    }

    [Fact]
    public async Task FetchCatalogAsync_DuplicateItem_Rejected()
    {
        await using var fixture = await EmarsysEmulatorFixture.StartAsync();
        await using var feed = await CatalogFeedServer.StartAsync();
        feed.Body = $"{Header}\r\nSKU-1,true,Shoe,https://shop.example/1,https://cdn.example/1.jpg,,10.00,\r\n"
            + "SKU-1,false,Shoe again,https://shop.example/1b,https://cdn.example/1b.jpg,,11.00,\r\n";

        var import = await fixture.Emulator.FetchCatalogAsync(feed.Url, null, null);

        import.Accepted.ShouldBeFalse();
        import.Error.ShouldNotBeNull().ShouldContain("duplicate item 'SKU-1'");
        fixture.Emulator.CatalogItems.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("SKU-1,yes,Shoe,https://shop.example/1,https://cdn.example/1.jpg,,10.00,", "available 'yes'")]
    [InlineData("SKU-1,true,Shoe,https://shop.example/1,https://cdn.example/1.jpg,,\"10,00\",", "price '10,00'")]
    [InlineData("SKU-1,true,Shoe,/relative,https://cdn.example/1.jpg,,10.00,", "link '/relative'")]
    [InlineData(",true,Shoe,https://shop.example/1,https://cdn.example/1.jpg,,10.00,", "item is empty")]
    public async Task FetchCatalogAsync_BadRow_RejectedWithReason(string row, string expected)
    {
        await using var fixture = await EmarsysEmulatorFixture.StartAsync();
        await using var feed = await CatalogFeedServer.StartAsync();
        feed.Body = $"{Header}\r\n{row}\r\n";

        var import = await fixture.Emulator.FetchCatalogAsync(feed.Url, null, null);

        import.Accepted.ShouldBeFalse();
        import.Error.ShouldNotBeNull().ShouldContain(expected);
    }

    [Fact]
    public async Task FetchCatalogAsync_BasicAuthFromArgumentsOrUrl_Fetches()
    {
        await using var fixture = await EmarsysEmulatorFixture.StartAsync();
        await using var feed = await CatalogFeedServer.StartAsync();
        feed.Credentials = ("emarsys", "p@ss:word");
        feed.Body = $"{Header}\r\nSKU-1,true,Shoe,https://shop.example/1,https://cdn.example/1.jpg,,10.00,\r\n";

        (await fixture.Emulator.FetchCatalogAsync(feed.Url, null, null)).Error.ShouldBe("HTTP 401 fetching the feed");
        (await fixture.Emulator.FetchCatalogAsync(feed.Url, "emarsys", "p@ss:word")).Accepted.ShouldBeTrue();
        var withUserInfo = new UriBuilder(feed.Url) { UserName = "emarsys", Password = Uri.EscapeDataString("p@ss:word") }.Uri;
        (await fixture.Emulator.FetchCatalogAsync(withUserInfo, null, null)).Accepted.ShouldBeTrue();
    }

    [Fact]
    public async Task CatalogUpload_ValidCsvWithToken_ReplacesCatalog()
    {
        await using var fixture = await EmarsysEmulatorFixture.StartAsync();
        var path = $"hapi/merchant/{fixture.Emulator.Options.MerchantId}/catalog/api";
        var csv = $"{Header}\r\nSKU-7,true,Cap,https://shop.example/7,https://cdn.example/7.jpg,,8.00,\r\n";

        using var unauthorized = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(csv) };
        using var refused = await fixture.Http.SendAsync(unauthorized);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(csv) };
        request.Headers.TryAddWithoutValidation("Authorization", $"bearer {fixture.Emulator.Options.SalesDataToken}");
        using var accepted = await fixture.Http.SendAsync(request);

        ((int)refused.StatusCode).ShouldBe(401);
        ((int)accepted.StatusCode).ShouldBe(200);
        fixture.Emulator.CatalogItems.Single()["item"].ShouldBe("SKU-7");
    }
}
