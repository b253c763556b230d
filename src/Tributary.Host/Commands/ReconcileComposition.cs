using System.Text;
using Tributary.Connectors.Emarsys;
using Tributary.Core.Model;
using Tributary.Engine.Reconciliation;
using Tributary.Host.Composition;

namespace Tributary.Host.Commands;

/// <summary>Builds the reconciler of a pipeline: which destinations have a read API, what is summed, which feed is audited.</summary>
internal static class ReconcileComposition
{
    private static readonly IReadOnlySet<string> FeedFields = new HashSet<string>(StringComparer.Ordinal)
    {
        EmarsysCatalogFeed.Item, EmarsysCatalogFeed.Price, EmarsysCatalogFeed.Msrp, EmarsysCatalogFeed.Active,
        EmarsysCatalogFeed.Available, EmarsysCatalogFeed.Ats,
    };

    public static Reconciler Create(PipelineRuntime runtime, TimeProvider time)
    {
        var options = new ReconcileOptions { SampleShare = runtime.Config.Reconcile.SampleShare };
        var readApis = new List<DestinationReadApi>();
        if (runtime.Destinations.Select(d => d.Connector).OfType<EmarsysDestination>().FirstOrDefault() is { } emarsys)
        {
            var keyField = runtime.Config.Emarsys?.KeyFieldId ?? "9001";
            // Contacts can be asked back (contact/getdata); sales data and event triggers cannot, so they are compared
            // with the delivered state.
            readApis.Add(new DestinationReadApi(emarsys.Name, EntityKind.Customer, EmarsysClient.MaxContactsPerCall,
                async (keys, fields, ct) =>
                {
                    var data = await emarsys.Client.GetContactsAsync(keyField, keys, fields, ct);
                    var found = new Dictionary<string, IReadOnlyDictionary<string, string?>>(StringComparer.Ordinal);
                    foreach (var contact in data.Contacts)
                    {
                        if (contact.GetValueOrDefault(keyField) is { Length: > 0 } key)
                        {
                            found[key] = contact;
                        }
                    }

                    return found;
                }));
            if (emarsys.CatalogueOptions.Enabled)
            {
                options.SumFields = new Dictionary<EntityKind, IReadOnlyList<string>>
                {
                    [EntityKind.Product] = [EmarsysCatalogFeed.Price],
                    [EntityKind.Stock] = [EmarsysCatalogFeed.Ats],
                };
                var catalogue = emarsys.CatalogueOptions;
                options.Catalogue = new CatalogueAudit(emarsys.Name, FeedFields, rows => RenderFeed(rows, catalogue));
            }
        }

        options.ReadApis = readApis;
        return new Reconciler(runtime.Source, runtime.Destinations, runtime.Store, runtime.Store, runtime.Pipeline.Options, options, time);
    }

    /// <summary>Renders rows through the feed renderer Emarsys is served by, and reads the items back from the CSV.</summary>
    internal static IReadOnlyDictionary<string, FeedItem> RenderFeed(
        IEnumerable<(IReadOnlyDictionary<string, string?> Product, IReadOnlyDictionary<string, string?>? Stock)> rows, EmarsysCatalogueOptions catalogue)
    {
        using var writer = new StringWriter();
        EmarsysCatalogFeed.Render(rows, catalogue, writer);
        var lines = ParseCsv(writer.ToString());
        var items = new Dictionary<string, FeedItem>(StringComparer.Ordinal);
        if (lines.Count == 0)
        {
            return items;
        }

        var header = lines[0];
        var item = header.IndexOf(EmarsysCatalogFeed.Item);
        var price = header.IndexOf(EmarsysCatalogFeed.Price);
        var available = header.IndexOf(EmarsysCatalogFeed.Available);
        foreach (var line in lines.Skip(1).Where(l => l.Count == header.Count))
        {
            items[line[item]] = new FeedItem(line[item], line[price], string.Equals(line[available], "true", StringComparison.OrdinalIgnoreCase));
        }

        return items;
    }

    /// <summary>RFC 4180: comma separated, CRLF line ends, quoted fields with doubled quotes.</summary>
    internal static List<List<string>> ParseCsv(string text)
    {
        var lines = new List<List<string>>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n')
            {
                fields.Add(field.ToString().TrimEnd('\r'));
                field.Clear();
                lines.Add(fields);
                fields = [];
            }
            else
            {
                field.Append(c);
            }
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            lines.Add(fields);
        }

        return lines;
    }
}
