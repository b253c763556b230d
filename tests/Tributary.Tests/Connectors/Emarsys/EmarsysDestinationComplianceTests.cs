using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Core.Rules;

namespace Tributary.Tests.Connectors.Emarsys;

public class EmarsysDestinationComplianceTests : DestinationComplianceTests
{
    protected override async Task<IDestinationUnderTest> StartAsync(bool wrongCredentials = false) =>
        new Under(await EmarsysConnectorFixture.StartAsync(client: o => o.Secret = wrongCredentials ? WrongSecret : o.Secret));

    private sealed class Under(EmarsysConnectorFixture fixture) : IDestinationUnderTest
    {
        public IDestinationConnector Destination => fixture.Destination;

        public HeldContact? Read(Customer customer)
        {
            var contact = fixture.Emulator.FindByField("9001", customer.SourceId);
            if (contact is null)
            {
                return null;
            }

            var consent = contact.Fields.GetValueOrDefault("31") switch
            {
                "1" => HeldConsent.OptedIn,
                "2" => HeldConsent.OptedOut,
                _ => HeldConsent.NotSet,
            };
            return new HeldContact(contact.Fields.GetValueOrDefault("3"), contact.Fields.GetValueOrDefault("1"), contact.Fields.GetValueOrDefault("2"), consent);
        }

        public void Reject(Customer customer) => fixture.Emulator.RejectKey(customer.SourceId, 2007, $"Invalid field value for {Masking.Email(customer.Email)}");

        public void RateLimitNextCall() => fixture.Emulator.Faults.RateLimitNext(1);

        // Subscribing someone first reads the opt-in, and that read is tried three times: the server keeps failing for longer
        // than the read's own retries, so the delivery itself meets the error.
        public void FailNextCall() => fixture.Emulator.Faults.FailNext(4);

        public ValueTask DisposeAsync() => fixture.DisposeAsync();
    }
}
