using Tributary.Core.Model;

namespace Tributary.Storage.Sql;

public abstract partial class SqlLedger
{
    // An entry replaces the stored one unless the stored answer counts from later (its own date, else when it was learnt).
    private const string RecordConsentSql =
        "INSERT INTO consent (contact, channel, destination, side, status, origin, given_at, recorded_at) " +
        "VALUES (@contact, @channel, @destination, @side, @status, @origin, @given, @recorded) " +
        "ON CONFLICT (contact, channel, destination, side) DO UPDATE SET status = excluded.status, origin = excluded.origin, " +
        "given_at = excluded.given_at, recorded_at = excluded.recorded_at " +
        "WHERE COALESCE(excluded.given_at, excluded.recorded_at) >= COALESCE(consent.given_at, consent.recorded_at)";

    /// <inheritdoc cref="Tributary.Core.Contracts.IConsentLedger.RecordConsentAsync"/>
    public Task RecordConsentAsync(IReadOnlyList<ConsentEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return Task.CompletedTask;
        }

        // One row per cell: a batch naming a cell twice keeps the answer that counts from later.
        var cells = entries
            .GroupBy(e => (e.Contact, e.Channel, e.Destination, e.Side))
            .Select(g => g.MaxBy(e => e.Effective)!)
            .ToList();
        return WriteSqlAsync((connection, tx, ct) => connection.ExecuteEachAsync(tx, RecordConsentSql, cells, (row, e) => row
            .Text("contact", e.Contact).Text("channel", e.Channel).Text("destination", e.Destination).Text("side", e.Side.ToString())
            .Text("status", e.Status.ToString()).Text("origin", e.Origin).Bigint("given", e.At is { } at ? SqlCodec.Ms(at) : null)
            .Bigint("recorded", SqlCodec.Ms(e.RecordedAt)), ct), cancellationToken);
    }

    /// <inheritdoc cref="Tributary.Core.Contracts.IConsentLedger.GetConsentAsync"/>
    public Task<IReadOnlyList<ConsentEntry>> GetConsentAsync(IReadOnlyCollection<string> contacts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        if (contacts.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<ConsentEntry>>([]);
        }

        return ReadSqlAsync<IReadOnlyList<ConsentEntry>>(async (connection, ct) =>
        {
            await using var command = connection.Command(
                "SELECT contact, channel, destination, side, status, origin, given_at, recorded_at FROM consent " +
                $"WHERE {Dialect.InList("contact", "@contacts")} ORDER BY contact, channel, destination, side");
            Dialect.AddTextList(command, "contacts", contacts);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var entries = new List<ConsentEntry>();
            while (await reader.ReadAsync(ct))
            {
                entries.Add(new ConsentEntry(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                    Enum.Parse<ConsentSide>(reader.GetString(3)), Enum.Parse<ConsentStatus>(reader.GetString(4)),
                    SqlCodec.NullableString(reader, 5), reader.IsDBNull(6) ? null : SqlCodec.Time(reader.GetInt64(6)),
                    SqlCodec.Time(reader.GetInt64(7))));
            }

            return entries;
        }, cancellationToken);
    }

    /// <inheritdoc cref="Tributary.Core.Contracts.IConsentLedger.RecordAddressesAsync"/>
    public Task RecordAddressesAsync(IReadOnlyList<(string AddressHash, string Contact)> addresses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        if (addresses.Count == 0)
        {
            return Task.CompletedTask;
        }

        return WriteSqlAsync((connection, tx, ct) => connection.ExecuteEachAsync(tx,
            "INSERT INTO consent_address (address_hash, contact) VALUES (@hash, @contact) ON CONFLICT (address_hash, contact) DO NOTHING",
            addresses.Distinct(), (row, a) => row.Text("hash", a.AddressHash).Text("contact", a.Contact), ct), cancellationToken);
    }

    /// <inheritdoc cref="Tributary.Core.Contracts.IConsentLedger.FindContactsAsync"/>
    public Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> FindContactsAsync(IReadOnlyCollection<string> addressHashes,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(addressHashes);
        if (addressHashes.Count == 0)
        {
            return Task.FromResult<IReadOnlyDictionary<string, IReadOnlyList<string>>>(new Dictionary<string, IReadOnlyList<string>>());
        }

        return ReadSqlAsync<IReadOnlyDictionary<string, IReadOnlyList<string>>>(async (connection, ct) =>
        {
            await using var command = connection.Command(
                $"SELECT address_hash, contact FROM consent_address WHERE {Dialect.InList("address_hash", "@hashes")} ORDER BY address_hash, contact");
            Dialect.AddTextList(command, "hashes", addressHashes);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var found = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            while (await reader.ReadAsync(ct))
            {
                var hash = reader.GetString(0);
                if (!found.TryGetValue(hash, out var contacts))
                {
                    found[hash] = contacts = [];
                }

                contacts.Add(reader.GetString(1));
            }

            return found.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal);
        }, cancellationToken);
    }

    /// <inheritdoc cref="Tributary.Core.Contracts.IConsentLedger.SummarizeConsentAsync"/>
    public Task<ConsentSummary> SummarizeConsentAsync(CancellationToken cancellationToken) =>
        ReadSqlAsync(async (connection, ct) =>
        {
            var counts = new List<ConsentCount>();
            await using (var command = connection.Command(
                             "SELECT destination, side, channel, status, COUNT(*) FROM consent GROUP BY destination, side, channel, status"))
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    counts.Add(new ConsentCount(reader.GetString(0), Enum.Parse<ConsentSide>(reader.GetString(1)), reader.GetString(2),
                        Enum.Parse<ConsentStatus>(reader.GetString(3)), reader.GetInt64(4)));
                }
            }

            // Every destination the ledger knows has its count, 0 included: an alert on it can then recover.
            var conflicts = counts.Where(c => c.Destination.Length > 0).Select(c => c.Destination).Distinct(StringComparer.Ordinal)
                .ToDictionary(d => d, _ => 0L, StringComparer.Ordinal);
            await using (var command = connection.Command($"SELECT r.destination, COUNT(*) {ConflictsFrom} GROUP BY r.destination"))
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    conflicts[reader.GetString(0)] = reader.GetInt64(1);
                }
            }

            return new ConsentSummary(counts, conflicts);
        }, cancellationToken);

    /// <inheritdoc cref="Tributary.Core.Contracts.IConsentLedger.ListConsentConflictsAsync"/>
    public Task<IReadOnlyList<ConsentConflict>> ListConsentConflictsAsync(int limit, CancellationToken cancellationToken) =>
        ReadSqlAsync<IReadOnlyList<ConsentConflict>>(async (connection, ct) =>
        {
            await using var command = connection.Command(
                $"SELECT r.contact, r.channel, r.destination, COALESCE(r.given_at, r.recorded_at), s.origin {ConflictsFrom} " +
                "ORDER BY r.destination, r.contact, r.channel LIMIT @limit");
            command.Integer("limit", Math.Max(0, limit));
            await using var reader = await command.ExecuteReaderAsync(ct);
            var conflicts = new List<ConsentConflict>();
            while (await reader.ReadAsync(ct))
            {
                conflicts.Add(new ConsentConflict(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                    SqlCodec.Time(reader.GetInt64(3)), SqlCodec.NullableString(reader, 4)));
            }

            return conflicts;
        }, cancellationToken);

    // A destination's opt-out against the source's subscribed answer given before it (or undated: it cannot be shown newer).
    private const string ConflictsFrom =
        "FROM consent r JOIN consent s ON s.contact = r.contact AND s.channel = r.channel AND s.destination = '' AND s.side = 'Source' " +
        "WHERE r.side = 'Reported' AND r.status = 'Unsubscribed' AND s.status = 'Subscribed' " +
        "AND (s.given_at IS NULL OR s.given_at < COALESCE(r.given_at, r.recorded_at))";
}
