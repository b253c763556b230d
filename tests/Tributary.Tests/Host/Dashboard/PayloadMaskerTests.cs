using Tributary.Core.Model;
using Tributary.Host.Server.Dashboard;
using Tributary.Tests.EndToEnd;

namespace Tributary.Tests.Host.Dashboard;

[EndToEnd]
public sealed class PayloadMaskerTests
{
    [Fact]
    public async Task Fields_EmarsysNumericFields_PersonalOnesFoundByProbeAreMasked()
    {
        await using var h = await SandboxHarness.StartAsync(0);
        await using var runtime = await h.OpenAsync();
        var masker = new PayloadMasker(runtime.Destinations.Select(d => d.Connector));

        var masked = masker.Fields("emarsys", new Dictionary<string, string?>
        {
            ["1"] = "Annabel", ["2"] = "Lee", ["3"] = "annabel.lee@example.com", ["9001"] = "cust-1", ["31"] = "1", ["9002"] = "gold",
        });

        masked["1"].ShouldBe("A***");
        masked["2"].ShouldBe("L***");
        masked["3"].ShouldBe("a***@example.com");
        masked["9001"].ShouldBe("cust-1");
        masked["31"].ShouldBe("1");
        masked["9002"].ShouldBe("gold");
    }

    [Fact]
    public void Record_Customer_PersonalPropertiesMaskedIdsAndConsentKept()
    {
        var node = PayloadMasker.Record(new Customer
        {
            SourceId = "c-1", Email = "ann@example.com", FirstName = "Ann", LastName = "Lee", Phone = "+46700000000", Store = "eu",
        })!;

        node["sourceId"]!.GetValue<string>().ShouldBe("c-1");
        node["email"]!.GetValue<string>().ShouldBe("a***@example.com");
        node["firstName"]!.GetValue<string>().ShouldBe("A***");
        node["phone"]!.GetValue<string>().ShouldBe("+***");
        node["store"]!.GetValue<string>().ShouldBe("eu");
    }

    [Fact]
    public void Text_PlatformMessageWithAddresses_EveryAddressMasked()
    {
        PayloadMasker.Text("contact bob.smith@example.com conflicts with 'eve@example.org'")
            .ShouldBe("contact b***@example.com conflicts with 'e***@example.org'");
    }
}
