using Tributary.Core.Contracts;

namespace Tributary.Connectors.Dotdigital;

public sealed partial class DotdigitalDestination
{
    /// <inheritdoc />
    public async Task<ConnectivityReport> CheckAsync(CancellationToken cancellationToken)
    {
        var lines = new List<CheckLine>();
        try
        {
            var endpoint = await Client.GetApiEndpointAsync(cancellationToken);
            lines.Add(new CheckLine("credentials", true, $"Signed in to Dotdigital; the account's API endpoint is {endpoint}."));
        }
        catch (DotdigitalException ex)
        {
            lines.Add(new CheckLine("credentials", false, CredentialFix(ex)));
            return new ConnectivityReport(false, lines);
        }

        try
        {
            var fields = (await Client.GetDataFieldsAsync(cancellationToken))
                .Select(f => f.Name).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
            var mapped = _options.Fields.Values.Concat(_options.Attributes.Values).Concat(_options.SummaryFields.Values).Distinct(StringComparer.OrdinalIgnoreCase);
            var missing = mapped.Where(m => !fields.Contains(m)).ToList();
            lines.Add(missing.Count == 0
                ? new CheckLine("data fields", true, "Every mapped data field exists.")
                : new CheckLine("data fields", false, $"Data fields missing in this Dotdigital account: {string.Join(", ", missing)}. Fix: create them "
                    + "under Settings > Data fields (or POST /v2/data-fields), or remove the mapping."));
        }
        catch (DotdigitalException ex)
        {
            lines.Add(new CheckLine("data fields", false, $"Could not list the data fields ({ex.Message}). Fix: give the API user access to contacts."));
        }

        if (_options.Programs.Count > 0)
        {
            lines.Add(await CheckProgramsAsync(cancellationToken));
        }

        return new ConnectivityReport(lines.TrueForAll(l => l.Ok), lines);
    }

    private async Task<CheckLine> CheckProgramsAsync(CancellationToken cancellationToken)
    {
        try
        {
            var programs = (await Client.GetProgramsAsync(cancellationToken)).ToDictionary(p => p.Id);
            var problems = _options.Programs
                .Where(p => !programs.TryGetValue(p.Value, out var program) || !string.Equals(program.Status, "Active", StringComparison.OrdinalIgnoreCase))
                .Select(p => $"{p.Key} → {p.Value} ({(programs.TryGetValue(p.Value, out var found) ? found.Status : "not found")})")
                .ToList();
            return problems.Count == 0
                ? new CheckLine("programs", true, "Every mapped program exists and is Active.")
                : new CheckLine("programs", false, $"Programs not usable for enrolment: {string.Join(", ", problems)}. Fix: activate them in "
                    + "Dotdigital (enrolment into a Draft or Deactivated program answers 422), or correct Programs.");
        }
        catch (DotdigitalException ex)
        {
            return new CheckLine("programs", false, $"Could not list programs ({ex.Message}). Fix: give the API user the Programs permission.");
        }
    }

    private static string CredentialFix(DotdigitalException ex) => ex.Kind switch
    {
        FailureKind.Auth => $"Dotdigital rejected the credentials ({ex.Message}). Fix: check the API user and password under "
            + "Settings > Access > API users.",
        FailureKind.RateLimited => $"Dotdigital is rate-limiting this account ({ex.Message}). Fix: wait a minute and check again.",
        FailureKind.Config => $"Dotdigital refused the call ({ex.Message}). Fix: check BootstrapUrl (normally "
            + $"{DotdigitalClientOptions.DefaultBootstrapUrl}) and the API user's permissions.",
        _ => $"Dotdigital could not be reached ({ex.Message}). Fix: check BootstrapUrl (normally {DotdigitalClientOptions.DefaultBootstrapUrl}) "
            + "and the network path to it.",
    };
}
