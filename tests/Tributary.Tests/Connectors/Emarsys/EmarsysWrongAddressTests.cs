using Tributary.Connectors.Emarsys;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Tests.Connectors.Emarsys;

/// <summary>A base URL with a path too many: Emarsys answers 404 to every call, which is the configuration's to fix, not a record's.</summary>
[Connector]
public class EmarsysWrongAddressTests
{
    private static string Trimmed(Uri url) => url.ToString().TrimEnd('/');

    [Fact]
    public async Task CheckAsync_ApiUrlEndingInApi_SaysWhatAnsweredWhereAndTheUrlToUse()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync(client: c => c.ApiUrl = new Uri(Trimmed(c.ApiUrl) + "/api"));

        var report = await f.Destination.CheckAsync(CancellationToken.None);

        report.Ok.ShouldBeFalse();
        var line = report.Checks.ShouldHaveSingleItem();
        line.Message.ShouldNotContain("could not be reached");
        line.Message.ShouldContain($"Emarsys answered 404 at {Trimmed(f.Server.EmarsysUrl)}/api/api/v2/settings");
        line.Message.ShouldContain($"set apiUrl (destinations.emarsys.apiUrl in the config) to {Trimmed(f.Server.EmarsysUrl)},");
    }

    [Fact]
    public async Task DeliverAsync_ApiUrlEndingInApi_ThrowsConfigNamingTheUrlToUse()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync(client: c => c.ApiUrl = new Uri(Trimmed(c.ApiUrl) + "/api/v2/"));
        var changes = new Dictionary<string, string?> { ["3"] = "ann@example.com", ["1"] = "Ann" };

        var ex = await Should.ThrowAsync<EmarsysException>(() =>
            f.Destination.DeliverAsync(EntityKind.Customer, [new DeliveryItem("c-1", changes, changes)], CancellationToken.None));

        ex.Kind.ShouldBe(FailureKind.Config);
        ex.StatusCode.ShouldBe(404);
        ex.Message.ShouldContain($"to {Trimmed(f.Server.EmarsysUrl)},");
        f.Emulator.Contacts.ShouldBeEmpty();
    }

    [Fact]
    public async Task CheckAsync_SalesDataUrlWithThePath_FailsTheSalesDataLineWithTheUrlToUse()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync(client: c => c.SalesDataUrl = new Uri(Trimmed(c.SalesDataUrl) + "/hapi/merchant"));

        var report = await f.Destination.CheckAsync(CancellationToken.None);

        report.Ok.ShouldBeFalse();
        report.Checks.Where(c => c.Name != "sales data").ShouldAllBe(c => c.Ok);
        var line = report.Checks.Single(c => c.Name == "sales data");
        line.Ok.ShouldBeFalse();
        line.Message.ShouldContain($"Emarsys answered 404 at {Trimmed(f.Server.EmarsysUrl)}/hapi/merchant/hapi/merchant/");
        line.Message.ShouldContain($"set salesDataUrl (destinations.emarsys.salesDataUrl in the config) to {Trimmed(f.Server.EmarsysUrl)}");
    }

    [Fact]
    public async Task CheckAsync_SalesDataConfiguredRight_SaysTheHostAnswered()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync();

        var report = await f.Destination.CheckAsync(CancellationToken.None);

        var line = report.Checks.Single(c => c.Name == "sales data");
        line.Ok.ShouldBeTrue();
        line.Message.ShouldContain("Emarsys answered 405 at");
    }

    [Fact]
    public async Task CheckAsync_SalesDataHostUnreachable_SaysItCouldNotBeReachedThere()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync(client: c => c.SalesDataUrl = new Uri("http://127.0.0.1:9/"));

        var report = await f.Destination.CheckAsync(CancellationToken.None);

        var line = report.Checks.Single(c => c.Name == "sales data");
        line.Ok.ShouldBeFalse();
        line.Message.ShouldContain("could not be reached at http://127.0.0.1:9");
    }

    [Fact]
    public async Task UploadSalesDataAsync_WrongBasePath_ThrowsConfigWithTheUrlToUse()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync(client: c => c.SalesDataUrl = new Uri(Trimmed(c.SalesDataUrl) + "/hapi/"));

        var ex = await Should.ThrowAsync<EmarsysException>(() => f.Client.UploadSalesDataAsync(
            "order,timestamp,customer,item,price,quantity\n1,2026-05-01T00:00:00Z,c,i,1.00,1\n", CancellationToken.None));

        ex.Kind.ShouldBe(FailureKind.Config);
        ex.StatusCode.ShouldBe(404);
        ex.Message.ShouldContain($"to {Trimmed(f.Server.EmarsysUrl)}");
        f.Emulator.SalesRows.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("https://api.emarsys.net/api", "https://api.emarsys.net")]
    [InlineData("https://api.emarsys.net/api/", "https://api.emarsys.net")]
    [InlineData("https://api.emarsys.net/api/v2", "https://api.emarsys.net")]
    [InlineData("https://proxy.example.com/emarsys/api/v2/", "https://proxy.example.com/emarsys")]
    [InlineData("https://api.emarsys.net", null)]
    public void SuggestApiUrl_DoubledPath_TheBaseWithoutIt(string configured, string? expected) =>
        EmarsysErrors.SuggestApiUrl(new Uri(configured)).ShouldBe(expected);

    [Theory]
    [InlineData("https://admin.scarabresearch.com/hapi/merchant/123/sales-data/api", "https://admin.scarabresearch.com")]
    [InlineData("https://admin.scarabresearch.com/hapi", "https://admin.scarabresearch.com")]
    [InlineData("https://admin.scarabresearch.com", null)]
    public void SuggestSalesDataUrl_PathIncluded_TheHost(string configured, string? expected) =>
        EmarsysErrors.SuggestSalesDataUrl(new Uri(configured)).ShouldBe(expected);
}
