using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tributary.Engine.Reconciliation;

/// <summary>
/// Where the latest report is kept: <c>reconcile/latest.json</c> beside the state file, written by <c>tributary reconcile</c>
/// and by the scheduled reconciliation of <c>run</c>, so the dashboard shows the latest whichever process made it.
/// </summary>
public static class ReconciliationReportFile
{
    /// <summary>The latest report's path for a state file.</summary>
    public static string LatestPath(string statePath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(statePath)) ?? ".", "reconcile", "latest.json");

    /// <summary>The report as indented JSON (enums as names).</summary>
    public static string ToJson(ReconciliationReport report) => JsonSerializer.Serialize(report, ReportJsonContext.Default.ReconciliationReport);

    /// <summary>Writes the report (atomically: a reader never sees half a file).</summary>
    public static async Task WriteAsync(string path, ReconciliationReport report, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".");
        var temp = path + ".new";
        await File.WriteAllTextAsync(temp, ToJson(report), cancellationToken);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Reads a report; null when there is none yet.</summary>
    public static async Task<ReconciliationReport?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync(stream, ReportJsonContext.Default.ReconciliationReport, cancellationToken);
    }
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ReconciliationReport))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
