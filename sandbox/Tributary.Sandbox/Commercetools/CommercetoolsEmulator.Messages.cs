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
/// <param name="Fields">Writes the message type's own fields (<c>sku</c>, <c>newAvailableQuantity</c>…), when it has any.</param>
public sealed record SandboxMessage(string Id, string TypeId, string ResourceId, long SequenceNumber, long ResourceVersion, string Type,
    DateTimeOffset CreatedAt, Action<System.Text.Json.Utf8JsonWriter>? Fields = null)
{
    /// <summary>Writes the message as the platform serialises it (the Messages API result and a Subscription's payload).</summary>
    public void Write(System.Text.Json.Utf8JsonWriter w, string? notificationType = null, string? projectKey = null)
    {
        w.WriteStartObject();
        if (notificationType is not null)
        {
            w.WriteString("notificationType", notificationType);
            w.WriteString("projectKey", projectKey);
        }

        w.WriteString("id", Id);
        w.WriteNumber("version", 1);
        w.WriteNumber("sequenceNumber", SequenceNumber);
        w.WriteStartObject("resource");
        w.WriteString("typeId", TypeId);
        w.WriteString("id", ResourceId);
        w.WriteEndObject();
        w.WriteNumber("resourceVersion", ResourceVersion);
        w.WriteString("type", Type);
        Fields?.Invoke(w);
        CustomerJson.WriteTimestamp(w, "createdAt", CreatedAt);
        CustomerJson.WriteTimestamp(w, "lastModifiedAt", CreatedAt);
        w.WriteEndObject();
    }
}

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
    public SandboxMessage? RecordMessage(string typeId, string resourceId, string type) =>
        MessagesEnabled ? Announce(typeId, resourceId, type, typeId == "customer" ? GetCustomer(resourceId)?.Version ?? 1 : 1) : null;

    /// <summary>
    /// A change the platform tells about: the message gets the resource's next sequence number, is kept for the Messages API
    /// when messages are on, and is pushed to the subscription (<see cref="PushTo"/>) when one is set, as the platform delivers
    /// Subscription messages whether or not the Messages API stores them.
    /// </summary>
    private SandboxMessage Announce(string typeId, string resourceId, string type, long resourceVersion,
        Action<System.Text.Json.Utf8JsonWriter>? fields = null)
    {
        SandboxMessage message;
        lock (_messagesGate)
        {
            var sequence = _sequences[$"{typeId}/{resourceId}"] = _sequences.GetValueOrDefault($"{typeId}/{resourceId}") + 1;
            message = new SandboxMessage(Guid.NewGuid().ToString(), typeId, resourceId, sequence, resourceVersion, type, Now(), fields);
            if (MessagesEnabled)
            {
                _messages.Add(message);
            }
        }

        Push(message);
        return message;
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
                m.Write(w);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }, 256 + (page.Count * 320));
    }
}
