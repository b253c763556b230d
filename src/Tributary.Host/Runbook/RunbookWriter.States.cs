using System.Globalization;
using System.Text;
using Tributary.Core.Model;
using Tributary.Host.Configuration;

namespace Tributary.Host.Runbook;

public static partial class RunbookWriter
{
    private static void States(StringBuilder md, TributaryConfig config, string source, IReadOnlyList<string> destinations, string file)
    {
        var to = string.Join(" or ", destinations);
        md.AppendLine("## When something is not right");
        md.AppendLine();
        md.AppendLine("Every record ends in exactly one of these states; `./tributary sync` and the dashboard count each.");
        md.AppendLine();
        md.AppendLine("| state | what it means | who acts | what to do |");
        md.AppendLine("|---|---|---|---|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| **sent** | {to} has it, exactly as {source} has it | nobody | — |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| **unchanged** | nothing changed since the last send; no call was made | nobody | — |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| **skipped** | left out on purpose (an order of another channel, a product the shop withdrew); counted with the reason | nobody | change `sync.orders.channels` if the wrong orders are left out |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| **retrying** | {to} was busy or down; the record waits and is tried again with growing pauses, up to {config.Sync.MaxAttempts} times | nobody, unless it lasts hours | check the platform's status page |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| **parked** | waits for another record to arrive first: an order for its contact, stock for its product | nobody, unless what it waits for is quarantined | fix that record; the parked ones follow by themselves |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| **quarantined** | the record itself is wrong: no email or one that cannot be an address, a value {to} refuses, a product without image or price | the e-commerce or customer-service team | correct the record in {source}; the next sync sends it. After a mapping fix in the config: `./tributary replay --config {file} --lane quarantined` |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| **dead** | a send kept failing for a reason that is not the data ({config.Sync.MaxAttempts} attempts), or the platform refused it for its settings | IT | fix the cause, then `./tributary replay --config {file} --lane dead` (add `--key ID` for one record) |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| **uncertain** | a sales line or journey trigger was being sent when the service stopped; nobody knows if it arrived. {(config.Sync.ResendUncertain ? "This config sends it again (a duplicate is possible)." : "This config does not send it again (no duplicate), it waits in dead.")} | marketing decides | check in {to}; if it is missing: `./tributary replay --config {file} --lane dead --key ID` |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| **stopped** | {to} refused the credentials or a setting; nothing is lost, everything waits | IT | `./tributary check --config {file}` says what to fix; sending resumes by itself |");
        if (config.Destinations.Select(d => d.FeedDropGuard).FirstOrDefault(g => g is not null) is { } dropShare && config.Sync.Entities.Contains(EntityKind.Product))
        {
            var percent = (dropShare * 100).ToString("0.#", CultureInfo.InvariantCulture);
            md.AppendLine(CultureInfo.InvariantCulture, $"| **feed refused** | the catalogue would lose more than {percent} % of its products at once (a broken publish, a filter); Emarsys keeps the last good catalogue | the e-commerce team | check the product data in {source}; if the products really went, raise `catalogue.maxDropPercent` for one run |");
        }

        md.AppendLine();
    }

