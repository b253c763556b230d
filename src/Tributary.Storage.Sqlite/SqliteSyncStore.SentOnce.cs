using Tributary.Core.Contracts;
using Tributary.Storage.Sqlite.Internal;

namespace Tributary.Storage.Sqlite;

public sealed partial class SqliteSyncStore
{
    /// <inheritdoc />
    public Task<bool> TryMarkIntendedAsync(string ledgerKey, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync((s, tx) =>
        {
            using var command = s.Command(
                "INSERT INTO sent_once (ledger_key, intended_at) VALUES ($key, $at) ON CONFLICT (ledger_key) DO NOTHING;", tx);
            command.Parameters.AddWithValue("$key", ledgerKey);
            command.Parameters.AddWithValue("$at", Codec.Ms(now));
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);

    /// <inheritdoc />
    /// <remarks>The first confirmation wins; a key never marked intended is recorded as intended and sent at once.</remarks>
    public Task MarkSentAsync(string ledgerKey, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync((s, tx) =>
        {
            using var command = s.Command(
                "INSERT INTO sent_once (ledger_key, intended_at, sent_at) VALUES ($key, $at, $at) " +
                "ON CONFLICT (ledger_key) DO UPDATE SET sent_at = COALESCE(sent_once.sent_at, excluded.sent_at);", tx);
            command.Parameters.AddWithValue("$key", ledgerKey);
            command.Parameters.AddWithValue("$at", Codec.Ms(now));
            return command.ExecuteNonQuery();
        }, cancellationToken);

    /// <inheritdoc />
    public Task<SentOnceState?> GetSentOnceAsync(string ledgerKey, CancellationToken cancellationToken) =>
        RunAsync(s =>
        {
            using var command = s.Command("SELECT intended_at, sent_at FROM sent_once WHERE ledger_key = $key;");
            command.Parameters.AddWithValue("$key", ledgerKey);
            using var reader = command.ExecuteReader();
            return reader.Read()
                ? new SentOnceState(ledgerKey, Codec.Time(reader.GetInt64(0)), reader.IsDBNull(1) ? null : Codec.Time(reader.GetInt64(1)))
                : null;
        }, cancellationToken);
}
