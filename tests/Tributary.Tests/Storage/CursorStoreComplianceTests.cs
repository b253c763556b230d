using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Tests.Storage;

/// <summary>The behaviour every <see cref="ICursorStore"/> must have.</summary>
[Storage]
public abstract class CursorStoreComplianceTests(StoreHarness harness) : StoreComplianceTests(harness)
{
    [Fact]
    public async Task GetCursorAsync_NeverSaved_IsNull()
    {
        (await Store.GetCursorAsync("commercetools", EntityKind.Customer, Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task SetCursorAsync_SavedTwice_ReturnsLatestPerSourceAndEntity()
    {
        await Store.SetCursorAsync("commercetools", EntityKind.Customer, "a", Ct);
        await Store.SetCursorAsync("commercetools", EntityKind.Customer, "b", Ct);
        await Store.SetCursorAsync("commercetools", EntityKind.Order, "o", Ct);

        (await Store.GetCursorAsync("commercetools", EntityKind.Customer, Ct)).ShouldBe("b");
        (await Store.GetCursorAsync("commercetools", EntityKind.Order, Ct)).ShouldBe("o");
        (await Store.GetCursorAsync("centra", EntityKind.Customer, Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task StageAsync_WithCursor_SavesCursorInTheSameBatch()
    {
        await Store.StageAsync(new StageBatch([Entry("c1")], [], "commercetools", EntityKind.Customer, "2025-03-01T12:00:00Z"), Ct);

        (await Store.GetCursorAsync("commercetools", EntityKind.Customer, Ct)).ShouldBe("2025-03-01T12:00:00Z");
        (await OutboxAsync("c1")).ShouldNotBeNull();
    }

    [Fact]
    public async Task SetCursorAsync_Saved_SurvivesReopening()
    {
        await Store.SetCursorAsync("centra", EntityKind.Order, "cursor-7", Ct);

        await ReopenAsync();

        (await Store.GetCursorAsync("centra", EntityKind.Order, Ct)).ShouldBe("cursor-7");
        (await Store.GetCursorAsync("centra", EntityKind.Customer, Ct)).ShouldBeNull();
    }
}
