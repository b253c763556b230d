using Tributary.Core.Rules;
using Tributary.Sandbox.Generator;

namespace Tributary.Tests.Sandbox.Generator;

[Unit]
public partial class ShopGeneratorTests
{
    [Fact]
    public void Customers_SameSeed_SameShop()
    {
        var a = new ShopGenerator(7).Customers(500);
        var b = new ShopGenerator(7).Customers(500);

        a.Select(Describe).ShouldBe(b.Select(Describe));
    }

    [Fact]
    public void Customers_DifferentSeed_DifferentShop()
    {
        var a = new ShopGenerator(7).Customers(50);
        var b = new ShopGenerator(8).Customers(50);

        a.Select(c => c.Email).ShouldNotBe(b.Select(c => c.Email));
    }

    [Fact]
    public void Customers_LargeShop_AboutOnePercentInvalidEmailsOfSeveralKinds()
    {
        var customers = new ShopGenerator().Customers(20_000);
        var invalid = customers.Where(c => !EmailRule.TryNormalize(c.Email, out _, out _)).ToList();

        var share = invalid.Count / (double)customers.Count;
        share.ShouldBeInRange(0.006, 0.015);
        invalid.Count(c => !c.Email.Contains('@', StringComparison.Ordinal)).ShouldBeGreaterThan(0);
        invalid.Count(c => c.Email.Contains("@@", StringComparison.Ordinal)).ShouldBeGreaterThan(0);
        invalid.Count(c => c.Email.EndsWith('.')).ShouldBeGreaterThan(0);
        invalid.Count(c => c.Email.Trim().Contains(' ', StringComparison.Ordinal)).ShouldBeGreaterThan(0);
    }

    [Fact]
    public void Customers_ValidEmails_AreUniqueAfterNormalisationAndSomeAreUntidy()
    {
        var customers = new ShopGenerator().Customers(20_000);
        var normalized = customers
            .Select(c => EmailRule.TryNormalize(c.Email, out var n, out _) ? n : null)
            .Where(n => n is not null)
            .ToList();

        normalized.Distinct(StringComparer.Ordinal).Count().ShouldBe(normalized.Count);
        customers.Count(c => c.Email != c.Email.Trim() || c.Email.Any(char.IsUpper)).ShouldBeGreaterThan(100);
    }

    [Fact]
    public void Customers_LargeShop_StoresLocalesAndFieldsFollowTheProfile()
    {
        var customers = new ShopGenerator(3).Customers(10_000);

        customers.Select(c => c.Stores.Single()).Distinct().Order().ShouldBe(["eu", "uk", "us"]);
        customers.Where(c => c.Stores[0] == "eu").Select(c => c.Locale).Distinct().Order().ShouldBe(["de-DE", "fr-FR", "sv-SE"]);
        Share(customers, c => c.DateOfBirth is not null).ShouldBeInRange(0.75, 0.85);
        Share(customers, c => c.Addresses.Single(a => a.Id == c.DefaultBillingAddressId) is { } a && (a.Phone ?? a.Mobile) is not null)
            .ShouldBeInRange(0.45, 0.55);
        Share(customers, c => c.CustomFields.TryGetValue("marketingOptIn", out var v) && v is true).ShouldBeInRange(0.50, 0.60);
        Share(customers, c => c.CustomFields.TryGetValue("marketingOptIn", out var v) && v is false).ShouldBeInRange(0.25, 0.35);
        Share(customers, c => !c.CustomFields.ContainsKey("marketingOptIn")).ShouldBeInRange(0.11, 0.19);
        customers.Select(c => c.CustomFields.GetValueOrDefault("loyaltyTier")).Distinct().Count().ShouldBe(4);
        customers.ShouldAllBe(c => c.CreatedAt >= new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.Zero) && c.LastModifiedAt >= c.CreatedAt);
        customers.Select(c => c.Id).Distinct().Count().ShouldBe(customers.Count);
    }

    private static double Share<T>(IReadOnlyList<T> items, Func<T, bool> predicate) => items.Count(predicate) / (double)items.Count;

    private static string Describe(Tributary.Sandbox.Commercetools.SandboxCustomer c) =>
        $"{c.Id}|{c.Email}|{c.FirstName}|{c.LastName}|{c.DateOfBirth}|{c.Locale}|{c.Stores[0]}|{c.CreatedAt:O}|{c.Addresses[0].Phone}|"
        + string.Join(',', c.CustomFields.Select(kv => $"{kv.Key}={kv.Value}"));
}
