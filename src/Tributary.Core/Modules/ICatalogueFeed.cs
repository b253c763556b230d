namespace Tributary.Core.Modules;

/// <summary>
/// A catalogue file a destination platform fetches from this service (behind basic auth), rendered from that destination's
/// delivered product and stock state. The host serves it, keeps the last good file and applies the drop guard.
/// </summary>
public interface ICatalogueFeed
{
    /// <summary>The destination whose delivered state the feed is rendered from.</summary>
    string Destination { get; }

    /// <summary>The file name, served under <c>/feeds/</c>.</summary>
    string FileName { get; }

    /// <summary>Basic auth user.</summary>
    string User { get; }

    /// <summary>Basic auth password (from the environment).</summary>
    string Password { get; }

    /// <summary>The media type the file is served with.</summary>
    string ContentType { get; }

    /// <summary>
    /// The drop guard: whether a feed of <paramref name="newItems"/> may replace the last good one of <paramref name="previousItems"/>
    /// (every import replaces the whole catalogue, so a broken publish must not empty it), with the reason either way.
    /// </summary>
    (bool Allowed, string Reason) Guard(int previousItems, int newItems);

    /// <summary>Writes the feed (product fields, stock fields per SKU) and returns the number of items written.</summary>
    int Render(IEnumerable<(IReadOnlyDictionary<string, string?> Product, IReadOnlyDictionary<string, string?>? Stock)> rows, TextWriter writer);
}
