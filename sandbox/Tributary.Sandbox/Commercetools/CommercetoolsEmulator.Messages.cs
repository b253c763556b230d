using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Tributary.Sandbox.Commercetools;

/// <summary>A message the emulated project recorded.</summary>
/// <param name="Id">Message id.</param>
/// <param name="TypeId">Resource type.</param>
/// <param name="ResourceId">Resource id.</param>
/// <param name="SequenceNumber">Per resource, gapless from 1.</param>
/// <param name="ResourceVersion">The resource's version when the message was created.</param>
/// <param name="Type">Message type.</param>
/// <param name="CreatedAt">Creation time.</param>
public sealed record SandboxMessage(string Id, string TypeId, string ResourceId, long SequenceNumber, long ResourceVersion, string Type,
    DateTimeOffset CreatedAt);

public sealed partial class CommercetoolsEmulator
{
    private static readonly Regex CreatedAtPredicate = new("^\\s*createdAt\\s*(>=|>)\\s*\"([^\"]+)\"\\s*$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    private readonly List<SandboxMessage> _messages = [];
    private readonly Dictionary<string, long> _sequences = new(StringComparer.Ordinal);
    private readonly object _messagesGate = new();

    /// <summary>
    /// Whether the project stores messages (<c>Project.messages.enabled</c>). When off, nothing is recorded and the Messages
    /// API answers empty pages, as the platform does.
    /// </summary>
    public bool MessagesEnabled { get; set; }

    /// <summary>Messages recorded so far, oldest first.</summary>
    public IReadOnlyList<SandboxMessage> Messages
    {
        get
        {
            lock (_messagesGate)
            {
                return _messages.ToList();
            }
        }
    }

    /// <summary>
    /// Records a message about a resource (the platform does this on every change; the sandbox's callers say which change),
    /// with the next sequence number of that resource and, for a customer, its current version. Null when messages are off.
    /// </summary>
    public SandboxMessage? RecordMessage(string typeId, string resourceId, string type)
    {
        if (!MessagesEnabled)
        {
            return null;
        }

        var version = typeId == "customer" ? GetCustomer(resourceId)?.Version ?? 1 : 1;
        lock (_messagesGate)
        {
            var sequence = _sequences[$"{typeId}/{resourceId}"] = _sequences.GetValueOrDefault($"{typeId}/{resourceId}") + 1;
            var message = new SandboxMessage(Guid.NewGuid().ToString(), typeId, resourceId, sequence, version, type, Now());
            _messages.Add(message);
            return message;
        }
    }

    private IResult QueryMessages(HttpContext http, string projectKey)
    {
        if (Authorize(http, projectKey, "view_messages") is { } denied)
        {
            return denied;
        }

        var q = http.Request.Query;
        DateTimeOffset? from = null;
        var inclusive = true;
        foreach (var where in q["where"])
        {
            var match = CreatedAtPredicate.Match(where ?? string.Empty);
            if (!match.Success || !DateTimeOffset.TryParse(match.Groups[2].Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                return CtResults.InvalidInput($"The sandbox's messages endpoint understands 'createdAt >= \"<time>\"' only, not '{where}'.");
            }

            from = at;
            inclusive = match.Groups[1].Value == ">=";
        }

        var limit = int.TryParse(q["limit"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : Query.ResourceQuery.DefaultLimit;
        var offset = int.TryParse(q["offset"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var o) ? o : 0;
        if (limit is < 0 or > Query.ResourceQuery.MaxLimit || offset is < 0 or > Query.ResourceQuery.MaxOffset)
        {
            return CtResults.InvalidInput("limit must be 0..500 and offset 0..10000.");
        }

        List<SandboxMessage> page;
        lock (_messagesGate)
        {
            page = _messages
                .Where(m => from is null || (inclusive ? m.CreatedAt >= from : m.CreatedAt > from))
                .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id, StringComparer.Ordinal)
                .Skip(offset).Take(limit).ToList();
        }

        return CtResults.Json(StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("limit", limit);
            w.WriteNumber("offset", offset);
            w.WriteNumber("count", page.Count);
            w.WriteStartArray("results");
            foreach (var m in page)
            {
                w.WriteStartObject();
                w.WriteString("id", m.Id);
                w.WriteNumber("version", 1);
                w.WriteNumber("sequenceNumber", m.SequenceNumber);
                w.WriteStartObject("resource");
                w.WriteString("typeId", m.TypeId);
                w.WriteString("id", m.ResourceId);
                w.WriteEndObject();
                w.WriteNumber("resourceVersion", m.ResourceVersion);
                w.WriteString("type", m.Type);
                CustomerJson.WriteTimestamp(w, "createdAt", m.CreatedAt);
                CustomerJson.WriteTimestamp(w, "lastModifiedAt", m.CreatedAt);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }, 256 + (page.Count * 320));
    }
}
