using System.Diagnostics;
using System.Net;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Engine;
using Tributary.Engine.Hosting;
using Tributary.Host.Composition;
using Tributary.Host.Server;
using Tributary.Tests.Reliability;

namespace Tributary.Tests.EndToEnd;

/// <summary>
/// Poison notifications pushed into a running service: each one sits in its lane with the reason (or is counted as skipped),
/// and a valid notification pushed right after it reaches Emarsys within 2 seconds, without waiting for the poison one.
/// </summary>
[EndToEnd]
public sealed class PoisonNotificationTests
{
    // The bound: a valid notification behind a poison one is delivered within 2 s. The lane, woken by the push, takes it
    // at once; before the fix it never was (the batch was retried every 5 s for ever).
    private static readonly TimeSpan DeliveredWithin = TimeSpan.FromSeconds(2);

    private sealed class Service : IAsyncDisposable
    {
        private readonly RealtimeLane _lane;

        private Service(SandboxHarness h, PipelineRuntime runtime, HostServer server, RealtimeLane lane, Channel<LaneEvent> rounds)
        {
            H = h;
            Runtime = runtime;
            Server = server;
            _lane = lane;
            Rounds = rounds;
        }

        public SandboxHarness H { get; }

        public PipelineRuntime Runtime { get; }

        public HostServer Server { get; }

        public Channel<LaneEvent> Rounds { get; }

        /// <summary>Every round the lane reported, in order.</summary>
        public System.Collections.Concurrent.ConcurrentQueue<LaneEvent> All { get; } = new();

        public static async Task<Service> StartAsync(bool orders = false, IList<string>? scopes = null)
        {
            var h = await SandboxHarness.StartAsync(5);
            if (scopes is not null)
            {
                h.Options.Commercetools.Scopes = scopes;
            }

            var runtime = await PipelineFactory.CreateAsync(RealtimeConfig.For(h, h.Sync(orders: orders)), TimeProvider.System,
                NullLoggerFactory.Instance, CancellationToken.None);
            // The first sweep reads customers only: with a client that may not read orders, a sweep of orders would stop there.
            await runtime.Pipeline.RunPassAsync(new PassOptions(Entities: [EntityKind.Customer]), null, CancellationToken.None);
            var server = await HostServer.StartAsync("http://127.0.0.1:0", runtime, TimeProvider.System, NullLoggerFactory.Instance,
                CancellationToken.None);
            var rounds = Channel.CreateUnbounded<LaneEvent>();
            Service? service = null;
            var lane = new RealtimeLane(runtime.Pipeline, new RealtimeLaneOptions(), TimeProvider.System, NullLogger.Instance)
            {
                Observer = e =>
                {
                    service?.All.Enqueue(e);
                    rounds.Writer.TryWrite(e);
                },
            };
            service = new Service(h, runtime, server, lane, rounds);
            server.Notified += lane.Wake;
            await lane.StartAsync(CancellationToken.None);
            return service;
        }

        public async Task PushAsync(string payloadJson, string messageId)
        {
            using var http = new HttpClient();
            using var answer = await http.PostAsync(new Uri(Server.BaseUrl, $"/webhooks/commercetools?token={RealtimeConfig.PushToken}"),
                new StringContent(JsonSerializerHelper.Envelope(payloadJson, messageId), Encoding.UTF8, "application/json"));
            answer.StatusCode.ShouldBe(HttpStatusCode.NoContent, "a well-formed notification is acknowledged; what it names is checked on re-read");
        }

        /// <summary>Changes a valid customer at the source, pushes its notification, and returns how long until Emarsys held it.</summary>
        public async Task<TimeSpan> PushValidChangeAndWaitAsync()
        {
            var customer = H.ValidCustomers()[0];
            var ct = H.Sandbox.Commercetools;
            ct.UpdateCustomer(customer.Id!, c => c.LastName = "AfterPoison").ShouldBeTrue();
            var started = Stopwatch.StartNew();
            await PushAsync(CustomerPayload("valid-1", customer.Id!, ct.GetCustomer(customer.Id!)!.Version), "env-valid-1");
            using var timeout = new CancellationTokenSource(DeliveredWithin * 5);
            while (true)
            {
                // Every round the lane reports is a moment the contact may have changed: look then, not on a timer.
                var round = await Rounds.Reader.ReadAsync(timeout.Token);
                round.Failure.ShouldBeNull("no round fails because of the poison notification");
                if ((await H.ReadContactsAsync([customer.Id!])).GetValueOrDefault(customer.Id!)?.GetValueOrDefault("2") == "AfterPoison")
                {
                    return started.Elapsed;
                }
            }
        }

        public async Task<OutboxEntry> LaneRowAsync(EntityKind entity, Func<string, bool> key)
        {
            foreach (var lane in new[] { OutboxStatus.Quarantined, OutboxStatus.Dead })
            {
                if ((await Runtime.Store.ListAsync(lane, "emarsys", 100, CancellationToken.None)).FirstOrDefault(r => r.Entity == entity && key(r.Key)) is { } row)
                {
                    return row;
                }
            }

            throw new ShouldAssertException("the poison record is in no lane");
        }

        public async ValueTask DisposeAsync()
        {
            await _lane.StopAsync(CancellationToken.None);
            _lane.Dispose();
            await Server.DisposeAsync();
            await Runtime.DisposeAsync();
            await H.DisposeAsync();
        }
    }

