using System.CommandLine;
using Spectre.Console;
using Tributary.Engine;
using Tributary.Host.Commands;
using Tributary.Host.Composition;
using Tributary.Sandbox;
using Tributary.Sandbox.Generator;

namespace Tributary.Demo;

internal static class DemoCommand
{
    public static Command Create()
    {
        var customers = new Option<int>("--customers") { Description = "Customers in the seeded shop.", DefaultValueFactory = _ => 5000 };
        var orders = new Option<int?>("--orders") { Description = "Orders in the seeded shop's history (default: as many as customers)." };
        var once = new Option<bool>("--once") { Description = "Exit after the first pass." };
        var verbose = CommonOptions.Verbose();
        var dashboardUrl = new Option<string>("--dashboard-url")
        {
            Description = "Where the operations dashboard listens.",
            DefaultValueFactory = _ => "http://127.0.0.1:5090",
        };
        var command = new Command("demo", "Start the sandbox platforms, seed a shop, sync it into Emarsys and keep it in step.")
        {
            customers, orders, once, verbose, dashboardUrl,
        };
        command.SetAction(async (parse, ct) =>
        {
            var count = parse.GetValue(customers);
            if (count < 0)
            {
                AnsiConsole.MarkupLine("[red]--customers must be zero or more.[/]");
                return CommonOptions.ExitConfig;
            }

            var sandboxOptions = new SandboxOptions();
            await using var sandbox = await SandboxServer.StartAsync(sandboxOptions, TimeProvider.System, ct);
            var generator = new ShopGenerator(42);
            var seeded = generator.Customers(count);
            sandbox.Commercetools.AddCustomers(seeded);
            var orderCount = Math.Max(0, parse.GetValue(orders) ?? count);
            sandbox.Commercetools.AddOrders(generator.Orders(seeded, orderCount));
            sandbox.Commercetools.AddPayments(generator.Payments);
            var catalogue = DemoCatalogue.Seed(sandbox, generator, seeded, products: 300);
            SandboxCommand.Describe(sandbox, sandboxOptions);
            AnsiConsole.MarkupLine($"Seeded a shop with [bold]{count:N0}[/] customers, [bold]{orderCount:N0}[/] orders and [bold]{catalogue.Skus:N0}[/] SKUs " +
                                   $"({catalogue.Watched:N0} on shoppers' wishlists) in commercetools. " +
                                   "Syncing contacts, purchase history, journeys and the catalogue into Emarsys…");

            var stateDir = Path.Combine(Environment.CurrentDirectory, ".tributary", "demo");
            if (Directory.Exists(stateDir))
            {
                Directory.Delete(stateDir, recursive: true);
            }

            // A fresh random token each run: the demo's dashboard is never open to anyone who did not see this console.
            var token = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
            var feedPassword = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
            var pushToken = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
            var sync = new Tributary.Host.Configuration.SyncConfig
            {
                Interval = TimeSpan.FromSeconds(5),
                Entities = [Tributary.Core.Model.EntityKind.Customer, Tributary.Core.Model.EntityKind.Order, Tributary.Core.Model.EntityKind.Product,
                    Tributary.Core.Model.EntityKind.Stock],
            };
            var config = SandboxConfig.For(sandbox, sandboxOptions, Path.Combine(stateDir, "state.db"), sync,
                new Tributary.Host.Configuration.DashboardConfig { Token = token }, feedPassword, pushToken);
            using var telemetry = TelemetryProviders.Start(config);
            using var loggers = CommonOptions.Loggers(parse.GetValue(verbose));
            await using var runtime = await CommonOptions.OpenAsync(config, loggers, ct);
            Tributary.Host.Server.HostServer server;
            try
            {
                server = await Tributary.Host.Server.HostServer.StartAsync(parse.GetValue(dashboardUrl)!, runtime, TimeProvider.System, loggers, ct);
            }
            catch (Tributary.Host.Server.AddressInUseException ex)
            {
                AnsiConsole.MarkupLine($"[red]The dashboard cannot start:[/] {Markup.Escape(ex.Message)} (e.g. [bold]--dashboard-url http://127.0.0.1:5091[/]).");
                return CommonOptions.ExitConfig;
            }

            await using var serverScope = server;
            AnsiConsole.MarkupLine($"Dashboard: [bold]{server.BaseUrl}dashboard?token={token}[/]");
            AnsiConsole.MarkupLine($"Catalogue feed for Emarsys: [bold]{server.BaseUrl}feeds/emarsys-catalog.csv[/] (user emarsys, password {feedPassword})");
            // The sandbox's commercetools pushes every stock, price and publishing change to the service, as a Subscription does:
            // those reach Emarsys through the real-time lane within seconds, without waiting for the next sweep.
            sandbox.Commercetools.PushTo(new Uri(server.BaseUrl, $"webhooks/commercetools?token={pushToken}"));
            AnsiConsole.MarkupLine($"Move stock or prices yourself through the commercetools API at [bold]{sandbox.CommercetoolsUrl}[/] " +
                                   "(docs/operations.md, \"Moving stock in the sandbox\"): the change arrives in real time.");
            var exit = await SyncCommand.RunOnceAsync(runtime.Pipeline, runtime.Store, new PassOptions(), ct);
            if (parse.GetValue(once) || exit is CommonOptions.ExitFailed or CommonOptions.ExitConfig)
            {
                return exit;
            }

            AnsiConsole.MarkupLine("The shop keeps trading: between sweeps customers change, orders are placed and shipped, wishlisted items " +
                                   "sell out and come back (back-in-stock journeys for the shoppers watching them), and each sweep sends only what changed.");
            var activity = new ShopActivity(sandbox, 7, catalogue.WatchedSkus);
            return await RunCommand.RunAsync(runtime, server, loggers, activity.StepAsync, ct);
        });
        return command;
    }
}
