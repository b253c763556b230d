using Tributary.Core.Budgets;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Core.Modules;

/// <summary>Whether a platform is read from (<c>source:</c>) or written to (<c>destinations:</c>).</summary>
public enum ConnectorRole
{
    /// <summary>A commerce platform Tributary reads.</summary>
    Source,

    /// <summary>A marketing platform Tributary writes.</summary>
    Destination,
}

/// <summary>
/// Everything the host needs to know about one platform: its config section, its factory, its webhook receiver and its optional
/// capabilities. A source module implements <see cref="ISourceModule"/>, a destination module <see cref="IDestinationModule"/>.
/// </summary>
public interface IConnectorModule
{
    /// <summary>The platform's key: its section under <c>source:</c> or <c>destinations:</c>, and its <c>/webhooks/{platform}</c> path.</summary>
    string Platform { get; }

    /// <summary>The platform as people write it ("Cin7 Core", "SAP Emarsys").</summary>
    string DisplayName { get; }

    /// <summary>Source or destination.</summary>
    ConnectorRole Role { get; }

    /// <summary>
    /// Reads and validates the platform's section (defaults, required keys, messages with the fix) and refuses unknown keys in it.
    /// </summary>
    ConnectorConfig ReadConfig(IConfigSection section);

    /// <summary>The receiver of the platform's webhooks, when the config enables them (a secret is set); null: no webhooks.</summary>
    IWebhookReceiver? CreateWebhookReceiver(ConnectorConfig config, TimeProvider time) => null;
}

/// <summary>A platform Tributary reads from.</summary>
public interface ISourceModule : IConnectorModule
{
    /// <summary>
    /// Builds the source connector. Optional capabilities are interfaces the connector implements (<see cref="IStockWatchers"/>).
    /// </summary>
    ISourceConnector CreateSource(ConnectorConfig config, SourceContext context);

    /// <summary>A pull feed of change hints, when the config enables one; null: none. The engine stores what it yields.</summary>
    IChangeFeed? CreateChangeFeed(ConnectorConfig config, ISourceConnector source, TimeProvider time) => null;
}

/// <summary>A platform Tributary writes to.</summary>
public interface IDestinationModule : IConnectorModule
{
    /// <summary>Builds the destination connector with the rate budget of its account.</summary>
    ConnectedDestination CreateDestination(ConnectorConfig config, DestinationContext context);

    /// <summary>What reconciliation can ask this destination (read APIs, summed fields, a feed to audit); null: compare delivered state only.</summary>
    DestinationAudit? CreateAudit(ConnectorConfig config, IDestinationConnector destination) => null;

    /// <summary>The config key where shop events are mapped to this platform's automations (for the runbook); null: none.</summary>
    string? JourneyKey => null;

    /// <summary>A catalogue feed the platform fetches from this service, when the config enables one; null: none.</summary>
    ICatalogueFeed? CreateCatalogueFeed(ConnectorConfig config, IDestinationConnector destination) => null;
}

/// <summary>What a source factory is given.</summary>
/// <param name="Time">The clock.</param>
/// <param name="PageSize">Records per page the pipeline asks for (<c>sync.pageSize</c>).</param>
/// <param name="Entities">The kinds the pipeline reads (<c>sync.entities</c>), so <c>check</c> can test each; null when unknown.</param>
public sealed record SourceContext(TimeProvider Time, int PageSize, IReadOnlyList<Tributary.Core.Model.EntityKind>? Entities = null);

/// <summary>What a destination factory is given.</summary>
/// <param name="Time">The clock.</param>
/// <param name="RealtimeReserve">Share of the budget only the real-time lane may use (<c>sync.realtimeReserve</c>).</param>
/// <param name="Delivered">
/// A read-only view of what this service last delivered, owned by the engine; null when no store is open (<c>check</c>).
/// </param>
public sealed record DestinationContext(TimeProvider Time, double RealtimeReserve, IDeliveredStateReader? Delivered);

/// <summary>A destination connector with the request budget of its account.</summary>
public sealed record ConnectedDestination(IDestinationConnector Connector, RateBudget Budget);

/// <summary>
/// The settings of one platform, as its module read them from the config file (or a test built them). Each platform's settings
/// type derives from this; the host passes it back to <see cref="Module"/> and never looks inside.
/// </summary>
public abstract class ConnectorConfig
{
    /// <summary>The module these settings belong to.</summary>
    public abstract IConnectorModule Module { get; }

    /// <summary>What an entity becomes at this destination, for the runbook; null when it does not go there.</summary>
    public virtual string? Describe(EntityKind entity) => null;

    /// <summary>Which shop events start which automation here (runbook column); null when this platform starts none.</summary>
    public virtual JourneyMap? Journeys => null;

    /// <summary>The share of items a catalogue feed may lose at once, when this platform has a feed and it is on.</summary>
    public virtual double? FeedDropGuard => null;
}

/// <summary>How shop events map to a destination's automations, for the runbook.</summary>
/// <param name="Column">Column title ("Emarsys external event").</param>
/// <param name="Targets">Per event, the automation it starts ("event 1001").</param>
public sealed record JourneyMap(string Column, IReadOnlyDictionary<CommerceEventType, string> Targets);