    private static string CustomerPayload(string messageId, string id, long version = 2) =>
        $$"""{"notificationType":"ResourceUpdated","projectKey":"demo","id":"{{messageId}}","resource":{"typeId":"customer","id":"{{id}}"},"version":{{version}}}""";

    private static string OrderPayload(string messageId, string id) =>
        $$"""{"notificationType":"ResourceCreated","projectKey":"demo","id":"{{messageId}}","resource":{"typeId":"order","id":"{{id}}"},"version":1}""";

    [Theory]
    [InlineData("", "is not a commercetools customer id")]
    [InlineData(".", "is not a commercetools customer id")]
    [InlineData("..", "is not a commercetools customer id")]
    public async Task CustomerNotificationWithAnIdThatCannotNameARecord_Quarantined_TheNextOneDelivered(string id, string reason)
    {
        await using var s = await Service.StartAsync();

        await s.PushAsync(CustomerPayload("poison-1", id), "env-poison-1");
        var took = await s.PushValidChangeAndWaitAsync();

        took.ShouldBeLessThan(DeliveredWithin);
        var row = await s.LaneRowAsync(EntityKind.Customer, k => k == id);
        row.Status.ShouldBe(OutboxStatus.Quarantined);
        row.LastError.ShouldNotBeNull().ShouldContain(reason);
        (await s.Runtime.Store.PendingInboxAsync(10, CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task CustomerNotificationWithA10000CharacterId_CommercetoolsAnswers414_Quarantined_TheNextOneDelivered()
    {
        await using var s = await Service.StartAsync();
        var id = new string('a', 10_000);

        await s.PushAsync(CustomerPayload("poison-long", id), "env-poison-long");
        var took = await s.PushValidChangeAndWaitAsync();

        took.ShouldBeLessThan(DeliveredWithin);
        var row = await s.LaneRowAsync(EntityKind.Customer, k => k.StartsWith("aaaa", StringComparison.Ordinal));
        row.Status.ShouldBe(OutboxStatus.Quarantined);
        row.LastStatusCode.ShouldBe(414);
        row.LastError.ShouldNotBeNull().ShouldContain("HTTP 414");
        row.Key.ShouldContain("10000 characters", Case.Sensitive, "a key no platform issues is kept shortened, with its length");
    }

    [Fact]
    public async Task CustomerWhoseDateOfBirthCannotBeParsed_Quarantined_TheNextOneDelivered()
    {
        await using var s = await Service.StartAsync();
        var broken = s.H.ValidCustomers()[1];
        s.H.Sandbox.Commercetools.UpdateCustomer(broken.Id!, c => c.DateOfBirth = "31/02/1990").ShouldBeTrue();

        await s.PushAsync(CustomerPayload("poison-dob", broken.Id!), "env-poison-dob");
        var took = await s.PushValidChangeAndWaitAsync();

        took.ShouldBeLessThan(DeliveredWithin);
        var row = await s.LaneRowAsync(EntityKind.Customer, k => k == broken.Id);
        row.Status.ShouldBe(OutboxStatus.Quarantined);
        row.LastError.ShouldNotBeNull().ShouldContain("dateOfBirth");
    }

    [Fact]
    public async Task OrderNotificationInAPipelineThatDoesNotSyncOrders_SkippedWithTheReasonAndNeverReRead_TheNextOneDelivered()
    {
        // The everyday case: the API client holds only view_customers, and orders are not synced.
        await using var s = await Service.StartAsync(orders: false, scopes: ["view_customers"]);
        var requests = s.H.Sandbox.Commercetools.RequestCount;

        await s.PushAsync(OrderPayload("order-1", "0b5e0c44-0000-4000-8000-000000000001"), "env-order-1");
        var took = await s.PushValidChangeAndWaitAsync();

        took.ShouldBeLessThan(DeliveredWithin);
        s.All.Sum(e => e.Inbox?.Skipped ?? 0).ShouldBe(1, "the order notification is counted as skipped");
        s.All.ShouldAllBe(e => e.Failure == null);
        (await s.Runtime.Store.PendingInboxAsync(10, CancellationToken.None)).ShouldBeEmpty();
        (await s.Runtime.Store.ListAsync(OutboxStatus.Quarantined, null, 100, CancellationToken.None)).ShouldNotContain(r => r.Entity == EntityKind.Order);
        (s.H.Sandbox.Commercetools.RequestCount - requests).ShouldBe(1, "one re-read of the valid customer; the order is never asked for");
    }

    [Fact]
    public async Task OrderNotificationWhoseApiClientLacksTheOrderScope_Quarantined403NamingTheScopeAndTheConfigKey_TheNextOneDelivered()
    {
        await using var s = await Service.StartAsync(orders: true, scopes: ["view_customers"]);

        await s.PushAsync(OrderPayload("order-403", "0b5e0c44-0000-4000-8000-000000000002"), "env-order-403");
        var took = await s.PushValidChangeAndWaitAsync();

        took.ShouldBeLessThan(DeliveredWithin);
        var row = await s.LaneRowAsync(EntityKind.Order, k => k == "0b5e0c44-0000-4000-8000-000000000002");
        row.Status.ShouldBe(OutboxStatus.Quarantined);
        row.LastStatusCode.ShouldBe(403);
        row.LastError.ShouldNotBeNull().ShouldContain("insufficient_scope");
        row.LastError.ShouldContain("view_orders");
        row.LastError.ShouldContain("source.commercetools.scopes");
    }
}
