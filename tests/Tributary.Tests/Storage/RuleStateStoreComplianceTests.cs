using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Tests.Storage;

/// <summary>The behaviour every <see cref="IRuleStateStore"/> must have: state per rule, entity and key, apart from delivered state.</summary>
[Storage]
public abstract class RuleStateStoreComplianceTests(StoreHarness harness) : StoreComplianceTests(harness)
{
    [Fact]
    public async Task GetRuleStateAsync_NeverSaved_IsEmpty()
    {
        (await Store.GetRuleStateAsync("stock", EntityKind.Stock, ["SKU-1"], Ct)).ShouldBeEmpty();
        (await Store.GetRuleStateAsync("stock", EntityKind.Stock, [], Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task SaveRuleStateAsync_SavedTwice_ReturnsLatestPerRuleAndEntity()
    {
        await Store.SaveRuleStateAsync("stock", EntityKind.Stock, new Dictionary<string, IReadOnlyDictionary<string, string?>>
        {
            ["SKU-1"] = Fields(("ats", "0"), ("crossings", "0")),
            ["SKU-2"] = Fields(("ats", "5")),
        }, T0, Ct);
        await Store.SaveRuleStateAsync("stock", EntityKind.Stock, new Dictionary<string, IReadOnlyDictionary<string, string?>>
        {
            ["SKU-1"] = Fields(("ats", "12"), ("crossings", "1")),
        }, T0.AddMinutes(1), Ct);
        await Store.SaveRuleStateAsync("price", EntityKind.Stock, new Dictionary<string, IReadOnlyDictionary<string, string?>>
        {
            ["SKU-1"] = Fields(("ats", "99")),
        }, T0, Ct);

        var states = await Store.GetRuleStateAsync("stock", EntityKind.Stock, ["SKU-1", "SKU-2", "SKU-3"], Ct);

        states.Count.ShouldBe(2);
        states["SKU-1"].ShouldBe(Fields(("ats", "12"), ("crossings", "1")), ignoreOrder: true);
        states["SKU-2"].ShouldBe(Fields(("ats", "5")), ignoreOrder: true);
        (await Store.GetRuleStateAsync("stock", EntityKind.Product, ["SKU-1"], Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task SaveRuleStateAsync_Saved_IsNotDeliveredStateAndSurvivesReopening()
    {
        await Store.SaveRuleStateAsync("stock", EntityKind.Stock, new Dictionary<string, IReadOnlyDictionary<string, string?>>
        {
            ["SKU-1"] = Fields(("ats", "3")),
        }, T0, Ct);

        await ReopenAsync();

        (await Store.GetRuleStateAsync("stock", EntityKind.Stock, ["SKU-1"], Ct))["SKU-1"].ShouldBe(Fields(("ats", "3")));
        (await Store.GetDeliveredAsync("!stock", EntityKind.Stock, ["SKU-1"], Ct)).ShouldBeEmpty();
        var delivered = new List<DeliveredState>();
        await foreach (var row in Store.ReadDeliveredAsync("!stock", EntityKind.Stock, Ct))
        {
            delivered.Add(row);
        }

        delivered.ShouldBeEmpty();
    }
}
