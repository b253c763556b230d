using Tributary.Core.Contracts;

namespace Tributary.Storage.Sql;

public abstract partial class SqlLedger
{
    /// <inheritdoc cref="ISentOnceLedger.ReleaseIntentsAsync"/>
    /// <remarks>Only unconfirmed intents are forgotten: a key once sent stays sent.</remarks>
    public Task ReleaseIntentsAsync(IReadOnlyCollection<string> ledgerKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ledgerKeys);
        if (ledgerKeys.Count == 0)
        {
            return Task.CompletedTask;
        }

        return WriteSqlAsync(async (connection, tx, ct) =>
        {
            await using var command = connection.Command($"DELETE FROM sent_once WHERE {Dialect.InList("ledger_key", "@keys")} AND sent_at IS NULL", tx);
            Dialect.AddTextList(command, "keys", ledgerKeys);
            return await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);
    }
}
