using Tributary.Core.Model;
using Tributary.Core.Modules;
using Tributary.Engine.Reconciliation;
using Tributary.Host.Composition;

namespace Tributary.Host.Commands;

/// <summary>
/// Builds the reconciler of a pipeline: each destination's module says what can be asked back, what is summed and which feed is
/// audited; destinations without an audit are compared with the delivered state.
/// </summary>
internal static class ReconcileComposition
{
    public static Reconciler Create(PipelineRuntime runtime, TimeProvider time)
    {
        var options = new ReconcileOptions { SampleShare = runtime.Config.Reconcile.SampleShare };
        var readApis = new List<DestinationReadApi>();
        var sums = new Dictionary<EntityKind, IReadOnlyList<string>>();
        foreach (var (config, module, connector) in PipelineFactory.ConfiguredDestinations(runtime))
        {
            if (module.CreateAudit(config, connector) is not { } audit)
            {
                continue;
            }

            readApis.AddRange(audit.ReadApis);
            foreach (var (entity, fields) in audit.SumFields)
            {
                sums[entity] = sums.TryGetValue(entity, out var known) ? [.. known.Union(fields, StringComparer.Ordinal)] : fields;
            }

            // The reconciler audits one catalogue feed: the first destination that publishes one.
            options.Catalogue ??= audit.Catalogue;
        }

        if (sums.Count > 0)
        {
            options.SumFields = sums;
        }

        options.ReadApis = readApis;
        return new Reconciler(runtime.Source, runtime.Destinations, runtime.Store, runtime.Store, runtime.Pipeline.Options, options, time);
    }
}
