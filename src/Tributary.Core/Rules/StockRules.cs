using System.Globalization;
using Tributary.Core.Model;

namespace Tributary.Core.Rules;

/// <summary>Thresholds of the stock events.</summary>
public sealed record StockThresholds
{
    /// <summary>Default back-in-stock level: one sellable unit.</summary>
    public const decimal DefaultBackInStockAt = 1;

    /// <summary>Default low-stock line: fewer than five sellable units.</summary>
    public const decimal DefaultLowStockBelow = 5;

    /// <summary>Default hysteresis: the low-stock event re-arms only at <c>LowStockBelow + 2</c>, so a value flapping on the line fires once.</summary>
    public const decimal DefaultHysteresis = 2;

    /// <summary>The defaults.</summary>
    public static StockThresholds Default { get; } = new();

    /// <summary>Back in stock fires when ATS reaches at least this after having been at or below zero. Must be above zero.</summary>
    public decimal BackInStockAt { get; init; } = DefaultBackInStockAt;

    /// <summary>Low stock fires when ATS falls below this (and stays above zero). Must be above zero.</summary>
    public decimal LowStockBelow { get; init; } = DefaultLowStockBelow;

    /// <summary>How far above <see cref="LowStockBelow"/> ATS must climb before low stock can fire again. Not negative.</summary>
    public decimal Hysteresis { get; init; } = DefaultHysteresis;
}

/// <summary>
/// What the stock rules remember about one SKU between two observations. The engine keeps it per SKU (for example as fields
/// beside the SKU's delivered stock state, see <see cref="ToFields"/> and <see cref="FromFields"/>) and passes it back on the next change.
/// </summary>
/// <param name="Ats">The last ATS seen; null before the first observation.</param>
/// <param name="InStock">
/// The back-in-stock latch: false once ATS was at or below zero, true again only when ATS reached
/// <see cref="StockThresholds.BackInStockAt"/> (back in stock fired then).
/// </param>
/// <param name="LowStockFired">
/// The low-stock latch: true once low stock fired (or ATS fell to zero), false again only when ATS climbed to at least
/// <see cref="StockThresholds.LowStockBelow"/> + <see cref="StockThresholds.Hysteresis"/>.
/// </param>
/// <param name="BackInStockCrossings">Back-in-stock events fired so far for the SKU; the next one is number <c>BackInStockCrossings + 1</c>.</param>
/// <param name="LowStockCrossings">Low-stock events fired so far for the SKU.</param>
public readonly record struct StockState(decimal? Ats, bool InStock, bool LowStockFired, int BackInStockCrossings, int LowStockCrossings)
{
    /// <summary>Field name of <see cref="Ats"/> in <see cref="ToFields"/>.</summary>
    public const string AtsField = "ats";

    /// <summary>Field name of <see cref="InStock"/>.</summary>
    public const string InStockField = "inStock";

    /// <summary>Field name of <see cref="LowStockFired"/>.</summary>
    public const string LowStockFiredField = "lowStockFired";

    /// <summary>Field name of <see cref="BackInStockCrossings"/>.</summary>
    public const string BackInStockCrossingsField = "backInStockCrossings";

    /// <summary>Field name of <see cref="LowStockCrossings"/>.</summary>
    public const string LowStockCrossingsField = "lowStockCrossings";

    /// <summary>Nothing seen yet.</summary>
    public static StockState Unknown => default;

    /// <summary>The state as string fields (invariant numbers, <c>true</c>/<c>false</c>), for a field store.</summary>
    public IReadOnlyDictionary<string, string?> ToFields() => new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        [AtsField] = Ats?.ToString(CultureInfo.InvariantCulture),
        [InStockField] = InStock ? "true" : "false",
        [LowStockFiredField] = LowStockFired ? "true" : "false",
        [BackInStockCrossingsField] = BackInStockCrossings.ToString(CultureInfo.InvariantCulture),
        [LowStockCrossingsField] = LowStockCrossings.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Reads <see cref="ToFields"/> back; <see cref="Unknown"/> when <paramref name="fields"/> is null or holds no ATS.</summary>
    public static StockState FromFields(IReadOnlyDictionary<string, string?>? fields)
    {
        if (fields is null || !TryDecimal(fields, AtsField, out var ats))
        {
            return Unknown;
        }

        return new StockState(ats, Flag(fields, InStockField, ats > 0), Flag(fields, LowStockFiredField, false),
            Count(fields, BackInStockCrossingsField), Count(fields, LowStockCrossingsField));
    }

    private static bool TryDecimal(IReadOnlyDictionary<string, string?> fields, string name, out decimal value)
    {
        value = 0;
        return fields.TryGetValue(name, out var text) && decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out value);
    }

    private static bool Flag(IReadOnlyDictionary<string, string?> fields, string name, bool fallback) =>
        fields.TryGetValue(name, out var text) && bool.TryParse(text, out var value) ? value : fallback;

    private static int Count(IReadOnlyDictionary<string, string?> fields, string name) =>
        fields.TryGetValue(name, out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;
}

