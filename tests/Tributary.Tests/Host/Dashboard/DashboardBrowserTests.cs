using OpenQA.Selenium;

namespace Tributary.Tests.Host.Dashboard;

/// <summary>The dashboard page in headless Chromium against a real pipeline and the emulators.</summary>
[Browser]
public sealed class DashboardBrowserTests(ChromiumFixture browser) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task Pages_OpenedWithTheToken_RenderOverviewChartsLanesAndTrace()
    {
        await using var site = await DashboardTestSite.StartAsync(20);
        var driver = browser.Driver;
        var customer = site.Harness.ValidCustomers()[0];

        driver.Navigate().GoToUrl(new Uri(site.Server.BaseUrl, $"dashboard?token={DashboardTestSite.Token}"));

        driver.Url.ShouldNotContain("token", Case.Insensitive);
        browser.Until(d => d.FindElements(By.CssSelector("#overview-table tbody tr[data-entity='customer']")).Count > 0, "the overview table");
        browser.Until(d => d.FindElements(By.CssSelector("#charts .chart svg")).Count >= 5, "the charts");
        driver.FindElement(By.Id("pipeline")).Text.ShouldContain("sandbox");
        driver.FindElement(By.CssSelector("#reason-table tbody")).Text.ShouldContain("invalid email");

        driver.FindElement(By.Id("tab-lanes")).Click();
        browser.Until(d => d.FindElements(By.CssSelector("#lane-table tbody tr[data-key]")).Count == 1, "the quarantined row");

        driver.FindElement(By.Id("tab-trace")).Click();
        driver.FindElement(By.Id("trace-query")).SendKeys(customer.Id!);
        driver.FindElement(By.Id("trace-find")).Click();
        var record = browser.Until(d => d.FindElement(By.CssSelector($"#trace-result .record[data-entity='customer'][data-key='{customer.Id}']")), "the traced record");
        record.Text.ShouldContain("Delivered to emarsys");
        record.Text.ShouldContain("sent");
        record.Text.ShouldNotContain(customer.Email.Trim(), Case.Insensitive);
    }

    [Fact]
    public async Task QuarantinedRecord_FoundFixedAtTheSourceAndReplayedFromThePage_ReachesEmarsys()
    {
        await using var site = await DashboardTestSite.StartAsync(20);
        var driver = browser.Driver;
        var broken = site.Quarantined();
        driver.Navigate().GoToUrl(new Uri(site.Server.BaseUrl, $"dashboard?token={DashboardTestSite.Token}"));
        driver.FindElement(By.Id("tab-lanes")).Click();
        var row = browser.Until(d => d.FindElement(By.CssSelector($"#lane-table tbody tr[data-key='{broken.Id}']")), "the quarantined record");
        row.Text.ShouldContain("invalid email");

        row.FindElements(By.TagName("td"))[3].Click();
        browser.Until(d => d.FindElement(By.Id("detail-attempts")).Text.Contains("quarantined", StringComparison.OrdinalIgnoreCase)
            || d.FindElement(By.Id("detail-attempts")).Text.Contains("no attempts", StringComparison.Ordinal), "the record's attempts");

        site.Harness.Sandbox.Commercetools.UpdateCustomer(broken.Id!, c => c.Email = "repaired.person@example.com").ShouldBeTrue();
        row.FindElement(By.CssSelector(".row-select")).Click();
        driver.FindElement(By.Id("dry-run-selected")).Click();
        var planned = browser.Until(d => d.FindElement(By.CssSelector($"#plan-table tr[data-key='{broken.Id}']")), "the dry run");
        planned.FindElement(By.CssSelector(".outcome")).Text.ShouldBe("send");
        planned.Text.ShouldContain("r***@example.com");
        (await site.Harness.ReadContactsAsync([broken.Id!])).ShouldNotContainKey(broken.Id!);

        browser.Until(d => d.FindElement(By.Id("replay-selected")).Enabled, "the replay button");
        driver.FindElement(By.Id("replay-selected")).Click();
        var done = browser.Until(d => d.FindElement(By.Id("replay-done")), "the replay result");

        done.Text.ShouldContain("1 sent");
        (await site.Harness.ReadContactsAsync([broken.Id!]))[broken.Id!]["3"].ShouldBe("repaired.person@example.com");
        browser.Until(d => d.FindElements(By.CssSelector($"#lane-table tbody tr[data-key='{broken.Id}']")).Count == 0, "the lane without the record");
    }
}
