using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Engine;
using Tributary.Host.Composition;
using Tributary.Host.Configuration;
using Tributary.Sandbox.Commercetools;

namespace Tributary.Tests.EndToEnd;

/// <summary>
/// Lists from rules, through a config file as a user writes it, the real pipeline and the emulators: two stores with their
/// own locales and currencies; Emarsys contact lists and Dotdigital address books joined and left as a customer changes store
/// and consent; store, locale and currency on the contact in both.
/// </summary>
[EndToEnd]
public sealed class ListRulesTests
{
    private const long UkBook = 501;
    private const long DeBook = 502;
    private const long NewsBook = 503;

    private static string Config(SandboxHarness h, long ukList, long deList, long newsList) => $"""
        pipeline:
          name: two-stores
        state:
          sqlite: state.db
        source:
          commercetools:
            apiUrl: {h.Sandbox.CommercetoolsUrl}
            authUrl: {h.Sandbox.CommercetoolsUrl}
            projectKey: {h.Options.Commercetools.ProjectKey}
            clientId: {h.Options.Commercetools.ClientId}
            clientSecret: ${"{"}TEST_CT_SECRET{"}"}
            currencyByStore: {"{"} uk: GBP, de: EUR {"}"}
        destinations:
          emarsys:
            apiUrl: {h.Sandbox.EmarsysUrl}
            user: {h.Options.Emarsys.User}
            secret: ${"{"}TEST_EMARSYS_SECRET{"}"}
            requestsPerMinute: 0
            fields: {"{"} firstName: "1", lastName: "2", email: "3", store: "9009", locale: "9010", currency: "9011" {"}"}
            lists:
              - id: {ukList}
                stores: [uk]
              - id: {deList}
                stores: [de]
                locales: [de]
                currencies: [EUR]
              - id: {newsList}
                consent: email
          dotdigital:
            apiUrl: {h.Sandbox.DotdigitalUrl}
            user: {h.Options.Dotdigital.ApiUser}
            password: ${"{"}TEST_DD_PASSWORD{"}"}
            requestsPerMinute: 0
            importPollInterval: 20ms
            fields: {"{"} firstName: FIRSTNAME, store: STORE, locale: LOCALE, currency: CURRENCY {"}"}
            lists:
              - id: {UkBook}
                stores: [uk]
              - id: {DeBook}
                stores: [de]
              - id: {NewsBook}
                consent: email
        sync:
          interval: 1s
          overlap: 1m
        """;

    private static async Task<PassReport> PassAsync(SandboxHarness h, string path)
    {
        var config = ConfigLoader.Load(path, name => name switch
        {
            "TEST_CT_SECRET" => h.Options.Commercetools.ClientSecret,
            "TEST_EMARSYS_SECRET" => h.Options.Emarsys.Secret,
            "TEST_DD_PASSWORD" => h.Options.Dotdigital.Password,
            _ => null,
        });
        await using var runtime = await PipelineFactory.CreateAsync(config, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        var report = await runtime.Pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None);
        report.ShouldBalance();
        return report;
    }

    private static void Place(SandboxHarness h, SandboxCustomer customer, string store, string locale, bool optIn) =>
        h.Sandbox.Commercetools.UpdateCustomer(customer.Id!, c =>
        {
            c.Stores = [store];
            c.Locale = locale;
            c.CustomFields["marketingOptIn"] = optIn;
        }).ShouldBeTrue();

