using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Tributary.Sandbox.Dotdigital;

/// <summary>One accepted enrolment call, kept for assertions.</summary>
/// <param name="Id">Enrolment id.</param>
/// <param name="ProgramId">Program.</param>
/// <param name="ContactIds">Contacts enrolled.</param>
/// <param name="At">When.</param>
public sealed record DotdigitalEnrolmentRecord(string Id, long ProgramId, IReadOnlyList<long> ContactIds, DateTimeOffset At);

public sealed partial class DotdigitalEmulator
{
    /// <summary>Most contacts one enrolment call may carry (Programs spec <c>maxItems</c>).</summary>
    public const int MaxContactsPerEnrolment = 25;

    private readonly Dictionary<long, (string Name, string Status, DateTimeOffset Created)> _programs = [];
    private readonly List<DotdigitalEnrolmentRecord> _enrolments = [];

    /// <summary>Every accepted enrolment call, oldest first.</summary>
    public IReadOnlyList<DotdigitalEnrolmentRecord> Enrolments
    {
        get
        {
            lock (_gate)
            {
                return [.. _enrolments];
            }
        }
    }

    /// <summary>Adds or changes a program (status Draft, Active, Deactivated or ReadOnly).</summary>
    public void SetProgram(long id, string status = "Active", string? name = null)
    {
        lock (_gate)
        {
            var created = _programs.TryGetValue(id, out var existing) ? existing.Created : Time.GetUtcNow();
            _programs[id] = (name ?? $"Program {id}", status, created);
        }
    }

    private async Task EnrolAsync(HttpContext context)
    {
        using var doc = await ReadJsonAsync(context);
        if (doc is null || doc.RootElement.ValueKind != JsonValueKind.Object
            || !doc.RootElement.TryGetProperty("programId", out var p) || !p.TryGetInt64(out var programId))
        {
            await WriteV2ErrorAsync(context, StatusCodes.Status400BadRequest, "Error: ERROR_ENROLMENT_INVALID");
            return;
        }

        var contactIds = doc.RootElement.TryGetProperty("contacts", out var c) && c.ValueKind == JsonValueKind.Array
            ? c.EnumerateArray().Select(x => x.GetInt64()).ToList()
            : [];
        (int Status, string Message)? error = null;
        DotdigitalEnrolmentRecord? record = null;
        lock (_gate)
        {
            var now = Time.GetUtcNow();
            if (!_programs.TryGetValue(programId, out var program))
            {
                error = (StatusCodes.Status404NotFound, "Error: ERROR_PROGRAM_NOT_FOUND");
            }
            else if (contactIds.Count is 0 or > MaxContactsPerEnrolment)
            {
                error = (StatusCodes.Status400BadRequest, "Error: ERROR_ENROLMENT_INVALID");
            }
            else if (!string.Equals(program.Status, "Active", StringComparison.OrdinalIgnoreCase))
            {
                error = (StatusCodes.Status422UnprocessableEntity, "Error: ERROR_PROGRAM_NOT_ACTIVE");
            }
            else if (contactIds.Any(id => _contacts.ById(id) is null))
            {
                error = (StatusCodes.Status400BadRequest, "Error: ERROR_CONTACT_NOT_FOUND");
            }
            else if (Options.EnrolmentCallsPerHour > 0 && _enrolments.Count(e => now - e.At < TimeSpan.FromHours(1)) >= Options.EnrolmentCallsPerHour)
            {
                error = (StatusCodes.Status400BadRequest, "Error: ERROR_ENROLMENT_ALLOWANCE_EXCEEDED");
            }
            else
            {
                record = new DotdigitalEnrolmentRecord(Guid.NewGuid().ToString(), programId, contactIds, now);
                _enrolments.Add(record);
            }
        }

        if (record is null)
        {
            await WriteV2ErrorAsync(context, error!.Value.Status, error.Value.Message);
            return;
        }

        await WriteJsonAsync(context, StatusCodes.Status201Created, json =>
        {
            json.WriteStartObject();
            json.WriteString("id", record.Id);
            json.WriteNumber("programId", record.ProgramId);
            json.WriteString("status", "Processing");
            json.WriteString("dateCreated", record.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            json.WriteNull("contacts");
            json.WriteNull("addressBooks");
            json.WriteEndObject();
        });
    }

    private Task ProgramsAsync(HttpContext context)
    {
        List<(long Id, string Name, string Status, DateTimeOffset Created)> programs;
        lock (_gate)
        {
            programs = _programs.OrderBy(p => p.Key).Select(p => (p.Key, p.Value.Name, p.Value.Status, p.Value.Created)).ToList();
        }

        return WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartArray();
            foreach (var (id, name, status, created) in programs)
            {
                json.WriteStartObject();
                json.WriteNumber("id", id);
                json.WriteString("name", name);
                json.WriteString("status", status);
                // Required by the Programs document (programDetails: id, name, status, dateCreated).
                json.WriteString("dateCreated", created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                json.WriteEndObject();
            }

            json.WriteEndArray();
        });
    }
}
