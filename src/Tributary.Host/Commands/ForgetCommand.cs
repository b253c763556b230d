using System.CommandLine;
using Spectre.Console;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Core.Rules;
using Tributary.Engine;
using Tributary.Host.Composition;

namespace Tributary.Host.Commands;

/// <summary>
/// <c>forget</c>: a data-subject request. Erases the person at every destination (deleted, or anonymised when asked), removes
/// their personal data from this service's own state and keeps only salted-hash tombstones, so no later read, replay or
/// notification brings them back. An erasure a destination cannot take now waits in the outbox and is finished by the next
/// run; the command says so and exits 3.
/// </summary>
public static class ForgetCommand
{
    internal static Command Create()
    {
        var config = CommonOptions.Config();
        var email = new Option<string>("--email") { Description = "The person's email address.", Required = true };
        var mode = new Option<string>("--mode") { Description = "delete (default) or anonymise the destinations' contacts.", DefaultValueFactory = _ => "delete" };
        var command = new Command("forget", "Erase one person everywhere (a data-subject request): at every destination and in this service's state.")
        {
            config, email, mode,
        };
        command.SetAction(async (parse, ct) =>
        {
            var cfg = CommonOptions.LoadConfig(parse.GetValue(config)!);
            if (cfg is null)
            {
                return CommonOptions.ExitConfig;
            }

            var address = parse.GetValue(email)!.Trim();
            if (!EmailRule.TryNormalize(address, out var normalized, out var problem))
            {
                AnsiConsole.MarkupLine($"[red]'--email' is not an email address[/] ({Markup.Escape(problem ?? "invalid")}): give the address the person wrote to you from.");
                return CommonOptions.ExitConfig;
            }

            ErasureMode? chosen = parse.GetValue(mode) switch
            {
                "delete" => ErasureMode.Delete,
                "anonymise" or "anonymize" => ErasureMode.Anonymise,
                _ => null,
            };
            if (chosen is not { } erasure)
            {
                AnsiConsole.MarkupLine("[red]'--mode' must be 'delete' or 'anonymise'.[/]");
                return CommonOptions.ExitConfig;
            }

            using var loggers = CommonOptions.Loggers(verbose: false);
            await using var runtime = await CommonOptions.OpenAsync(cfg, loggers, ct);
            var result = await RunAsync(runtime, normalized!, erasure, ct);
            Print(Masking.Email(normalized!), result);
            return result.Report.Done ? CommonOptions.ExitOk : CommonOptions.ExitDead;
        });
        return command;
    }

    /// <summary>What a forget found and did.</summary>
    /// <param name="Customers">The customers the address belongs to.</param>
    /// <param name="Report">The erasure at the destinations.</param>
    public sealed record ForgetResult(IReadOnlyList<string> Customers, ErasureReport Report);

    /// <summary>Finds the customers of the address, erases them everywhere and compacts the state.</summary>
    public static async Task<ForgetResult> RunAsync(PipelineRuntime runtime, string email, ErasureMode mode, CancellationToken cancellationToken)
    {
        var customers = await FindCustomersAsync(runtime, email, cancellationToken);
        var report = await runtime.Pipeline.EraseAsync(customers, [email], mode, "data-subject request", cancellationToken);
        await runtime.Store.CompactAsync(cancellationToken);
        return new ForgetResult(customers, report);
    }

    /// <summary>
    /// The customers known under the address: by the consent ledger's address hash, then by what each destination last accepted
    /// and what waits in the outbox (the address in any field).
    /// </summary>
    private static async Task<List<string>> FindCustomersAsync(PipelineRuntime runtime, string email, CancellationToken cancellationToken)
    {
        var hash = ContactAddress.Hash(email);
        var found = new SortedSet<string>(StringComparer.Ordinal);
        if ((await runtime.Store.FindContactsAsync([hash], cancellationToken)).TryGetValue(hash, out var byHash))
        {
            found.UnionWith(byHash);
        }

        foreach (var destination in runtime.Destinations.Where(d => d.Connector.Supports(EntityKind.Customer)))
        {
            await foreach (var row in runtime.Store.ReadDeliveredAsync(destination.Name, EntityKind.Customer, cancellationToken))
            {
                if (Holds(row.Fields, email))
                {
                    found.Add(row.Key);
                }
            }

            foreach (var status in Enum.GetValues<OutboxStatus>())
            {
                foreach (var row in await runtime.Store.ListAsync(status, destination.Name, 100_000, cancellationToken))
                {
                    if (row.Entity == EntityKind.Customer && Holds(row.Fields, email))
                    {
                        found.Add(row.Key);
                    }
                }
            }
        }

        return [.. found];
    }

    private static bool Holds(IReadOnlyDictionary<string, string?> fields, string email) =>
        fields.Values.Any(v => v is not null && string.Equals(v.Trim(), email, StringComparison.OrdinalIgnoreCase));

    private static void Print(string maskedEmail, ForgetResult result)
    {
        if (result.Customers.Count == 0)
        {
            AnsiConsole.MarkupLine($"No customer with {Markup.Escape(maskedEmail)} was ever synced. The address is remembered (as a salted hash " +
                                   "only), so it is never synced from now on.");
            return;
        }

        AnsiConsole.MarkupLine($"{Markup.Escape(maskedEmail)} belongs to {result.Customers.Count:N0} customer(s): " +
                               $"{Markup.Escape(string.Join(", ", result.Customers))}. Their data is removed from this service's state; " +
                               "only salted-hash tombstones remain, so they are never synced again.");
        var table = new Table().AddColumns("destination", "customer", "erasure");
        foreach (var o in result.Report.Outcomes)
        {
            table.AddRow(Markup.Escape(o.Destination), Markup.Escape(o.Customer), o.Waiting is null
                ? $"[green]{(result.Report.Mode == ErasureMode.Delete ? "deleted" : "anonymised")}[/]"
                : $"[yellow]waiting ({o.Waiting.Value.ToString().ToLowerInvariant()}): {Markup.Escape(o.Reason ?? "not sent yet")}[/]");
        }

        AnsiConsole.Write(table);
        if (!result.Report.Done)
        {
            AnsiConsole.MarkupLine("[yellow]Some erasures wait in the outbox: `./tributary run` (or the next `sync`) finishes them; " +
                                   "`./tributary lanes` shows why they wait.[/]");
        }
    }
}
