namespace Tributary.Engine.Alerts;

/// <summary>When the alert rules fire. Every threshold is compared over <see cref="Window"/>, so a burst long past does not keep an alert open.</summary>
public sealed class AlertOptions
{
    /// <summary>Default freshness limit: an hour without a delivery while work waits is longer than twelve default sweeps.</summary>
    public static readonly TimeSpan DefaultFreshness = TimeSpan.FromHours(1);

    /// <summary>Default window of the rate and growth rules.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(1);

    /// <summary>Nothing delivered for this long while records wait (or the source shows changes): the data has stopped.</summary>
    public TimeSpan Freshness { get; set; } = DefaultFreshness;

    /// <summary>Span of the rate and growth rules.</summary>
    public TimeSpan Window { get; set; } = DefaultWindow;

    /// <summary>Share of delivery outcomes in the window that failed (retry, dead) at or above which the rule fires.</summary>
    public double FailureRate { get; set; } = 0.2;

    /// <summary>Outcomes the window must hold before a failure rate means anything (a single failed record is not 100 %).</summary>
    public long MinOutcomes { get; set; } = 50;

    /// <summary>New quarantined or dead records per destination in the window at or above which the rule fires.</summary>
    public long LaneGrowth { get; set; } = 50;

    /// <summary>Rate-limited answers per budget in the window at or above which the budget counts as exhausted.</summary>
    public long BudgetThrottles { get; set; } = 10;
}
