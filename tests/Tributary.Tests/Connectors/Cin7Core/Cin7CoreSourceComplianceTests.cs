using Tributary.Connectors.Cin7Core;
using Tributary.Core.Contracts;
using Tributary.Sandbox;
using Tributary.Sandbox.Cin7Core;

namespace Tributary.Tests.Connectors.Cin7Core;

public sealed class Cin7CoreSourceComplianceTests : SourceComplianceTests
{
    private const string ConsentField = "AdditionalAttribute1";

    protected override async Task<SourceFixture> StartAsync(int customers, TimeProvider serverTime)
    {
        var server = await Cin7CoreTestHost.StartAsync(time: serverTime);
        var seededAt = serverTime.GetUtcNow().AddDays(-1);
        var keys = Enumerable.Range(0, customers)
            .Select(i => server.Cin7Core.AddCustomer(new Cin7SandboxCustomer
            {
                Name = $"Customer {i:000}",
                Contacts = [Cin7CoreTestHost.Contact($"c{i}@example.com", isDefault: true)],
                LastModifiedOn = seededAt.AddSeconds(i),
            }).ToString())
            .Order(StringComparer.Ordinal)
            .ToList();
        var source = Cin7CoreTestHost.Source(server, sourceOptions: new Cin7CoreSourceOptions { ConsentField = ConsentField });
        return new Fixture(server, source, keys, serverTime);
    }

    private sealed class Fixture(SandboxServer server, Cin7CoreSource source, List<string> keys, TimeProvider time) : SourceFixture
    {
        private int _added;

        public override ISourceConnector Source => source;

        public override IReadOnlyList<string> Keys => keys;

        public override TimeProvider ServerTime => time;

        public override string MissingKey => "00000000-0000-4000-8000-00000000dead";

        public override Task ModifyAsync(string key)
        {
            server.Cin7Core.UpdateCustomer(Guid.Parse(key), c => c.Tags = "changed").ShouldBeTrue();
            return Task.CompletedTask;
        }

        public override Task<string> AddMalformedAsync() => Task.FromResult(server.Cin7Core.AddCustomer(new Cin7SandboxCustomer
        {
            Name = $"Malformed {++_added}",
            Contacts = [Cin7CoreTestHost.Contact($"bad{_added}@example.com", isDefault: true)],
            LastModifiedOnOverride = "the day before yesterday",
        }).ToString());

        public override Task<string> AddCustomerAsync(bool? consent)
        {
            var customer = new Cin7SandboxCustomer
            {
                Name = $"Added {++_added}",
                Contacts = [Cin7CoreTestHost.Contact($"added{_added}@example.com", isDefault: true)],
            };
            if (consent is { } c)
            {
                customer.AdditionalAttributes[ConsentField] = c ? "Yes" : "No";
            }

            return Task.FromResult(server.Cin7Core.AddCustomer(customer).ToString());
        }

        public override async ValueTask DisposeAsync()
        {
            source.Dispose();
            await server.DisposeAsync();
        }
    }
}
