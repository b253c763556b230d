using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Tributary.Tests.Host.Dashboard;

/// <summary>
/// One headless Chromium per test class, driven through Debian's chromedriver (no browser download). Missing programs fail
/// the tests with what to install.
/// </summary>
public sealed class ChromiumFixture : IDisposable
{
    private static readonly string ChromiumPath = Environment.GetEnvironmentVariable("TRIBUTARY_CHROMIUM") ?? "/usr/bin/chromium";
    private static readonly string DriverPath = Environment.GetEnvironmentVariable("TRIBUTARY_CHROMEDRIVER") ?? "/usr/bin/chromedriver";

    private readonly string _profile = Directory.CreateTempSubdirectory("tributary-chromium-").FullName;
    private readonly ChromeDriver? _driver;
    private readonly string? _problem;

    public ChromiumFixture()
    {
        if (!File.Exists(ChromiumPath) || !File.Exists(DriverPath))
        {
            _problem = $"The dashboard's browser tests need Chromium and its WebDriver ({ChromiumPath}, {DriverPath}): " +
                       "install them with 'apt-get install -y chromium chromium-driver' (Debian), or point TRIBUTARY_CHROMIUM and " +
                       "TRIBUTARY_CHROMEDRIVER at them.";
            return;
        }

        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1400,1000", $"--user-data-dir={_profile}");
        _driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    /// <summary>The browser; fails the test with the install hint when Chromium is missing.</summary>
    public IWebDriver Driver => _driver ?? throw new InvalidOperationException(_problem);

    /// <summary>Polls until the condition holds (or fails after the deadline, with what was on the page).</summary>
    public T Until<T>(Func<IWebDriver, T> condition, string what)
    {
        var wait = new WebDriverWait(Driver, TimeSpan.FromSeconds(30)) { PollingInterval = TimeSpan.FromMilliseconds(100) };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        try
        {
            return wait.Until(condition);
        }
        catch (WebDriverTimeoutException)
        {
            var text = Driver.FindElement(By.TagName("body")).Text;
            throw new ShouldAssertException($"waited for {what}; the page showed:\n{text[..Math.Min(text.Length, 2000)]}");
        }
    }

    public void Dispose()
    {
        _driver?.Quit();
        _driver?.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be closing its profile; the temp folder is cleaned by the OS.
        }
    }
}
