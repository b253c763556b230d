using System.Globalization;
using System.Text.Json;
using Tributary.Connectors.Commercetools.Api;

namespace Tributary.Connectors.Commercetools;

/// <summary>One message of the Messages API: which resource changed, and where it sits in that resource's history.</summary>
/// <param name="Id">The message id (the same id a Subscription delivers, so push and pull deduplicate together).</param>
/// <param name="TypeId">The resource type (<c>customer</c>, <c>order</c>…).</param>
/// <param name="ResourceId">The resource id.</param>
/// <param name="SequenceNumber">Per resource, gapless.</param>
/// <param name="ResourceVersion">The resource version the message was created at.</param>
/// <param name="Type">The message type (<c>CustomerCreated</c>, <c>OrderStateChanged</c>…).</param>
/// <param name="CreatedAt">When the platform created the message.</param>
/// <param name="Sku">The SKU the message names (inventory entry messages), if any.</param>
public sealed record CommercetoolsMessage(string Id, string TypeId, string ResourceId, long SequenceNumber, long ResourceVersion, string Type,
    DateTimeOffset CreatedAt, string? Sku = null);

public sealed partial class CommercetoolsClient
{
    /// <summary>
    /// A page of messages created at or after <paramref name="from"/>, oldest first (ties by id), skipping <paramref name="offset"/>.
    /// </summary>
    public Task<IReadOnlyList<CommercetoolsMessage>> QueryMessagesAsync(DateTimeOffset from, int offset, int limit,
        CancellationToken cancellationToken)
    {
        var where = $"createdAt >= \"{from.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)}\"";
        var query = BuildQueryString([where], null, ["createdAt asc", "id asc"], Math.Clamp(limit, 1, CommercetoolsClientOptions.MaxPageSize),
            withTotal: false, expand: null);
        if (offset > 0)
        {
            query += $"&offset={offset.ToString(CultureInfo.InvariantCulture)}";
        }

        var uri = Endpoints.Resource(Options, "messages", query);
        return SendAsync(uri, ErrorContext.Api(Options, "read messages", "view_messages"), ReadMessagesAsync, allowNotFound: false, cancellationToken)!;
    }

    private static async Task<IReadOnlyList<CommercetoolsMessage>?> ReadMessagesAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var doc = await ParseAsync(stream, cancellationToken);
        var messages = new List<CommercetoolsMessage>();
        if (doc.RootElement.TryGetProperty("results", out var items) && items.ValueKind == JsonValueKind.Array)
        {
            foreach (var m in items.EnumerateArray())
            {
                if (m.TryGetProperty("id", out var id) && id.GetString() is { } messageId
                    && m.TryGetProperty("resource", out var resource) && resource.ValueKind == JsonValueKind.Object
                    && resource.TryGetProperty("typeId", out var typeId) && resource.TryGetProperty("id", out var resourceId)
                    && m.TryGetProperty("createdAt", out var created) && created.TryGetDateTimeOffset(out var createdAt))
                {
                    messages.Add(new CommercetoolsMessage(messageId, typeId.GetString() ?? string.Empty, resourceId.GetString() ?? string.Empty,
                        m.TryGetProperty("sequenceNumber", out var seq) && seq.TryGetInt64(out var s) ? s : 0,
                        m.TryGetProperty("resourceVersion", out var rv) && rv.TryGetInt64(out var v) ? v : 0,
                        m.TryGetProperty("type", out var type) ? type.GetString() ?? string.Empty : string.Empty,
                        createdAt, CommercetoolsHints.SkuOf(m)));
                }
            }
        }

        return messages;
    }
}
