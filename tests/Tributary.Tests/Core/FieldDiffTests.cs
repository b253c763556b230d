using Tributary.Core.Diff;

namespace Tributary.Tests.Core;

[Unit]
public class FieldDiffTests
{
    [Fact]
    public void Changes_UnchangedRecord_IsEmpty()
    {
        var fields = new Dictionary<string, string?> { ["1"] = "Ann", ["3"] = "ann@example.com" };
        FieldDiff.Changes(fields, new Dictionary<string, string?>(fields)).ShouldBeEmpty();
    }

    [Fact]
    public void Changes_OneFieldChanged_SendsOnlyThatField()
    {
        var delivered = new Dictionary<string, string?> { ["1"] = "Ann", ["3"] = "ann@example.com" };
        var projected = new Dictionary<string, string?> { ["1"] = "Anna", ["3"] = "ann@example.com" };
        FieldDiff.Changes(projected, delivered).ShouldBe(new Dictionary<string, string?> { ["1"] = "Anna" });
    }

    [Fact]
    public void Changes_NullAtSource_DoesNotClearUnlessConfigured()
    {
        var delivered = new Dictionary<string, string?> { ["2"] = "Lee" };
        var projected = new Dictionary<string, string?> { ["2"] = null };
        FieldDiff.Changes(projected, delivered).ShouldBeEmpty();
        FieldDiff.Changes(projected, delivered, clearOnNull: true).ShouldContainKey("2");
    }

    [Fact]
    public void Hash_IgnoresOrder()
    {
        var a = new Dictionary<string, string?> { ["1"] = "x", ["2"] = "y" };
        var b = new Dictionary<string, string?> { ["2"] = "y", ["1"] = "x" };
        FieldDiff.Hash(a).ShouldBe(FieldDiff.Hash(b));
    }
}
