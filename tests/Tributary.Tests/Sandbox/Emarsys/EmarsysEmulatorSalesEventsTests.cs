using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;

namespace Tributary.Tests.Sandbox.Emarsys;

[Connector]
public class EmarsysEmulatorSalesEventsTests
{
    private const string Csv = "order,timestamp,customer,item,price,quantity\n42,2026-05-01T09:12:00Z,CT-1,SKU-1,39.98,2\n";

    [Fact]
    public async Task SalesData_WrongToken_Returns401AndStoresNothing()
    {
        await using var f = await EmarsysEmulatorFixture.StartAsync();

        var answer = await UploadAsync(f, Csv, token: "not-the-token");

        answer.Status.ShouldBe(401);
        f.Emulator.SalesRows.ShouldBeEmpty();
        f.Emulator.SalesUploads.ShouldBe(0);
    }

    [Fact]
    public async Task SalesData_ValidFile_AcceptedAsPlainTextAndRowsParsed()
    {
        await using var f = await EmarsysEmulatorFixture.StartAsync();

        var answer = await UploadAsync(f, Csv, scheme: "Bearer");

        answer.Status.ShouldBe(200);
        answer.Body.ShouldBe("Upload accepted\n");
        answer.ContentType!.MediaType.ShouldBe("text/plain");
        var row = f.Emulator.SalesRows.ShouldHaveSingleItem();
        row["order"].ShouldBe("42");
        row["price"].ShouldBe("39.98");
        row["customer"].ShouldBe("CT-1");
    }

    [Theory]
    [InlineData("order,timestamp,customer,item,Price,quantity\n42,2026-05-01T09:12:00Z,CT-1,SKU-1,1.00,1\n", "price")]
    [InlineData("order,timestamp,item,price,quantity\n42,2026-05-01T09:12:00Z,SKU-1,1.00,1\n", "customer or email")]
    [InlineData("order,timestamp,customer,item,price,quantity\n42,01/05/2026,CT-1,SKU-1,1.00,1\n", "timestamp")]
    [InlineData("order,timestamp,customer,item,price,quantity\n42,2026-05-01T09:12:00Z,CT-1,SKU-1,\"1,00\",1\n", "price")]
    [InlineData("order,timestamp,customer,item,price,quantity\n42,2026-05-01T09:12:00Z,CT-1,SKU-1,1.00,two\n", "quantity")]
    [InlineData("order,timestamp,customer,item,price,quantity\n,2026-05-01T09:12:00Z,CT-1,SKU-1,1.00,1\n", "order")]
    public async Task SalesData_BadHeaderOrRow_Returns400WholeFile(string csv, string mentioned)
    {
        await using var f = await EmarsysEmulatorFixture.StartAsync();

        var answer = await UploadAsync(f, csv);

        answer.Status.ShouldBe(400);
        answer.Body.ShouldContain(mentioned);
        f.Emulator.SalesRows.ShouldBeEmpty();
    }

    [Fact]
    public async Task SalesData_Gzipped_Decompressed()
    {
        await using var f = await EmarsysEmulatorFixture.StartAsync();

        var answer = await UploadAsync(f, Csv, gzip: true);

        answer.Status.ShouldBe(200);
        f.Emulator.SalesRows.ShouldHaveSingleItem()["item"].ShouldBe("SKU-1");
    }

    [Fact]
    public async Task SalesData_SameFileTwice_RowsAppendedWithoutDedupe()
    {
        await using var f = await EmarsysEmulatorFixture.StartAsync();

        (await UploadAsync(f, Csv)).Status.ShouldBe(200);
        (await UploadAsync(f, Csv)).Status.ShouldBe(200);

        f.Emulator.SalesRows.Count.ShouldBe(2);
        f.Emulator.SalesUploads.ShouldBe(2);
    }

    [Fact]
    public async Task SalesData_UnknownMerchant_Returns404()
    {
        await using var f = await EmarsysEmulatorFixture.StartAsync();

        (await UploadAsync(f, Csv, merchant: "other")).Status.ShouldBe(404);
    }

    [Fact]
    public async Task Trigger_BatchWithKnownAndUnknownContact_RecordsKnownAndReports2008ForUnknown()
    {
        await using var f = await EmarsysEmulatorFixture.StartAsync();
        await CreateContactAsync(f, "CT-1");

        var answer = await f.SendAsync(HttpMethod.Post, "api/v2/event/1003/trigger", """
            {"key_id":"9001","contacts":[
              {"external_id":"CT-1","trigger_id":"t-1","event_time":"2026-05-01T10:00:00Z","data":{"global":{"orderId":"42"}}},
              {"external_id":"CT-404","data":{"global":{"orderId":"43"}}}]}
            """);

        answer.Status.ShouldBe(200);
        answer.ReplyCode.ShouldBe(0);
        answer.Data.GetProperty("ids").GetArrayLength().ShouldBe(1);
        answer.Data.GetProperty("errors").GetProperty("CT-404").GetProperty("2008").GetString().ShouldNotBeNull().ShouldContain("No contact found");
        var trigger = f.Emulator.Triggers.ShouldHaveSingleItem();
        trigger.EventId.ShouldBe(1003);
        trigger.ExternalId.ShouldBe("CT-1");
        trigger.TriggerId.ShouldBe("t-1");
        trigger.DataJson.ShouldBe("""{"global":{"orderId":"42"}}""");
        trigger.At.ShouldBe(f.Clock.GetUtcNow());
    }