    private static void Watching(StringBuilder md, TributaryConfig config, string file)
    {
        md.AppendLine("## How you hear about it");
        md.AppendLine();
        if (config.Alerts is { } alerts)
        {
            var channels = new List<string>();
            if (alerts.Webhook is not null)
            {
                channels.Add("the chat channel of the alert webhook");
            }

            if (alerts.Email is { } email)
            {
                channels.Add($"email to {string.Join(", ", email.To)}");
            }

            var rules = alerts.Rules;
            md.AppendLine(CultureInfo.InvariantCulture, $"Alerts go to {string.Join(" and ", channels)}: one message when a problem starts and one when it is over, never a flood for one cause.");
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"- **Data stopped:** nothing delivered for {Span(rules.Freshness)} while changes wait.");
            md.AppendLine(CultureInfo.InvariantCulture, $"- **Many failures:** {(rules.FailureRate * 100).ToString("0.#", CultureInfo.InvariantCulture)} % or more of the sends failed within {Span(rules.Window)}.");
            md.AppendLine(CultureInfo.InvariantCulture, $"- **Growing problem lanes:** {rules.LaneGrowth:N0} or more new quarantined or dead records within {Span(rules.Window)}.");
            md.AppendLine(CultureInfo.InvariantCulture, $"- **Quota used up:** a platform said \"too many requests\" {rules.BudgetThrottles:N0} times within {Span(rules.Window)}.");
            md.AppendLine("- **Catalogue feed refused** by its drop guard.");
        }
        else
        {
            md.AppendLine("No alerts are configured: watch the dashboard or `/metrics`, or add an `alerts:` section (docs/configuration.md).");
        }

        md.AppendLine();
        md.AppendLine($"**Reconciliation** compares {SourceName(config)} with the marketing platforms record by record " +
            (config.Reconcile.Interval is { } every ? $"every {Span(every)}" : "when someone runs it") +
            $": missing contacts, changed values, orders without a contact, products missing from the catalogue. Run it any time with `./tributary reconcile --config {file}`; " +
            $"`--repair` sends the differences again.");
        md.AppendLine();
    }

    private static void Commands(StringBuilder md, string file)
    {
        md.AppendLine("## Commands");
        md.AppendLine();
        md.AppendLine("| to | run |");
        md.AppendLine("|---|---|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| check the setup and the connections | `./tributary check --config {file}` |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| see what would change, sending nothing | `./tributary sync --config {file} --dry-run` |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| resend records after fixing the cause | `./tributary replay --config {file} --lane dead` (or `quarantined`, `parked`; `--key ID` for one) |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| compare the systems, and repair | `./tributary reconcile --config {file} [--repair] [--json report.json]` |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| re-read everything now | `./tributary sync --config {file} --full` |");
    }

    private static string SourceName(TributaryConfig config) =>
        config.Source?.Module.DisplayName ?? "the source";

    private static List<string> DestinationNames(TributaryConfig config) => config.Destinations.Select(d => d.Module.DisplayName).ToList();

    private static string EntityWords(EntityKind entity) => entity switch
    {
        EntityKind.Customer => "customers",
        EntityKind.Order => "orders",
        EntityKind.Product => "products",
        EntityKind.Stock => "stock",
        _ => entity.ToString().ToLowerInvariant(),
    };

    private static string EventWords(CommerceEventType type) => type switch
    {
        CommerceEventType.OrderPlaced => "an order is placed",
        CommerceEventType.OrderPaid => "an order is paid",
        CommerceEventType.ShipmentDispatched => "a parcel leaves the warehouse (each shipment)",
        CommerceEventType.OrderDelivered => "an order is delivered",
        CommerceEventType.OrderCancelled => "an order is cancelled",
        CommerceEventType.RefundIssued => "money is refunded (each refund)",
        CommerceEventType.FirstPurchase => "a customer buys for the first time",
        CommerceEventType.RepeatPurchase => "a customer buys again",
        CommerceEventType.CustomerCreated => "a customer account is created",
        CommerceEventType.BackInStock => "a sold-out product is back in stock",
        CommerceEventType.LowStock => "a product runs low",
        CommerceEventType.CartAbandoned => "a cart is abandoned",
        _ => type.ToString(),
    };

    private static string Span(TimeSpan span) => span switch
    {
        { TotalDays: >= 1 } when span.TotalDays % 1 == 0 => span.TotalDays == 1 ? "day" : $"{span.TotalDays:0} days",
        { TotalHours: >= 1 } when span.TotalHours % 1 == 0 => span.TotalHours == 1 ? "hour" : $"{span.TotalHours:0} hours",
        { TotalMinutes: >= 1 } when span.TotalMinutes % 1 == 0 => span.TotalMinutes == 1 ? "minute" : $"{span.TotalMinutes:0} minutes",
        _ => $"{span.TotalSeconds:0} seconds",
    };
}
