using System.Globalization;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Engine;
using Tributary.Host.Composition;

namespace Tributary.Host.Commands;

/// <summary>
/// Before the first pass of an empty state: asks the destinations whether they already hold records of this source. An empty
/// (or new, or lost) state next to a filled destination would send everything again as new, and what is sent once (sales lines,
/// events) would go twice, so the pass needs <c>--fresh</c> or <c>state.allowFresh</c> first.
/// </summary>
internal static class FreshStateGuard
{
    /// <summary>
    /// Records of the first source page asked back: one read call per destination (Emarsys takes up to 1000 keys a call), enough
    /// to tell a filled destination from an empty one, since a destination filled from this shop holds its first records.
    /// </summary>
    internal const int SampleSize = 100;

    /// <summary>What the guard found when it refuses: the destinations holding records and how many records a pass would send.</summary>
    internal sealed record Refusal(IReadOnlyList<(string Destination, int Held, int Asked)> Holding, IReadOnlyList<SourceBalance> WouldSend);

    /// <summary>Null when the pass may go; else why not (see <see cref="Lines"/>).</summary>
    public static async Task<Refusal?> CheckAsync(PipelineRuntime runtime, bool fresh, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        if (fresh || runtime.Config.AllowFresh || !await IsEmptyAsync(runtime, ct))
        {
            return null;
        }

        var readApis = PipelineFactory.ConfiguredDestinations(runtime)
            .Select(d => d.Module.CreateAudit(d.Config, d.Connector))
            .OfType<Tributary.Core.Modules.DestinationAudit>()
            .SelectMany(a => a.ReadApis)
            .Where(api => runtime.Pipeline.Entities.Contains(api.Entity))
            .ToList();
        var holding = new List<(string, int, int)>();
        foreach (var entity in readApis.Select(a => a.Entity).Distinct())
        {
            List<string> keys;
            try
            {
                keys = await SampleAsync(runtime.Source, entity, ct);
            }
            catch (PlatformException)
            {
                // The pass reports a source that cannot be read, with its own words and exit code.
                return null;
            }

            if (keys.Count == 0)
            {
                continue;
            }

            foreach (var api in readApis.Where(a => a.Entity == entity))
            {
                var asked = keys.Take(api.MaxKeysPerCall).ToList();
                IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> held;
                try
                {
                    held = await api.ReadAsync(asked, [], ct);
                }
                catch (PlatformException)
                {
                    // A destination that cannot answer now cannot tell; the pass meets the same failure and handles it as any
                    // other (retries, lanes), and asking must not turn an outage into a refusal.
                    continue;
                }

                if (held.Count > 0)
                {
                    holding.Add((api.Destination, held.Count, asked.Count));
                }
            }
        }

        if (holding.Count == 0)
        {
            return null;
        }

        // How many it is about to send: a dry run reads the source once and writes nothing.
        var plan = await runtime.Pipeline.RunPassAsync(new PassOptions(DryRun: true), null, ct);
        return new Refusal(holding, plan.Counters.Sources);
    }

    /// <summary>The refusal in plain words, its fix last.</summary>
    public static IReadOnlyList<string> Lines(PipelineRuntime runtime, Refusal refusal)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(refusal);
        var state = runtime.Config.StateConnectionString is null
            ? $"the state file {runtime.Config.StatePath}"
            : $"the state (PostgreSQL schema {runtime.Config.StateSchema})";
        var held = string.Join(", ", refusal.Holding.Select(h => $"{h.Destination} already holds {h.Held} of the first {h.Asked} records asked"));
        var total = refusal.WouldSend.Sum(s => s.Changed);
        var parts = string.Join(", ", refusal.WouldSend.Where(s => s.Changed > 0)
            .Select(s => $"{s.Changed.ToString("N0", CultureInfo.InvariantCulture)} {s.Entity.ToString().ToLowerInvariant()}"));
        return
        [
            $"Not sending: {state} is empty, but {held}: it was filled before.",
            $"This pass would send {total.ToString("N0", CultureInfo.InvariantCulture)} records again as new"
                + (parts.Length > 0 ? $" ({parts})" : string.Empty) + "; sales lines and events would go twice.",
            "Fix: restore the state from its latest backup (./tributary backup --config FILE --to PATH makes one), or, if sending "
                + "everything again is intended, run again with --fresh (or set state.allowFresh: true in the config).",
        ];
    }

    // Empty: no cursor for any entity, nothing in any lane, and nothing delivered to any destination.
    private static async Task<bool> IsEmptyAsync(PipelineRuntime runtime, CancellationToken ct)
    {
        foreach (var entity in runtime.Pipeline.Entities)
        {
            if (await runtime.Store.GetCursorAsync(runtime.Source.Name, entity, ct) is not null)
            {
                return false;
            }
        }

        if ((await runtime.Store.CountLanesAsync(ct)).Count > 0)
        {
            return false;
        }

        foreach (var destination in runtime.Destinations)
        {
            foreach (var entity in runtime.Pipeline.Entities)
            {
                await foreach (var _ in runtime.Store.ReadDeliveredAsync(destination.Name, entity, ct))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static async Task<List<string>> SampleAsync(ISourceConnector source, EntityKind entity, CancellationToken ct)
    {
        await foreach (var page in source.ReadAsync(new SourceReadRequest(entity, null, null, null, SampleSize), ct))
        {
            if (page.Records.Count > 0)
            {
                return page.Records.Take(SampleSize).Select(r => r.Key).ToList();
            }
        }

        return [];
    }
}
