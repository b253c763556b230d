using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Connectors.Commercetools;
using Tributary.Connectors.Emarsys;
using Tributary.Core.Model;
using Tributary.Engine;
using Tributary.Host.Composition;
using Tributary.Host.Configuration;
using Tributary.Host.Server;
using Tributary.Sandbox;

namespace Tributary.Bench;

/// <summary>
/// Catalogue benchmark: every variant SKU of N products (1–4 each, about 2.5 on average) read from the commercetools
/// emulator, validated and projected, then rendered as the Emarsys feed. The sandbox runs in a child process.
/// Usage: dotnet run -c Release --project bench/Tributary.Bench -- catalogue [--products 80000]
/// </summary>
internal static class CatalogueBench
{
    public static async Task<int> RunAsync(int products)
    {
        var port = Program.FreePort();
        var hostDll = Path.Combine(AppContext.BaseDirectory, "Tributary.Host.dll");
        var start = new ProcessStartInfo("dotnet", [hostDll, "sandbox", "--urls", $"http://127.0.0.1:{port}", "--customers", "0",
            "--products", products.ToString(CultureInfo.InvariantCulture), "--emarsys-rpm", "0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var sandbox = Process.Start(start)!;
        try
        {
            await Program.WaitReadyAsync(sandbox);
            var options = new SandboxOptions();
            var state = Path.Combine(Path.GetTempPath(), $"tributary-bench-{Guid.NewGuid():N}");
            var baseUrl = new Uri($"http://127.0.0.1:{port}{SandboxServer.CommercetoolsPrefix}");
            var config = new TributaryConfig
            {
                FilePath = "(bench)",
                PipelineName = "bench-catalogue",
                StatePath = Path.Combine(state, "state.db"),
                Source = new CommercetoolsConfig
                {
                    ApiUrl = baseUrl,
                    AuthUrl = baseUrl,
                    ProjectKey = options.Commercetools.ProjectKey,
                    ClientId = options.Commercetools.ClientId,
                    ClientSecret = options.Commercetools.ClientSecret,
                    StockChannels = ["web-eu", "store-berlin"],
                },
                Destinations =
                [
                    new EmarsysConfig
                    {
                        ApiUrl = new Uri($"http://127.0.0.1:{port}{SandboxServer.EmarsysPrefix}"),
                        User = options.Emarsys.User,
                        Secret = options.Emarsys.Secret,
                        RequestsPerMinute = 0,
                        Catalogue = new EmarsysCatalogueOptions { Enabled = true, Currencies = ["EUR", "GBP", "USD"] },
                        FeedPassword = "bench",
                    },
                ],
                // Products, then their stock in the two storefront channels (the third, wholesale, is read but not counted).
                Sync = new SyncConfig { Entities = [EntityKind.Product, EntityKind.Stock] },
            };

            await using var runtime = await PipelineFactory.CreateAsync(config, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
            var watch = Stopwatch.StartNew();
            var pass = await runtime.Pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None);
            var syncTime = watch.Elapsed;
            var emarsys = config.Connector<EmarsysConfig>()!;
            var catalogue = EmarsysModule.Instance.CreateCatalogueFeed(emarsys, runtime.Destinations.Single(d => d.Name == emarsys.Module.Platform).Connector)!;
            var feed = new CatalogFeed(runtime.Store, catalogue, Path.Combine(state, "feeds"), NullLogger.Instance);
            watch.Restart();
            var file = await feed.RefreshAsync(CancellationToken.None);
            var renderTime = watch.Elapsed;
            var rows = File.ReadLines(file!).Count() - 1;
            var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
            var lanes = await runtime.Store.CountLanesAsync(CancellationToken.None);
            var quarantined = lanes.Where(l => l.Entity == EntityKind.Product && l.Status == Tributary.Core.Contracts.OutboxStatus.Quarantined).Sum(l => l.Count);

            Console.WriteLine("| products | records read (SKUs + stock) | read, validate, stage, deliver | feed render | feed rows | quarantined SKUs | feed size | peak working set |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {products:N0} | {pass.Counters.Read:N0} | {syncTime.TotalSeconds:0.0} s | {renderTime.TotalSeconds:0.0} s | {rows:N0} | {quarantined:N0} | {new FileInfo(file!).Length / (1024.0 * 1024.0):0.0} MB | {peak:N0} MB |"));
            Directory.Delete(state, recursive: true);
            return 0;
        }
        finally
        {
            sandbox.Kill(entireProcessTree: true);
        }
    }
}
