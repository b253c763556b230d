using Tributary.Core.Contracts;

namespace Tributary.Connectors.Emarsys;

public sealed partial class EmarsysDestination
{
    /// <summary>
    /// Largest clock difference tolerated before the check fails. Emarsys rejects a WSSE <c>Created</c> more than five
    /// minutes off; two minutes leaves room for drift before requests start failing.
    /// </summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(2);

    private static readonly string[] TextTypes = ["shorttext", "longtext"];

    /// <inheritdoc />
    public async Task<ConnectivityReport> CheckAsync(CancellationToken cancellationToken)
    {
        var lines = new List<CheckLine>();
        EmarsysSettings settings;
        try
        {
            settings = await Client.GetSettingsAsync(cancellationToken);
            lines.Add(new CheckLine("credentials", true, $"Signed in to Emarsys account '{settings.Name ?? settings.Environment ?? "?"}'."));
        }
        catch (EmarsysException ex)
        {
            lines.Add(new CheckLine("credentials", false, CredentialFix(ex)));
            return new ConnectivityReport(false, lines);
        }

        lines.Add(CheckClock(settings.ServerTime));

        IReadOnlyList<EmarsysFieldInfo> fields;
        try
        {
            fields = await Client.GetFieldsAsync(cancellationToken);
        }
        catch (EmarsysException ex)
        {
            lines.Add(new CheckLine("fields", false,
                $"Could not list the contact fields ({ex.Message}). Fix: give the API user permission to read fields, then check again."));
            return new ConnectivityReport(false, lines);
        }

        var byId = fields.ToDictionary(f => f.Key, StringComparer.Ordinal);
        lines.Add(CheckKeyField(byId));
        lines.AddRange(CheckMappedFields(byId));
        if (Client.SalesDataConfigured)
        {
            lines.Add(await CheckSalesDataHostAsync(cancellationToken));
        }

        return new ConnectivityReport(lines.TrueForAll(l => l.Ok), lines);
    }

    // The sales data goes to a host of its own with its own token: tested apart, so a wrong address there is named before the
    // first upload (a failing upload stops only the sales data, never the contacts and events of the same pass).
    private async Task<CheckLine> CheckSalesDataHostAsync(CancellationToken cancellationToken)
    {
        try
        {
            var (status, address) = await Client.ProbeSalesDataAsync(cancellationToken);
            var at = address.GetLeftPart(UriPartial.Path);
            return status switch
            {
                404 => new CheckLine("sales data", false, $"Emarsys answered 404 at {at}: no sales-data upload there. Fix: {Client.SalesDataUrlFix()}."),
                401 or 403 => new CheckLine("sales data", false, $"Emarsys answered {status} at {at}: the sales-data token is refused. "
                    + "Fix: copy salesDataToken from Management > Predict Data Sources > Sales Data > Show API upload details."),
                >= 500 => new CheckLine("sales data", false, $"Emarsys answered {status} at {at}: the sales-data host is failing. Fix: try again later."),
                _ => new CheckLine("sales data", true, $"Emarsys answered {status} at {at}: the sales-data upload is there (it takes only POST)."),
            };
        }
        catch (EmarsysException ex)
        {
            return new CheckLine("sales data", false, $"{ex.Message}. Fix: check salesDataUrl (normally {EmarsysClientOptions.DefaultSalesDataUrl}) "
                + "and the network path to it.");
        }
    }

    private string CredentialFix(EmarsysException ex) => ex.Kind switch
    {
        // A wrong address answers: say what answered where, and the address to use.
        FailureKind.Config when ex.StatusCode == 404 => ex.Message,
        FailureKind.Auth => $"Emarsys rejected the credentials ({ex.Message}). Fix: check the API user name and secret under "
            + "Management > Security Settings > API users, and that this machine's clock is within 5 minutes of the real time.",
        FailureKind.Config => $"Emarsys refused the call ({ex.Message}). Fix: give the API user access to the contact and field APIs.",
        FailureKind.RateLimited => $"Emarsys is rate-limiting this API user ({ex.Message}). Fix: wait a minute, or give this "
            + "installation its own API user.",
        _ when ex.StatusCode is not null => $"{ex.Message} (from {Client.ApiHost}). Fix: try again later; if it lasts, check apiUrl "
            + $"(normally {EmarsysClientOptions.DefaultApiUrl}).",
        _ => $"Emarsys could not be reached ({ex.Message}). Fix: check ApiUrl (normally {EmarsysClientOptions.DefaultApiUrl}) "
            + "and the network path to it.",
    };

    private CheckLine CheckClock(DateTimeOffset? serverTime)
    {
        if (serverTime is not { } server)
        {
            return new CheckLine("clock", true, "Emarsys sent no Date header; clock skew not measured.");
        }

        var skew = _time.GetUtcNow() - server;
        var seconds = Math.Round(skew.TotalSeconds);
        return skew.Duration() <= MaxClockSkew
            ? new CheckLine("clock", true, $"Clock is within {Math.Abs(seconds)} s of Emarsys.")
            : new CheckLine("clock", false, $"This machine's clock is {seconds} s off Emarsys's. Fix: synchronise it with NTP; "
                + "Emarsys rejects signed requests more than 5 minutes off.");
    }

    private CheckLine CheckKeyField(Dictionary<string, EmarsysFieldInfo> byId)
    {
        var keyId = _options.KeyFieldId;
        if (!byId.TryGetValue(keyId, out var key))
        {
            return new CheckLine("key field", false, $"Key field {keyId} does not exist in this Emarsys account. Fix: create a custom "
                + "single-line text field (for example 'external_id') in the Emarsys Field Editor and set keyFieldId (destinations.emarsys.keyFieldId in the config) to its id.");
        }

        if (key.ApplicationType is { } type && !TextTypes.Contains(type, StringComparer.OrdinalIgnoreCase))
        {
            return new CheckLine("key field", false, $"Key field {keyId} ('{key.Name}') is of type {type}. Fix: use a single-line "
                + "text field for the customer id and set keyFieldId (destinations.emarsys.keyFieldId in the config) to its id.");
        }

        return new CheckLine("key field", true, $"Key field {keyId} ('{key.Name}') holds the customer id.");
    }

    private IEnumerable<CheckLine> CheckMappedFields(Dictionary<string, EmarsysFieldInfo> byId)
    {
        var mapped = _options.Fields.Select(f => (Name: f.Key, FieldId: f.Value, Setting: "Fields"))
            .Concat(_options.Attributes.Select(a => (Name: a.Key, FieldId: a.Value, Setting: "Attributes")))
            .Concat(_options.SendOptIn ? [(Name: "email consent", FieldId: _options.OptInFieldId, Setting: "OptInFieldId")] : []);
        var missing = 0;
        foreach (var (name, fieldId, setting) in mapped)
        {
            if (!byId.ContainsKey(fieldId))
            {
                missing++;
                yield return new CheckLine($"field {name}", false, $"Field {fieldId} (mapped from '{name}' in {setting}) does not exist in "
                    + $"this Emarsys account. Fix: create the field in the Emarsys Field Editor and put its id in {setting}, or remove the mapping.");
            }
        }

        if (missing == 0)
        {
            yield return new CheckLine("mapped fields", true, "Every mapped field exists.");
        }
    }
}
