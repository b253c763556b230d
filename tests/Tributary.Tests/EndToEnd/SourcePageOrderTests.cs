using Tributary.Connectors.Http;
using Tributary.Core.Model;
using Tributary.Engine;

namespace Tributary.Tests.EndToEnd;

/// <summary>A source page served out of key order stops the read before it is used; the cursor stays where the order held.</summary>
[EndToEnd]
public sealed class SourcePageOrderTests
{
    [Fact]
    public async Task Sync_CommercetoolsServesAPageOutOfIdOrder_ReadStopsNamingThePage_CursorNotAdvanced_NextPassCompletes()
    {
        await using var h = await SandboxHarness.StartAsync(12);
        var sync = h.Sync(batchSize: 5);
        var ids = h.Sandbox.Commercetools.Customers.Select(c => c.Id!).ToList();
        // Pages of five: the first as asked, the second reversed.
        h.Sandbox.Commercetools.ServePagesOutOfOrder(count: 1, afterPages: 1);

        var error = await Should.ThrowAsync<KeysetOrderException>(() => h.PassAsync(sync: sync));

        error.Page.ShouldBe(2);
        error.Message.ShouldStartWith("commercetools served page 2 of the customers read out of id order");
        await using (var runtime = await h.OpenAsync(sync))
        {
            var cursor = SweepCursor.Parse(await runtime.Store.GetCursorAsync("commercetools", EntityKind.Customer, CancellationToken.None));
            cursor.Watermark.ShouldBeNull("the read did not complete");
            cursor.InProgress.ShouldNotBeNull().AfterKey.ShouldBe(ids[4], "progress stops at the last page in order");
        }

        var report = await h.PassAsync(sync: sync);

        report.Counters.Read.ShouldBe(7, "the next pass resumes after the last page in order and reads the rest");
        var contacts = await h.ReadContactsAsync(h.ValidCustomers().Select(c => c.Id!));
        contacts.Keys.ShouldBe(h.ValidCustomers().Select(c => c.Id!), ignoreOrder: true);
    }
}