    [Fact]
    public async Task StoreAndConsentRules_AddAndRemoveListMembership_InBothDestinations_WithStoreLocaleAndCurrencyOnTheContact()
    {
        await using var h = await SandboxHarness.StartAsync(8);
        h.Options.Dotdigital.LowTierPerMinute = 0;
        h.Options.Dotdigital.MediumTierPerMinute = 0;
        h.Options.Dotdigital.HighTierPerMinute = 0;
        var emarsys = h.Sandbox.Emarsys;
        var (ukList, deList, newsList) = (emarsys.CreateContactList("UK"), emarsys.CreateContactList("DE"), emarsys.CreateContactList("Newsletter"));
        var valid = h.ValidCustomers();
        var (anna, bernd) = (valid[0], valid[1]);
        Place(h, anna, "uk", "en-GB", optIn: true);
        Place(h, bernd, "de", "de-DE", optIn: false);
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        var path = Path.Combine(h.Directory, "tributary.yaml");
        await File.WriteAllTextAsync(path, Config(h, ukList, deList, newsList));

        await PassAsync(h, path);

        emarsys.ContactListMembers(ukList, SandboxHarness.KeyField).ShouldContain(anna.Id!);
        emarsys.ContactListMembers(newsList, SandboxHarness.KeyField).ShouldContain(anna.Id!);
        emarsys.ContactListMembers(deList, SandboxHarness.KeyField).ShouldContain(bernd.Id!);
        emarsys.ContactListMembers(newsList, SandboxHarness.KeyField).ShouldNotContain(bernd.Id!, "no opt-in, no newsletter list");
        var contacts = await h.ReadContactsAsync([anna.Id!, bernd.Id!]);
        (contacts[anna.Id!]["9009"], contacts[anna.Id!]["9010"], contacts[anna.Id!]["9011"]).ShouldBe(("uk", "en-GB", "GBP"));
        (contacts[bernd.Id!]["9009"], contacts[bernd.Id!]["9010"], contacts[bernd.Id!]["9011"]).ShouldBe(("de", "de-DE", "EUR"));
        var ddAnna = h.Sandbox.Dotdigital.FindContact(anna.Email.Trim()).ShouldNotBeNull();
        var ddBernd = h.Sandbox.Dotdigital.FindContact(bernd.Email.Trim()).ShouldNotBeNull();
        ddAnna.Lists.Order().ShouldBe([UkBook, NewsBook]);
        ddBernd.Lists.Order().ShouldBe([DeBook]);
        (ddAnna.DataFields["STORE"], ddAnna.DataFields["LOCALE"], ddAnna.DataFields["CURRENCY"]).ShouldBe(("uk", "en-GB", "GBP"));
        (ddBernd.DataFields["STORE"], ddBernd.DataFields["LOCALE"], ddBernd.DataFields["CURRENCY"]).ShouldBe(("de", "de-DE", "EUR"));

        // Anna moves to the German store and opts out; Bernd moves to the UK store.
        Place(h, anna, "de", "de-DE", optIn: false);
        Place(h, bernd, "uk", "en-GB", optIn: false);
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        await PassAsync(h, path);

        emarsys.ContactListMembers(ukList, SandboxHarness.KeyField).ShouldContain(bernd.Id!);
        emarsys.ContactListMembers(ukList, SandboxHarness.KeyField).ShouldNotContain(anna.Id!, "she left the UK store");
        emarsys.ContactListMembers(deList, SandboxHarness.KeyField).ShouldContain(anna.Id!);
        emarsys.ContactListMembers(deList, SandboxHarness.KeyField).ShouldNotContain(bernd.Id!);
        emarsys.ContactListMembers(newsList, SandboxHarness.KeyField).ShouldNotContain(anna.Id!, "an opt-out takes the contact out of the consent list");
        ddAnna = h.Sandbox.Dotdigital.FindContact(anna.Email.Trim()).ShouldNotBeNull();
        ddBernd = h.Sandbox.Dotdigital.FindContact(bernd.Email.Trim()).ShouldNotBeNull();
        ddAnna.Lists.Order().ShouldBe([DeBook]);
        ddBernd.Lists.Order().ShouldBe([UkBook]);
        ddAnna.DataFields["CURRENCY"].ShouldBe("EUR");
        h.Sandbox.Dotdigital.Contacts.Count(c => string.Equals(c.Email, anna.Email.Trim(), StringComparison.OrdinalIgnoreCase)).ShouldBe(1);

        // A pass with nothing changed calls no list endpoint again.
        var removals = h.Sandbox.Dotdigital.RemovedFromLists;
        await PassAsync(h, path);
        h.Sandbox.Dotdigital.RemovedFromLists.ShouldBe(removals);
    }
}
