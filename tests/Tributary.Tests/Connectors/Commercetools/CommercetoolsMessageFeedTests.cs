using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Connectors.Commercetools;
using Tributary.Core.Model;
using Tributary.Host.Composition;
using Tributary.Host.Server;
using Tributary.Tests.EndToEnd;
using Tributary.Tests.Reliability;

namespace Tributary.Tests.Connectors.Commercetools;

/// <summary>The Messages API pulled into the durable inbox: cursor kept, every message once, push and pull deduplicated together.</summary>
[Connector]
public sealed class CommercetoolsMessageFeedTests
{
    [Fact]
    public async Task PullAsync_NewMessages_StoredOnceAndCursorMoves_ThenDeliveredByTheRealtimeLane()
    {
        await using var h = await SandboxHarness.StartAsync(20);
        h.Sandbox.Commercetools.MessagesEnabled = true;
        await using var runtime = await PipelineFactory.CreateAsync(RealtimeConfig.For(h, h.Sync(), messages: true), TimeProvider.System,
            NullLoggerFactory.Instance, CancellationToken.None);
        await runtime.Pipeline.RunPassAsync(new Tributary.Engine.PassOptions(), null, CancellationToken.None);
        var feed = runtime.ChangeFeed.ShouldNotBeNull();

        (await feed.PullAsync(CancellationToken.None)).ShouldBe(new Tributary.Engine.ChangeFeedReport(0, 0, 0), "the first pull only sets the cursor");
        (await runtime.Store.GetCursorAsync(CommercetoolsMessageFeed.CursorSource, EntityKind.Customer, CancellationToken.None)).ShouldNotBeNull();

        var ct = h.Sandbox.Commercetools;
        var customers = h.ValidCustomers();
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        ct.UpdateCustomer(customers[0].Id!, c => c.LastName = "Pulled");
        ct.RecordMessage("customer", customers[0].Id!, "CustomerLastNameSet");
        ct.UpdateCustomer(customers[0].Id!, c => c.FirstName = "Newest");
        ct.RecordMessage("customer", customers[0].Id!, "CustomerFirstNameSet");
        ct.UpdateCustomer(customers[1].Id!, c => c.LastName = "Second");
        ct.RecordMessage("customer", customers[1].Id!, "CustomerLastNameSet");
        ct.RecordMessage("cart", "cart-1", "CartCreated");

        var first = await feed.PullAsync(CancellationToken.None);
        var again = await feed.PullAsync(CancellationToken.None);

        first.ShouldBe(new Tributary.Engine.ChangeFeedReport(4, 3, 1));
        again.Stored.ShouldBe(0, "messages seen again in the overlap are deduplicated by id");
        (await runtime.Store.PendingInboxAsync(10, CancellationToken.None)).Count.ShouldBe(3);

        var report = await runtime.Pipeline.ProcessInboxAsync(100, null, CancellationToken.None);

        report.Reread.ShouldBe(2, "two hints for one customer cost one read");
        var contacts = await h.ReadContactsAsync([customers[0].Id!, customers[1].Id!]);
        contacts[customers[0].Id!]["1"].ShouldBe("Newest");
        contacts[customers[0].Id!]["2"].ShouldBe("Pulled");
        contacts[customers[1].Id!]["2"].ShouldBe("Second");
    }

    [Fact]
    public async Task PullAsync_MessageAlsoPushed_TakenOnce()
    {
        await using var h = await SandboxHarness.StartAsync(5);
        h.Sandbox.Commercetools.MessagesEnabled = true;
        await using var runtime = await PipelineFactory.CreateAsync(RealtimeConfig.For(h, h.Sync(), messages: true), TimeProvider.System,
            NullLoggerFactory.Instance, CancellationToken.None);
        await using var server = await HostServer.StartAsync("http://127.0.0.1:0", runtime, TimeProvider.System, NullLoggerFactory.Instance,
            CancellationToken.None);
        var feed = runtime.ChangeFeed.ShouldNotBeNull();
        await feed.PullAsync(CancellationToken.None);
        var id = h.ValidCustomers()[0].Id!;
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        var message = h.Sandbox.Commercetools.RecordMessage("customer", id, "CustomerLastNameSet").ShouldNotBeNull();
        using var http = new HttpClient();

        var pushed = await http.PostAsync(new Uri(server.BaseUrl, $"/webhooks/commercetools?token={RealtimeConfig.PushToken}"),
            new StringContent(RealtimeConfig.CustomerNotification(message.Id, id, message.ResourceVersion), Encoding.UTF8, "application/json"));
        var pulled = await feed.PullAsync(CancellationToken.None);

        ((int)pushed.StatusCode).ShouldBe(204);
        pulled.Read.ShouldBe(1);
        pulled.Stored.ShouldBe(0);
        (await runtime.Store.PendingInboxAsync(10, CancellationToken.None)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task QueryMessages_MessagesDisabled_EmptyAndProjectSaysSo()
    {
        await using var h = await SandboxHarness.StartAsync(2);
        await using var runtime = await PipelineFactory.CreateAsync(RealtimeConfig.For(h, h.Sync(), messages: true), TimeProvider.System,
            NullLoggerFactory.Instance, CancellationToken.None);
        var client = ((CommercetoolsSource)runtime.Source).Client;

        h.Sandbox.Commercetools.RecordMessage("customer", h.ValidCustomers()[0].Id!, "CustomerLastNameSet").ShouldBeNull();
        (await client.QueryMessagesAsync(DateTimeOffset.UnixEpoch, 0, 500, CancellationToken.None)).ShouldBeEmpty();
    }
}