/// <summary>One stock event to fire: its type and the number of the crossing (1 for the first one of that type for the SKU).</summary>
/// <param name="Type"><see cref="CommerceEventType.BackInStock"/> or <see cref="CommerceEventType.LowStock"/>.</param>
/// <param name="Crossing">The crossing number, counted per SKU and type.</param>
public readonly record struct StockSignal(CommerceEventType Type, int Crossing)
{
    /// <summary>The event's dedupe key: <c>{Type}:{sku}:{Crossing}</c>, for example <c>BackInStock:SKU-1:2</c>.</summary>
    public string DedupeKey(string sku) => string.Create(CultureInfo.InvariantCulture, $"{Type}:{sku}:{Crossing}");
}

/// <summary>The outcome of one stock observation.</summary>
/// <param name="Next">The state to keep for the next observation.</param>
/// <param name="Events">The events to fire, back in stock first.</param>
public sealed record StockTransition(StockState Next, IReadOnlyList<StockSignal> Events)
{
    /// <summary>The new "in stock" state (the back-in-stock latch).</summary>
    public bool InStock => Next.InStock;
}

/// <summary>
/// Back-in-stock and low-stock events from successive available-to-sell figures of one SKU, with hysteresis so that a value
/// flapping around a line fires once.
/// </summary>
/// <remarks>
/// <para>Contract with the engine. For each stock change of a SKU, in source order:</para>
/// <list type="number">
/// <item>read the SKU's previous <see cref="StockState"/> (<see cref="StockState.Unknown"/> when none was kept);</item>
/// <item>call <see cref="Transition(StockState, decimal, StockThresholds)"/> with the new <see cref="StockLevel.AvailableToSell"/>;</item>
/// <item>build one <see cref="CommerceEvent"/> per <see cref="StockSignal"/>, keyed <see cref="StockSignal.DedupeKey"/> with the SKU as subject;</item>
/// <item>store the events and <see cref="StockTransition.Next"/> together.</item>
/// </list>
/// <para>
/// The crossing number n in <c>BackInStock:{sku}:{n}</c> comes from the stored state (<see cref="StockState.BackInStockCrossings"/> + 1),
/// so it is the same every time the same change is replayed against the same previous state (a crash between the event and
/// the state being stored re-fires the same key, which the sent-once ledger drops), and a new crossing always gets a new key.
/// </para>
/// <para>
/// The first observation of a SKU only sets the baseline and fires nothing: the first full read of a catalogue must not send
/// back-in-stock or low-stock for every SKU. A drop straight to zero or below is out of stock, not low stock: it sets the
/// low-stock latch without firing (back in stock covers what follows).
/// </para>
/// </remarks>
public static class StockRules
{
    /// <summary>The next state and the events implied by a new ATS figure.</summary>
    public static StockTransition Transition(StockState previous, decimal newAts, StockThresholds thresholds)
    {
        Validate(thresholds);
        if (previous.Ats is null)
        {
            return new StockTransition(new StockState(newAts, newAts > 0, newAts < thresholds.LowStockBelow,
                previous.BackInStockCrossings, previous.LowStockCrossings), []);
        }

        var events = new List<StockSignal>(1);
        var inStock = previous.InStock;
        var backInStock = previous.BackInStockCrossings;
        if (newAts <= 0)
        {
            inStock = false;
        }
        else if (!inStock && newAts >= thresholds.BackInStockAt)
        {
            inStock = true;
            backInStock++;
            events.Add(new StockSignal(CommerceEventType.BackInStock, backInStock));
        }

        var lowFired = previous.LowStockFired;
        var low = previous.LowStockCrossings;
        if (lowFired && newAts >= thresholds.LowStockBelow + thresholds.Hysteresis)
        {
            lowFired = false;
        }
        else if (!lowFired && newAts <= 0)
        {
            lowFired = true;
        }
        else if (!lowFired && newAts < thresholds.LowStockBelow)
        {
            lowFired = true;
            low++;
            events.Add(new StockSignal(CommerceEventType.LowStock, low));
        }

        return new StockTransition(new StockState(newAts, inStock, lowFired, backInStock, low), events);
    }

    /// <summary>
    /// The same rule from the previous ATS and "in stock" latch alone. The low-stock latch is not among the inputs, so it is
    /// taken as set when <paramref name="previousAts"/> is below the line: low stock then fires on every fall across the line,
    /// and a value flapping on the line fires each time. The crossing counts are not known either, so every
    /// <see cref="StockSignal.Crossing"/> is 1. The engine keeps a <see cref="StockState"/> and calls
    /// <see cref="Transition(StockState, decimal, StockThresholds)"/> instead.
    /// </summary>
    public static StockTransition Transition(decimal? previousAts, bool previouslyInStockState, decimal newAts, StockThresholds thresholds)
    {
        var previous = previousAts is { } ats
            ? new StockState(ats, previouslyInStockState, ats < thresholds.LowStockBelow, 0, 0)
            : StockState.Unknown;
        return Transition(previous, newAts, thresholds);
    }

    private static void Validate(StockThresholds thresholds)
    {
        if (thresholds.BackInStockAt <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(thresholds), thresholds.BackInStockAt, "BackInStockAt must be above zero.");
        }

        if (thresholds.LowStockBelow <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(thresholds), thresholds.LowStockBelow, "LowStockBelow must be above zero.");
        }

        if (thresholds.Hysteresis < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(thresholds), thresholds.Hysteresis, "Hysteresis must not be negative.");
        }
    }
}
