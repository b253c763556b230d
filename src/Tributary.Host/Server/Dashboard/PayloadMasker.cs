using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Core.Rules;

namespace Tributary.Host.Server.Dashboard;

/// <summary>
/// Masks personal data before the dashboard shows a payload. Destination fields are often opaque ids (Emarsys "3" is the
/// email), so each destination's personal fields are found by projecting a probe customer whose personal values are
/// markers and seeing where they land; names that look personal and any email address are masked as well.
/// </summary>
public sealed partial class PayloadMasker
{
    private static readonly string[] PersonalWords = ["email", "firstname", "lastname", "fullname", "phone", "mobile", "birth", "address", "street", "zip", "postal", "city"];

    private readonly Dictionary<string, HashSet<string>> _personalFields = new(StringComparer.Ordinal);

    public PayloadMasker(IEnumerable<IDestinationConnector> destinations)
    {
        foreach (var destination in destinations)
        {
            _personalFields[destination.Name] = ProbePersonalFields(destination);
        }
    }

    /// <summary>A copy of destination fields with personal values masked.</summary>
    public IReadOnlyDictionary<string, string?> Fields(string destination, IReadOnlyDictionary<string, string?>? fields)
    {
        var masked = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        if (fields is null)
        {
            return masked;
        }

        var personal = _personalFields.GetValueOrDefault(destination);
        foreach (var (name, value) in fields)
        {
            masked[name] = personal is not null && personal.Contains(name) || LooksPersonal(name)
                ? MaskValue(value)
                : Text(value);
        }

        return masked;
    }

    /// <summary>Masks every email address inside free text (platform messages, reasons).</summary>
    public static string? Text(string? text) =>
        string.IsNullOrEmpty(text) ? text : EmailPattern().Replace(text, m => Masking.Email(m.Value));

    /// <summary>A canonical record as JSON with personal properties masked.</summary>
    public static JsonNode? Record(CanonicalRecord? record)
    {
        if (record is null)
        {
            return null;
        }

        var node = JsonSerializer.SerializeToNode(record, record.GetType(), DashboardJson.Options);
        MaskNode(node, personal: false);
        return node;
    }

    private static void MaskNode(JsonNode? node, bool personal)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    if (child is JsonValue value && value.TryGetValue<string>(out var s))
                    {
                        obj[name] = personal || LooksPersonal(name) ? MaskValue(s) : Text(s);
                    }
                    else
                    {
                        MaskNode(child, personal || LooksPersonal(name));
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue value && value.TryGetValue<string>(out var s))
                    {
                        array[i] = personal ? MaskValue(s) : Text(s);
                    }
                    else
                    {
                        MaskNode(array[i], personal);
                    }
                }

                break;
        }
    }

    private static bool LooksPersonal(string name)
    {
        var lower = name.ToLowerInvariant();
        return PersonalWords.Any(w => lower.Contains(w, StringComparison.Ordinal)) && !lower.EndsWith("id", StringComparison.Ordinal)
            && !lower.Contains("status", StringComparison.Ordinal);
    }

    private static string? MaskValue(string? value) =>
        string.IsNullOrEmpty(value) ? value : value.Contains('@', StringComparison.Ordinal) ? Masking.Email(value) : Masking.Text(value);

    private static HashSet<string> ProbePersonalFields(IDestinationConnector destination)
    {
        var fields = new HashSet<string>(StringComparer.Ordinal);
        if (!destination.Supports(EntityKind.Customer))
        {
            return fields;
        }

        var probe = new Customer
        {
            SourceId = "probe",
            Email = "probe.person@example.com",
            FirstName = "Probefirst",
            LastName = "Probelast",
            Phone = "+4670000000001",
            DateOfBirth = new DateOnly(1911, 11, 11),
        };
        string[] markers = ["probe.person@example.com", "Probefirst", "Probelast", "+4670000000001", "1911"];
        try
        {
            foreach (var (name, value) in destination.Project(probe).Fields)
            {
                if (value is not null && markers.Any(m => value.Contains(m, StringComparison.OrdinalIgnoreCase)))
                {
                    fields.Add(name);
                }
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or KeyNotFoundException)
        {
            // A connector that cannot project the probe still gets the name and email-pattern masking.
        }

        return fields;
    }

    [GeneratedRegex(@"[^\s'""<>(),;:]+@[^\s'""<>(),;:]+")]
    private static partial Regex EmailPattern();
}
