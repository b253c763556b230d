using Tributary.Core.Model;
using Tributary.Core.Rules;

namespace Tributary.Tests.Core;

[Unit]
public sealed class ListRulesTests
{
    private static Customer Shopper(string? store = "uk", string? locale = "en-GB", string? currency = "GBP", ConsentStatus email = ConsentStatus.Subscribed,
        string? tier = null) => new()
    {
        SourceId = "c-1",
        Email = "a@example.com",
        Store = store,
        Locale = locale,
        Currency = currency,
        Consents = new Dictionary<string, Consent> { [ConsentChannels.Email] = new(email, "test") },
        Attributes = new Dictionary<string, string?> { ["tier"] = tier },
    };

    [Theory]
    [InlineData("en", "en-GB", true)]
    [InlineData("en", "en_US", true)]
    [InlineData("EN-gb", "en-GB", true)]
    [InlineData("en-GB", "en-US", false)]
    [InlineData("en", "eng", false)]
    [InlineData("de", null, false)]
    public void Locale_ALanguageTakesItsRegions_ARegionOnlyItself(string wanted, string? locale, bool matches) =>
        new ListRule("1", Locales: [wanted]).Matches(Shopper(locale: locale)).ShouldBe(matches);

    [Fact]
    public void EveryConditionMustHold_AndAnyValueOfOneCondition()
    {
        var rule = new ListRule("7", ConsentChannels.Email, Stores: ["de", "UK"], Currencies: ["gbp"], Attributes: new Dictionary<string, string> { ["tier"] = "Gold" });
        rule.Matches(Shopper(tier: "gold")).ShouldBeTrue();
        rule.Matches(Shopper(tier: "silver")).ShouldBeFalse("the attribute differs");
        rule.Matches(Shopper(tier: "gold", email: ConsentStatus.Unknown)).ShouldBeFalse("no explicit yes to email");
        rule.Matches(Shopper(tier: "gold", email: ConsentStatus.Unsubscribed)).ShouldBeFalse();
        rule.Matches(Shopper(tier: "gold", store: "se")).ShouldBeFalse("another store");
        rule.Matches(Shopper(tier: "gold", currency: "EUR")).ShouldBeFalse("another currency");
        rule.Matches(Shopper(tier: null)).ShouldBeFalse("no attribute value");
        new ListRule("8").Matches(Shopper(store: null, locale: null, currency: null, email: ConsentStatus.Unknown)).ShouldBeTrue("no conditions: everyone");
    }

    [Fact]
    public void Membership_IsOrderedNumerically_AndEmptyWhenNoListTakesTheCustomer()
    {
        ListRules.Membership(Shopper(), [new ListRule("100"), new ListRule("20", Stores: ["uk"]), new ListRule("3", Stores: ["de"])], ["9"])
            .ShouldBe("9,20,100");
        ListRules.Membership(Shopper(), [new ListRule("3", Stores: ["de"])]).ShouldBe(string.Empty);
    }

    [Fact]
    public void Change_NamesTheListsAddedAndRemoved()
    {
        var (added, removed) = ListRules.Change("1,2,3", "2,4");
        added.ShouldBe(["4"]);
        removed.ShouldBe(["1", "3"]);
        ListRules.Change(null, "5").Added.ShouldBe(["5"]);
        ListRules.Change("5", string.Empty).Removed.ShouldBe(["5"]);
        ListRules.Change("5", "5").Added.ShouldBeEmpty();
    }
}
