using System.Globalization;
using Tributary.Connectors.Centra;
using Tributary.Core.Contracts;
using Tributary.Sandbox;
using Tributary.Sandbox.Centra;

namespace Tributary.Tests.Connectors.Centra;

public sealed class CentraSourceComplianceTests : SourceComplianceTests
{
    protected override async Task<SourceFixture> StartAsync(int customers, TimeProvider serverTime)
    {
        var server = await SandboxServer.StartAsync(new SandboxOptions(), serverTime, CancellationToken.None);
        var seededAt = serverTime.GetUtcNow().AddDays(-1);
        var keys = Enumerable.Range(0, customers)
            .Select(i => server.Centra.AddCustomer(new CentraSandboxCustomer
            {
                Email = $"c{i}@example.com",
                FirstName = "Ann",
                CreatedAt = seededAt,
                UpdatedAt = seededAt.AddSeconds(i),
            }).ToString(CultureInfo.InvariantCulture))
            .ToList();
        return new Fixture(server, CentraSourceTests.Source(server), keys, serverTime);
    }

    private sealed class Fixture(SandboxServer server, CentraSource source, List<string> keys, TimeProvider time) : SourceFixture
    {
        private int _added;

        public override ISourceConnector Source => source;

        public override IReadOnlyList<string> Keys => keys;

        public override TimeProvider ServerTime => time;

        public override string MissingKey => "987654";

        public override Task ModifyAsync(string key)
        {
            server.Centra.UpdateCustomer(int.Parse(key, CultureInfo.InvariantCulture), c => c.FirstName = "Changed").ShouldBeTrue();
            return Task.CompletedTask;
        }

        public override Task<string> AddMalformedAsync() => Task.FromResult(server.Centra.AddCustomer(new CentraSandboxCustomer
        {
            Email = $"bad{++_added}@example.com",
            CreatedAtOverride = "the day before yesterday",
        }).ToString(CultureInfo.InvariantCulture));

        public override Task<string> AddCustomerAsync(bool? consent) => Task.FromResult(server.Centra.AddCustomer(new CentraSandboxCustomer
        {
            Email = $"added{++_added}@example.com",
            Newsletter = consent,
        }).ToString(CultureInfo.InvariantCulture));

        public override async ValueTask DisposeAsync()
        {
            source.Dispose();
            await server.DisposeAsync();
        }
    }
}