    [Fact]
    public async Task Trigger_SingleUnknownContact_Returns400With2008()
    {
        await using var f = await EmarsysEmulatorFixture.StartAsync();

        var answer = await f.SendAsync(HttpMethod.Post, "api/v2/event/1001/trigger", """{"key_id":"9001","external_id":"CT-404"}""");

        answer.Status.ShouldBe(400);
        answer.ReplyCode.ShouldBe(2008);
        f.Emulator.Triggers.ShouldBeEmpty();
    }

    [Fact]
    public async Task Trigger_SingleKnownContact_RecordedWithEmptyData()
    {
        await using var f = await EmarsysEmulatorFixture.StartAsync();
        await CreateContactAsync(f, "CT-1");

        var answer = await f.SendAsync(HttpMethod.Post, "api/v2/event/1001/trigger", """{"key_id":"9001","external_id":"CT-1","data":{"global":{"a":"1"}}}""");

        answer.Status.ShouldBe(200);
        answer.Data.EnumerateObject().ShouldBeEmpty();
        f.Emulator.Triggers.ShouldHaveSingleItem().EventId.ShouldBe(1001);
    }

    [Fact]
    public async Task Trigger_UnknownEventId_Returns400With5001()
    {
        await using var f = await EmarsysEmulatorFixture.StartAsync();
        await CreateContactAsync(f, "CT-1");

        var answer = await f.SendAsync(HttpMethod.Post, "api/v2/event/999/trigger", """{"key_id":"9001","external_id":"CT-1"}""");

        answer.Status.ShouldBe(400);
        answer.ReplyCode.ShouldBe(5001);
        f.Emulator.Triggers.ShouldBeEmpty();
    }

    [Fact]
    public async Task Trigger_PayloadOverLimit_Returns400()
    {
        await using var f = await EmarsysEmulatorFixture.StartAsync(o => o.MaxEventPayloadBytes = 1024);
        await CreateContactAsync(f, "CT-1");

        var answer = await f.SendAsync(HttpMethod.Post, "api/v2/event/1001/trigger",
            "{\"key_id\":\"9001\",\"external_id\":\"CT-1\",\"data\":{\"global\":{\"blob\":\"" + new string('x', 2000) + "\"}}}");

        answer.Status.ShouldBe(400);
        f.Emulator.Triggers.ShouldBeEmpty();
    }

    [Fact]
    public async Task Trigger_WithoutWsse_Returns401()
    {
        await using var f = await EmarsysEmulatorFixture.StartAsync();

        var answer = await f.SendAsync(HttpMethod.Post, "api/v2/event/1001/trigger", """{"key_id":"9001","external_id":"CT-1"}""", wsse: "nonsense");

        answer.Status.ShouldBe(401);
    }

    private static async Task CreateContactAsync(EmarsysEmulatorFixture f, string key) =>
        (await f.SendAsync(HttpMethod.Put, "api/v2/contact?create_if_not_exists=1",
            $$"""{"key_id":"9001","contacts":[{"9001":"{{key}}","3":"{{key.ToLowerInvariant()}}@example.com"}]}""")).Status.ShouldBe(200);

    private static async Task<RawAnswer> UploadAsync(EmarsysEmulatorFixture f, string csv, string? token = null, string scheme = "bearer",
        bool gzip = false, string? merchant = null)
    {
        var bytes = Encoding.UTF8.GetBytes(csv);
        if (gzip)
        {
            using var buffer = new MemoryStream();
            await using (var zip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            {
                await zip.WriteAsync(bytes);
            }

            bytes = buffer.ToArray();
        }

        using var request = new HttpRequestMessage(HttpMethod.Post,
            $"hapi/merchant/{merchant ?? f.Emulator.Options.MerchantId}/sales-data/api") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        if (gzip)
        {
            request.Content.Headers.ContentEncoding.Add("gzip");
        }

        request.Headers.TryAddWithoutValidation("Authorization", $"{scheme} {token ?? f.Emulator.Options.SalesDataToken}");
        using var response = await f.Http.SendAsync(request);
        return new RawAnswer((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers,
            response.Content.Headers.ContentType);
    }
}
