using System.CommandLine;
using Spectre.Console;
using Tributary.Host.Commands;
using Tributary.Sandbox;
using Tributary.Sandbox.Generator;

namespace Tributary.Demo;

internal static class SandboxCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Address to listen on, for example http://127.0.0.1:5080.",
            DefaultValueFactory = _ => "http://127.0.0.1:5080",
        };
        var customers = new Option<int>("--customers") { Description = "Customers to seed in the commercetools emulator.", DefaultValueFactory = _ => 1000 };
        var orders = new Option<int>("--orders") { Description = "Orders to seed (histories of the seeded customers).", DefaultValueFactory = _ => 0 };
        var products = new Option<int>("--products") { Description = "Products to seed (1-4 variant SKUs each) with stock in three channels.", DefaultValueFactory = _ => 0 };
        var seed = new Option<int>("--seed") { Description = "Seed of the shop generator (same seed, same shop).", DefaultValueFactory = _ => 42 };
        var emarsysRpm = new Option<int>("--emarsys-rpm")
        {
            Description = "Emarsys requests per minute per API user (the published limit is 1000; 0 turns the limiter off).",
            DefaultValueFactory = _ => 1000,
        };
        var latency = FaultOption("--latency", "Latency added to every answer, for all platforms ('1s') or one ('emarsys=1s'); repeatable.");
        var serverErrors = FaultOption("--5xx", "Share of requests answered 5xx, for all platforms ('0.05') or one ('emarsys=5%'); repeatable.");
        var rateLimits = FaultOption("--429", "Share of requests answered with the platform's rate-limit answer ('emarsys=0.02'); repeatable.");
        var timeouts = FaultOption("--timeouts", "Share of requests that hang for 30 s, then answer 504 ('commercetools=1%'); repeatable.");
        var pushUrl = new Option<Uri?>("--push-url")
        {
            Description = "Push every commercetools change made through the emulator's API (stock, prices, publishing) to this URL in the " +
                          "Pub/Sub push envelope, e.g. http://127.0.0.1:5090/webhooks/commercetools?token=PUSH_TOKEN.",
        };
        var command = new Command("sandbox", "Run the emulated platforms on their own, for trying configs and connectors.")
        {
            urls, customers, orders, products, seed, emarsysRpm, latency, serverErrors, rateLimits, timeouts, pushUrl,
        };
        command.SetAction(async (parse, ct) =>
        {
            Dictionary<string, Tributary.Sandbox.Faults.FaultOptions> faults;
            try
            {
                faults = SandboxFaultArguments.Parse(parse.GetValue(latency) ?? [], parse.GetValue(serverErrors) ?? [],
                    parse.GetValue(rateLimits) ?? [], parse.GetValue(timeouts) ?? []);
            }
            catch (SandboxFaultArguments.FaultArgumentException problem)
            {
                await Console.Error.WriteLineAsync(problem.Message);
                return CommonOptions.ExitConfig;
            }

            var options = new SandboxOptions { Url = parse.GetValue(urls)! };
            options.Emarsys.RequestsPerMinute = Math.Max(0, parse.GetValue(emarsysRpm));
            await using var sandbox = await SandboxServer.StartAsync(options, TimeProvider.System, ct);
            SandboxFaultArguments.Apply(sandbox, faults);
            var generator = new ShopGenerator(parse.GetValue(seed));
            var seeded = generator.Customers(parse.GetValue(customers));
            sandbox.Commercetools.AddCustomers(seeded);
            sandbox.Commercetools.AddOrders(generator.Orders(seeded, parse.GetValue(orders)));
            sandbox.Commercetools.AddPayments(generator.Payments);
            if (parse.GetValue(products) > 0)
            {
                var catalogue = generator.Products(parse.GetValue(products));
                sandbox.Commercetools.AddChannels(ShopGenerator.Channels());
                sandbox.Commercetools.AddProducts(catalogue);
                sandbox.Commercetools.AddInventory(generator.Inventory(catalogue, ShopGenerator.Channels()));
            }

            if (parse.GetValue(pushUrl) is { } push)
            {
                if (!push.IsAbsoluteUri || push.Scheme is not ("http" or "https"))
                {
                    await Console.Error.WriteLineAsync($"--push-url must be an absolute http(s) URL, not '{push}'.");
                    return CommonOptions.ExitConfig;
                }

                sandbox.Commercetools.PushTo(push);
                AnsiConsole.MarkupLine($"commercetools changes are pushed to [bold]{Markup.Escape(push.GetLeftPart(UriPartial.Path))}[/]");
            }

            Describe(sandbox, options);
            foreach (var line in SandboxFaultArguments.Describe(faults))
            {
                AnsiConsole.MarkupLine($"[yellow]faults[/] {Markup.Escape(line)}");
            }

            // A machine-readable line for scripts and benchmarks that start the sandbox as a child process.
            Console.WriteLine($"sandbox ready at {sandbox.BaseUrl}");
            AnsiConsole.MarkupLine("Press Ctrl+C to stop.");
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                // Stopped by the user.
            }

            return CommonOptions.ExitOk;
        });
        return command;
    }

    private static Option<string[]> FaultOption(string name, string description) => new(name)
    {
        Description = description,
        AllowMultipleArgumentsPerToken = false,
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static void Describe(SandboxServer sandbox, SandboxOptions options)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]Sandbox platforms[/]")
            .AddColumn("platform").AddColumn("base URL (config key)").AddColumn("credentials");
        table.AddRow("commercetools", $"{sandbox.CommercetoolsUrl} (apiUrl and authUrl)",
            $"projectKey {options.Commercetools.ProjectKey}, client {options.Commercetools.ClientId} / {options.Commercetools.ClientSecret}");
        table.AddRow("Emarsys", $"{sandbox.EmarsysUrl} (apiUrl)", $"user {options.Emarsys.User} / {options.Emarsys.Secret}");
        AnsiConsole.Write(table);
    }
}
