using Tributary.Connectors.Commercetools;
using Tributary.Core.Contracts;
using Tributary.Sandbox;
using Tributary.Sandbox.Commercetools;

namespace Tributary.Tests.Connectors.Commercetools;

public sealed class CommercetoolsSourceComplianceTests : SourceComplianceTests
{
    protected override async Task<SourceFixture> StartAsync(int customers, TimeProvider serverTime)
    {
        var server = await SandboxServer.StartAsync(new SandboxOptions(), serverTime, CancellationToken.None);
        var seededAt = serverTime.GetUtcNow().AddDays(-1);
        var seeded = Enumerable.Range(0, customers)
            .Select(i => new SandboxCustomer
            {
                Id = Guid.NewGuid().ToString(),
                Email = $"c{i}@example.com",
                FirstName = "Ann",
                CreatedAt = seededAt,
                LastModifiedAt = seededAt.AddSeconds(i),
            })
            .ToList();
        server.Commercetools.AddCustomers(seeded);
        var source = CommercetoolsSource.Create(new CommercetoolsClientOptions
        {
            ApiUrl = server.CommercetoolsUrl,
            AuthUrl = server.CommercetoolsUrl,
            ProjectKey = "demo",
            ClientId = "sandbox-client",
            ClientSecret = "sandbox-secret",
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
            MaxRetryDelay = TimeSpan.FromMilliseconds(20),
        }, new CommercetoolsSourceOptions(), TimeProvider.System);
        return new Fixture(server, source, seeded.Select(c => c.Id!).Order(StringComparer.Ordinal).ToList(), serverTime);
    }

    private sealed class Fixture(SandboxServer server, CommercetoolsSource source, List<string> keys, TimeProvider time) : SourceFixture
    {
        private int _added;

        public override ISourceConnector Source => source;

        public override IReadOnlyList<string> Keys => keys;

        public override TimeProvider ServerTime => time;

        public override string MissingKey => Guid.NewGuid().ToString();

        public override Task ModifyAsync(string key)
        {
            server.Commercetools.UpdateCustomer(key, c => c.FirstName = "Changed").ShouldBeTrue();
            return Task.CompletedTask;
        }

        public override Task<string> AddMalformedAsync() =>
            Task.FromResult(server.Commercetools.AddCustomer(new SandboxCustomer { Email = $"bad{++_added}@example.com", DateOfBirth = "31/02/1990" }));

        public override Task<string> AddCustomerAsync(bool? consent)
        {
            var customer = new SandboxCustomer { Email = $"added{++_added}@example.com" };
            if (consent is { } c)
            {
                customer.CustomTypeId = "customer-marketing";
                customer.CustomFields["marketingOptIn"] = c;
            }

            return Task.FromResult(server.Commercetools.AddCustomer(customer));
        }

        public override async ValueTask DisposeAsync()
        {
            source.Dispose();
            await server.DisposeAsync();
        }
    }
}
