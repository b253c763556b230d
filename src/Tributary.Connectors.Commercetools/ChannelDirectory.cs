using System.Collections.Concurrent;

namespace Tributary.Connectors.Commercetools;

/// <summary>
/// Channel id → key, loaded from <c>/channels</c> when a record names a channel not seen yet. Channels change rarely, so one
/// load serves many pages; an id still unknown after a reload is remembered so it does not cause a reload on every page.
/// </summary>
internal sealed class ChannelDirectory(CommercetoolsClient client)
{
    private readonly ConcurrentDictionary<string, string> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _unknown = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _loading = new(1, 1);

    public string? KeyOf(string id) => _keys.TryGetValue(id, out var key) ? key : null;

    /// <summary>Makes sure every id in <paramref name="ids"/> is resolved, reloading the channels at most once.</summary>
    public async Task EnsureAsync(IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        if (ids.All(id => _keys.ContainsKey(id) || _unknown.ContainsKey(id)))
        {
            return;
        }

        await _loading.WaitAsync(cancellationToken);
        try
        {
            var missing = ids.Where(id => !_keys.ContainsKey(id) && !_unknown.ContainsKey(id)).ToList();
            if (missing.Count == 0)
            {
                return;
            }

            string? after = null;
            while (true)
            {
                var where = after is null ? new List<string>() : [$"id > \"{after}\""];
                var page = await client.QueryChannelsAsync(new CatalogQueryRequest(where, Sort: ["id asc"]), cancellationToken);
                foreach (var channel in page.Results.Select(r => r.Value))
                {
                    if (channel is { Id: { } id, Key: { } key })
                    {
                        _keys[id] = key;
                    }
                }

                after = page.Results.Count > 0 ? page.Results[^1].Id : null;
                if (page.Count < CommercetoolsClientOptions.MaxPageSize || after is null)
                {
                    break;
                }
            }

            foreach (var id in missing.Where(id => !_keys.ContainsKey(id)))
            {
                _unknown[id] = true;
            }
        }
        finally
        {
            _loading.Release();
        }
    }
}
