using Tributary.Sandbox;

namespace Tributary.Tests.Demo;

[Unit]
public sealed class SandboxFaultArgumentsTests
{
    [Fact]
    public void Parse_OneValueForAll_AndOneForAPlatform_ThePlatformsWins()
    {
        var settings = SandboxFaultArguments.Parse(["250ms", "emarsys=1s"], ["dotdigital=5%"], ["0.02"], ["commercetools=0.01"]);

        settings["emarsys"].Latency.ShouldBe(TimeSpan.FromSeconds(1));
        settings["centra"].Latency.ShouldBe(TimeSpan.FromMilliseconds(250));
        settings["dotdigital"].ServerErrorRate.ShouldBe(0.05, 1e-9);
        settings["emarsys"].ServerErrorRate.ShouldBe(0);
        settings["cin7core"].RateLimitRate.ShouldBe(0.02, 1e-9);
        settings["commercetools"].TimeoutRate.ShouldBe(0.01, 1e-9);
    }

    [Theory]
    [InlineData("fast", "--latency 'fast' is not a duration")]
    [InlineData("shopify=1s", "'shopify' is not a sandbox platform")]
    public void Parse_BadLatency_SaysWhatIsWrong(string value, string expected) =>
        Should.Throw<SandboxFaultArguments.FaultArgumentException>(() => SandboxFaultArguments.Parse([value], [], [], []))
            .Message.ShouldContain(expected);

    [Theory]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    [InlineData("lots")]
    public void Parse_ShareOutsideZeroToOne_IsRefused(string value) =>
        Should.Throw<SandboxFaultArguments.FaultArgumentException>(() => SandboxFaultArguments.Parse([], [value], [], []))
            .Message.ShouldContain("--5xx");

    [Fact]
    public void Parse_SharesAddingUpToMoreThanAll_IsRefused() =>
        Should.Throw<SandboxFaultArguments.FaultArgumentException>(() => SandboxFaultArguments.Parse([], ["emarsys=0.6"], ["emarsys=0.6"], []))
            .Message.ShouldContain("emarsys");

    [Fact]
    public async Task Apply_TheEmulatorAnswersWithTheFault()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions(), TimeProvider.System, CancellationToken.None);
        SandboxFaultArguments.Apply(sandbox, SandboxFaultArguments.Parse([], ["emarsys=1"], [], []));
        using var http = new HttpClient();

        using var answer = await http.GetAsync(new Uri(sandbox.EmarsysUrl.ToString().TrimEnd('/') + "/api/v2/settings"));

        ((int)answer.StatusCode).ShouldBeGreaterThanOrEqualTo(500);
        sandbox.Emarsys.Faults.Injected.ShouldBe(1);
        sandbox.Commercetools.Faults.Options.ServerErrorRate.ShouldBe(0);
    }
}
