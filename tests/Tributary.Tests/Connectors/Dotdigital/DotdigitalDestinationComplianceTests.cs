using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Core.Rules;

namespace Tributary.Tests.Connectors.Dotdigital;

public class DotdigitalDestinationComplianceTests : DestinationComplianceTests
{
    protected override async Task<IDestinationUnderTest> StartAsync(bool wrongCredentials = false) =>
        new Under(await DotdigitalConnectorFixture.StartAsync(client: o => o.Password = wrongCredentials ? WrongSecret : o.Password));

    private sealed class Under(DotdigitalConnectorFixture fixture) : IDestinationUnderTest
    {
        public IDestinationConnector Destination => fixture.Destination;

        public HeldContact? Read(Customer customer)
        {
            EmailRule.TryNormalize(customer.Email, out var email, out _);
            var contact = fixture.Emulator.FindContact(email);
            if (contact is null)
            {
                return null;
            }

            var consent = contact.EmailStatus switch
            {
                "subscribed" => HeldConsent.OptedIn,
                "unsubscribed" or "suppressed" => HeldConsent.OptedOut,
                _ => HeldConsent.NotSet,
            };
            return new HeldContact(contact.Email, contact.DataFields.GetValueOrDefault("FIRSTNAME"), contact.DataFields.GetValueOrDefault("LASTNAME"), consent);
        }

        public void Reject(Customer customer)
        {
            EmailRule.TryNormalize(customer.Email, out var email, out _);
            fixture.Emulator.RejectEmail(email, "contacts:invalidId", $"The id value '{email}' for the identifier 'email' is invalid");
        }

        public void RateLimitNextCall() => fixture.Emulator.Faults.RateLimitNext(1);

        public void FailNextCall() => fixture.Emulator.Faults.FailNext(1);

        public ValueTask DisposeAsync() => fixture.DisposeAsync();
    }
}
