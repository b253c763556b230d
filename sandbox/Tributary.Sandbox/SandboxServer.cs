using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tributary.Sandbox.Centra;
using Tributary.Sandbox.Cin7Core;
using Tributary.Sandbox.Commercetools;
using Tributary.Sandbox.Dotdigital;
using Tributary.Sandbox.Emarsys;

namespace Tributary.Sandbox;

/// <summary>Options of the whole sandbox.</summary>
public sealed class SandboxOptions
{
    /// <summary>Address to listen on; port 0 picks a free port.</summary>
    public string Url { get; set; } = "http://127.0.0.1:0";

    /// <summary>commercetools emulator settings.</summary>
    public CommercetoolsEmulatorOptions Commercetools { get; set; } = new();

    /// <summary>Emarsys emulator settings.</summary>
    public EmarsysEmulatorOptions Emarsys { get; set; } = new();

    /// <summary>Centra emulator settings.</summary>
    public CentraEmulatorOptions Centra { get; set; } = new();

    /// <summary>Dotdigital emulator settings.</summary>
    public DotdigitalEmulatorOptions Dotdigital { get; set; } = new();

    /// <summary>Cin7 Core emulator settings.</summary>
    public Cin7CoreEmulatorOptions Cin7Core { get; set; } = new();
}

/// <summary>
/// Runs the emulated platforms in one web server, each under its own path prefix:
/// <c>/commercetools</c> (API and auth hosts on one base URL), <c>/emarsys</c>, <c>/dotdigital</c>, <c>/centra</c> and <c>/cin7core</c>.
/// </summary>
public sealed class SandboxServer : IAsyncDisposable
{
    /// <summary>Path prefix of the commercetools emulator.</summary>
    public const string CommercetoolsPrefix = "/commercetools";

    /// <summary>Path prefix of the Emarsys emulator.</summary>
    public const string EmarsysPrefix = "/emarsys";

    /// <summary>Path prefix of the Centra emulator.</summary>
    public const string CentraPrefix = "/centra";

    /// <summary>Path prefix of the Cin7 Core emulator.</summary>
    public const string Cin7CorePrefix = "/cin7core";

    /// <summary>Path prefix of the Dotdigital emulator (r1 at the prefix, regions below it).</summary>
    public const string DotdigitalPrefix = "/dotdigital";

    private readonly WebApplication _app;

    private SandboxServer(WebApplication app) => _app = app;

    /// <summary>The commercetools emulator.</summary>
    public required CommercetoolsEmulator Commercetools { get; init; }

    /// <summary>The Emarsys emulator.</summary>
    public required EmarsysEmulator Emarsys { get; init; }

    /// <summary>The Centra emulator.</summary>
    public required CentraEmulator Centra { get; init; }

    /// <summary>The Dotdigital emulator.</summary>
    public required DotdigitalEmulator Dotdigital { get; init; }

    /// <summary>The Cin7 Core emulator.</summary>
    public required Cin7CoreEmulator Cin7Core { get; init; }

    /// <summary>Base URL of the Cin7 Core External API v2 (<c>…/cin7core/ExternalApi/v2/</c>).</summary>
    public Uri Cin7CoreUrl => new(BaseUrl, Cin7CorePrefix + Cin7CoreEmulator.ApiPath + "/");

    /// <summary>The address the server listens on, without a trailing slash.</summary>
    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Base URL of the commercetools API (and auth) host.</summary>
    public Uri CommercetoolsUrl => new(BaseUrl, CommercetoolsPrefix);

    /// <summary>Base URL of the Emarsys API host.</summary>
    public Uri EmarsysUrl => new(BaseUrl, EmarsysPrefix);

    /// <summary>Bootstrap (r1) URL of the Dotdigital API; account-info there names the account's region endpoint.</summary>
    public Uri DotdigitalUrl => new(BaseUrl, DotdigitalPrefix);

    /// <summary>Base URL of the Centra environment (the Integration API is <c>/graphql</c> below it).</summary>
    public Uri CentraUrl => new(BaseUrl, CentraPrefix);

    /// <summary>Starts the sandbox.</summary>
    public static async Task<SandboxServer> StartAsync(SandboxOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // The sandbox runs inside other programs (the CLI, tests): Ctrl+C and SIGTERM belong to them, not to this web host.
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, EmbeddedLifetime>();
        builder.WebHost.UseUrls(options.Url);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
            // Long request lines reach the emulators, which answer them as their platform does (commercetools: 414).
            k.Limits.MaxRequestLineSize = 64 * 1024;
        });
        var app = builder.Build();

        var server = new SandboxServer(app)
        {
            Commercetools = new CommercetoolsEmulator(options.Commercetools, time),
            Emarsys = new EmarsysEmulator(options.Emarsys, time),
            Centra = new CentraEmulator(options.Centra, time),
            Dotdigital = new DotdigitalEmulator(options.Dotdigital, time),
            Cin7Core = new Cin7CoreEmulator(options.Cin7Core, time),
        };
        server.Cin7Core.Map(app.MapGroup(Cin7CorePrefix));
        server.Commercetools.Map(app.MapGroup(CommercetoolsPrefix));
        server.Emarsys.Map(app.MapGroup(EmarsysPrefix));
        server.Centra.Map(app.MapGroup(CentraPrefix));
        server.Dotdigital.Map(app.MapGroup(DotdigitalPrefix));

        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        return server;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Commercetools.StopPushing();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A host lifetime that leaves process signals to the program embedding the sandbox.</summary>
internal sealed class EmbeddedLifetime : Microsoft.Extensions.Hosting.IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
