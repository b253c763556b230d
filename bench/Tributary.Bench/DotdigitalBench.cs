using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Connectors.Dotdigital;
using Tributary.Core.Model;
using Tributary.Engine;
using Tributary.Host.Composition;
using Tributary.Host.Configuration;
using Tributary.Sandbox.Generator;
using Tributary.Sandbox;

namespace Tributary.Bench;

/// <summary>
/// Dotdigital backfill under a call-rate tier: N customers from the commercetools emulator into the Dotdigital emulator, whose
/// Low tier (imports) allows <c>--rpm</c> calls a minute in fixed one-minute windows, as the account's would. Both emulators run
/// in this process on the real clock (the run is paced by the tier, not by the CPU). Prints a markdown row for
/// docs/benchmarks.md: calls per tier, 429s, time against the tier's theoretical minimum, and how much of the tier was used.
/// Usage: dotnet run -c Release --project bench/Tributary.Bench -- dotdigital [--customers 100000] [--rpm 35] [--batch 500]
/// </summary>
internal static class DotdigitalBench
{
    public static async Task<int> RunAsync(int customers, int rpm, int batch)
    {
        var options = new SandboxOptions();
        options.Dotdigital.LowTierPerMinute = rpm;
        await using var sandbox = await SandboxServer.StartAsync(options, TimeProvider.System, CancellationToken.None);
        sandbox.Commercetools.AddCustomers(new ShopGenerator(42).Customers(customers));
        var state = Path.Combine(Path.GetTempPath(), $"tributary-bench-{Guid.NewGuid():N}");
        var baseline = SandboxConfig.ForDotdigital(sandbox, options, Path.Combine(state, "state.db"),
            new SyncConfig { Entities = [EntityKind.Customer] });
        var config = new TributaryConfig
        {
            FilePath = "(bench)",
            PipelineName = "bench-dotdigital",
            StatePath = baseline.StatePath,
            Source = baseline.Source,
            Destinations =
            [
                new DotdigitalConfig
                {
                    ApiUrl = sandbox.DotdigitalUrl,
                    User = options.Dotdigital.ApiUser,
                    Password = options.Dotdigital.Password,
                    RequestsPerMinute = rpm,
                    MaxBatchSize = batch,
                    ImportPollInterval = TimeSpan.FromSeconds(1),
                },
            ],
            Sync = baseline.Sync,
        };

        await using var runtime = await PipelineFactory.CreateAsync(config, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        var destination = (DotdigitalDestination)runtime.Destinations.Single().Connector;
        var budget = destination.CallBudget!;
        var watch = Stopwatch.StartNew();
        var full = await runtime.Pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None);
        var elapsed = watch.Elapsed;
        var callsBefore = budget.Calls;
        var again = await runtime.Pipeline.RunPassAsync(new PassOptions(Full: true), null, CancellationToken.None);

        var low = budget.Usage(DotdigitalCallTier.Low);
        var polls = budget.Usage(DotdigitalCallTier.Unlimited).Calls;
        var other = budget.Usage(DotdigitalCallTier.Medium).Calls + budget.Usage(DotdigitalCallTier.High).Calls;
        // The tier's floor: the first window's calls go at once, every further 'rpm' calls need one more minute.
        var minimum = TimeSpan.FromMinutes(Math.Max(0, Math.Ceiling(low.Calls / (double)rpm) - 1));
        // Share of the tier's allowance over the windows the run spanned that was spent.
        var windows = Math.Max(1, Math.Ceiling(elapsed.TotalMinutes));
        var used = low.Calls / (windows * rpm);
        var contacts = sandbox.Dotdigital.Contacts.Count;
        Console.WriteLine("| customers | batch | Low-tier calls (imports) | status polls (unlimited) | other calls | 429s | time | tier minimum | Low tier used | contacts | no-change pass calls |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {customers:N0} | {batch} | {low.Calls} (limit {rpm}/min) | {polls} | {other} | {budget.RateLimited} | {elapsed.TotalSeconds:0} s | {minimum.TotalSeconds:0} s | {used:P0} of {windows:0} windows | {contacts:N0} | {budget.Calls - callsBefore} |"));
        Console.Error.WriteLine($"pass: read {full.Counters.Read:N0}, sent {full.Counters.Sent:N0}, quarantined {full.Counters.Quarantined:N0}, deliveries {full.Counters.Calls:N0}; "
            + $"pauses before a spent window: {low.Pauses}; no-change pass deliveries {again.Counters.Calls}");
        Directory.Delete(state, recursive: true);
        return budget.RateLimited == 0 && full.Counters.Sent + full.Counters.Quarantined == full.Counters.Read ? 0 : 1;
    }
}
