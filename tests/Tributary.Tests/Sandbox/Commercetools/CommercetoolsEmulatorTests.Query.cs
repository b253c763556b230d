using System.Net;
using System.Text.Json;
using Tributary.Sandbox.Commercetools;

namespace Tributary.Tests.Sandbox.Commercetools;

public sealed partial class CommercetoolsEmulatorTests
{
    private static async Task<(EmulatorHarness Harness, List<string> Ids)> SeededAsync(int count)
    {
        var h = await EmulatorHarness.StartAsync();
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(h.Emulator.AddCustomer(EmulatorHarness.Customer($"c{i}@example.com", Start.AddMinutes(i), c =>
            {
                c.CustomerNumber = $"CN{i:D3}";
                c.Stores = [i % 2 == 0 ? "eu" : "uk"];
                c.CustomTypeId = "type-1";
                if (i % 3 != 2)
                {
                    c.CustomFields["marketingOptIn"] = i % 3 == 0;
                }
            })));
        }

        ids.Sort(StringComparer.Ordinal);
        return (h, ids);
    }

    private static List<string> Ids(JsonElement body) =>
        body.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToList();

    private static string Q(string predicate) => Uri.EscapeDataString(predicate);

    [Fact]
    public async Task Query_Defaults_Limit20OffsetZeroWithTotal()
    {
        var (h, ids) = await SeededAsync(25);
        await using var _ = h;

        var (_, body) = await h.GetAsync("demo/customers");

        body.GetProperty("limit").GetInt32().ShouldBe(20);
        body.GetProperty("offset").GetInt32().ShouldBe(0);
        body.GetProperty("count").GetInt32().ShouldBe(20);
        body.GetProperty("total").GetInt64().ShouldBe(25);
        Ids(body).ShouldBe(ids.Take(20));
    }

    [Fact]
    public async Task Query_IdCursorSortedAscending_ReturnsTheNextPageWithoutTotal()
    {
        var (h, ids) = await SeededAsync(30);
        await using var _ = h;

        var (_, body) = await h.GetAsync($"demo/customers?sort=id+asc&limit=10&withTotal=false&where={Q($"id > \"{ids[9]}\"")}");

        Ids(body).ShouldBe(ids.Skip(10).Take(10));
        body.TryGetProperty("total", out var _).ShouldBeFalse();
    }

    [Fact]
    public async Task Query_WindowWithVariablesAndCursor_ReturnsOnlyRecordsInside()
    {
        var (h, _) = await SeededAsync(30);
        await using var __ = h;
        var since = Start.AddMinutes(10).ToString("O");
        var until = Start.AddMinutes(20).ToString("O");

        var (_, body) = await h.GetAsync(
            $"demo/customers?sort=id+asc&where={Q("lastModifiedAt >= :since and lastModifiedAt < :until")}&var.since={Q(since)}&var.until={Q(until)}&limit=500");

        body.GetProperty("count").GetInt32().ShouldBe(10);
        var modified = body.GetProperty("results").EnumerateArray().Select(r => DateTimeOffset.Parse(r.GetProperty("lastModifiedAt").GetString()!)).ToList();
        modified.ShouldAllBe(m => m >= Start.AddMinutes(10) && m < Start.AddMinutes(20));
    }

    [Fact]
    public async Task Query_RepeatedWhere_AreAnded()
    {
        var (h, _) = await SeededAsync(12);
        await using var _ = h;

        var (_, body) = await h.GetAsync($"demo/customers?where={Q("stores(key = \"eu\")")}&where={Q("custom(fields(marketingOptIn = true))")}");

        // eu: even i; opt-in true: i % 3 == 0 → i in {0, 6}
        body.GetProperty("total").GetInt64().ShouldBe(2);
    }

    [Theory]
    [InlineData("customerNumber in (\"CN001\", \"CN002\", \"CN999\")", 2)]
    [InlineData("customerNumber not in (\"CN001\", \"CN002\")", 10)]
    [InlineData("custom(fields(marketingOptIn is defined))", 8)]
    [InlineData("custom(fields(marketingOptIn is not defined))", 4)]
    [InlineData("not(stores(key = \"eu\")) or customerNumber = \"CN000\"", 7)]
    [InlineData("(customerNumber >= \"CN003\" and customerNumber < \"CN006\") or email = \"c11@example.com\"", 4)]
    [InlineData("version = 1 and firstName = \"Ann\" and lastName != \"Lee\"", 0)]
    [InlineData("createdAt < \"2030-05-05T07:10:09.000Z\"", 2)]
    public async Task Query_PredicateSubset_MatchesExpectedCount(string predicate, int expected)
    {
        var (h, _) = await SeededAsync(12);
        await using var _ = h;

        var (response, body) = await h.GetAsync($"demo/customers?where={Q(predicate)}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        body.GetProperty("total").GetInt64().ShouldBe(expected);
    }

    [Fact]
    public async Task Query_SortByCreatedAtDescWithOffset_ReturnsThatSlice()
    {
        var (h, _) = await SeededAsync(10);
        await using var _ = h;

        var (_, body) = await h.GetAsync("demo/customers?sort=createdAt+desc&offset=2&limit=3");

        body.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("email").GetString())
            .ShouldBe(["c7@example.com", "c6@example.com", "c5@example.com"]);
    }

    [Fact]
    public async Task Query_SortByEmailAsc_OrdersByEmail()
    {
        var (h, _) = await SeededAsync(3);
        await using var _ = h;

        var (_, body) = await h.GetAsync("demo/customers?sort=email+asc");

        body.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("email").GetString())
            .ShouldBe(["c0@example.com", "c1@example.com", "c2@example.com"]);
    }

    [Theory]
    [InlineData("limit=501")]
    [InlineData("limit=-1")]
    [InlineData("offset=10001")]
    [InlineData("where=id%20%3E")]
    [InlineData("where=nosuchfield%20%3D%20%221%22")]
    [InlineData("where=lastModifiedAt%20%3E%20%22yesterday%22")]
    [InlineData("where=id%20%3E%20%3Amissing")]
    [InlineData("sort=id%20sideways")]
    [InlineData("withTotal=maybe")]
    public async Task Query_InvalidParameter_Returns400InvalidInput(string query)
    {
        await using var h = await EmulatorHarness.StartAsync();

        var (response, body) = await h.GetAsync($"demo/customers?{query}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        body.GetProperty("statusCode").GetInt32().ShouldBe(400);
        body.GetProperty("errors")[0].GetProperty("code").GetString().ShouldBe("InvalidInput");
    }

    [Fact]
    public async Task Query_LimitZero_ReturnsOnlyTheTotal()
    {
        var (h, _) = await SeededAsync(4);
        await using var _ = h;

        var (_, body) = await h.GetAsync("demo/customers?limit=0");

        body.GetProperty("count").GetInt32().ShouldBe(0);
        body.GetProperty("total").GetInt64().ShouldBe(4);
    }

    [Fact]
    public async Task Customers_Snapshot_IsACopyInIdOrder()
    {
        var (h, ids) = await SeededAsync(5);
        await using var _ = h;

        var snapshot = h.Emulator.Customers;
        snapshot.Select(c => c.Id).ShouldBe(ids);
        snapshot[0].Email = "changed@example.com";

        h.Emulator.GetCustomer(ids[0])!.Email.ShouldNotBe("changed@example.com");
    }

    [Fact]
    public async Task AddCustomers_Bulk_KeepsIdIndexSorted()
    {
        await using var h = await EmulatorHarness.StartAsync();
        h.Emulator.AddCustomers(Enumerable.Range(0, 50).Select(i => new SandboxCustomer { Email = $"b{i}@example.com" }));
        h.Emulator.AddCustomer(new SandboxCustomer { Email = "late@example.com" });
        var expected = h.Emulator.Customers.Select(c => c.Id!).ToList();

        var (_, body) = await h.GetAsync("demo/customers?sort=id+asc&limit=500");

        Ids(body).ShouldBe(expected);
        expected.Count.ShouldBe(51);
    }
}
