using System.Text.Json;
using System.Text.Json.Serialization;
using Tributary.Core.Contracts;
using Tributary.Engine;

namespace Tributary.Host.Output;

/// <summary>
/// The machine-readable report of one pass (<c>sync --json FILE</c>), for automation: the same balance the summary prints, the
/// outcome and the exit code. Written also when the pass stopped, with what it did until then.
/// </summary>
/// <param name="Pipeline">The pipeline.</param>
/// <param name="Pass">"full", "incremental", "dry-run" or "replay".</param>
/// <param name="Outcome">"completed", "halted" (a destination refused the settings) or "failed".</param>
/// <param name="ExitCode">The process's exit code (see docs/operations.md).</param>
/// <param name="Error">Why the pass stopped, when it did.</param>
/// <param name="WindowFrom">Lower bound of an incremental window.</param>
/// <param name="WindowUntil">Upper bound of the window, from the source's clock.</param>
/// <param name="DurationSeconds">Wall time.</param>
/// <param name="Calls">Destination calls made.</param>
/// <param name="Sources">Per entity: read = unchanged + changed + skipped + rejected.</param>
/// <param name="Destinations">Per destination and kind: staged + carried = sent + parked + quarantined + dead + pending.</param>
/// <param name="Skipped">Source records left out on purpose, by reason.</param>
/// <param name="Notes">What else was left out (not source records), by reason.</param>
/// <param name="Lanes">Rows waiting in each lane of the store after the pass (all passes).</param>
public sealed record PassDocument(string Pipeline, string Pass, string Outcome, int ExitCode, string? Error, DateTimeOffset? WindowFrom,
    DateTimeOffset? WindowUntil, double DurationSeconds, long Calls, IReadOnlyList<SourceBalance> Sources, IReadOnlyList<RowBalance> Destinations,
    IReadOnlyList<Reason> Skipped, IReadOnlyList<Reason> Notes, IReadOnlyList<LaneDocument> Lanes)
{
    /// <summary>The document of a pass from its counters.</summary>
    public static PassDocument From(string pipeline, string pass, string outcome, int exitCode, string? error, PassCounters counters,
        TimeSpan duration, DateTimeOffset? windowFrom, DateTimeOffset? windowUntil, IReadOnlyList<LaneCount> lanes) =>
        new(pipeline, pass, outcome, exitCode, error, windowFrom, windowUntil, Math.Round(duration.TotalSeconds, 3), counters.Calls,
            counters.Sources, counters.Rows,
            counters.SkippedReasons.OrderByDescending(kv => kv.Value).Select(kv => new Reason(kv.Key, kv.Value)).ToList(),
            counters.Notes.OrderByDescending(kv => kv.Value).Select(kv => new Reason(kv.Key, kv.Value)).ToList(),
            lanes.Where(l => l.Count > 0).Select(l => new LaneDocument(l.Destination, l.Entity, l.Status.ToString().ToLowerInvariant(), l.Count)).ToList());

    /// <summary>The pass word of a report.</summary>
    public static string PassOf(PassReport report) => report.DryRun ? "dry-run" : report.WindowFrom is null ? "full" : "incremental";
}

/// <summary>A count with its reason.</summary>
public sealed record Reason(string Text, long Count);

/// <summary>Rows in one lane of one destination and entity.</summary>
public sealed record LaneDocument(string Destination, Tributary.Core.Model.EntityKind Entity, string Lane, long Records);

/// <summary>Writes <see cref="PassDocument"/>s.</summary>
public static class PassReportFile
{
    /// <summary>The document as JSON.</summary>
    public static string ToJson(PassDocument document) => JsonSerializer.Serialize(document, PassJsonContext.Default.PassDocument);

    /// <summary>The document read back (for tests and tools).</summary>
    public static PassDocument? Read(string json) => JsonSerializer.Deserialize(json, PassJsonContext.Default.PassDocument);

    /// <summary>Writes the document, replacing the file.</summary>
    public static async Task WriteAsync(string path, PassDocument document, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        await File.WriteAllTextAsync(path, ToJson(document), cancellationToken);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PassDocument))]
internal sealed partial class PassJsonContext : JsonSerializerContext;
