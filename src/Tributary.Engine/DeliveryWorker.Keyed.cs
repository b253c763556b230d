using Tributary.Core.Contracts;

namespace Tributary.Engine;

internal sealed partial class DeliveryWorker
{
    /// <summary>Delivers rows another component chose (see <see cref="KeyedDelivery"/>).</summary>
    internal Task DeliverRowsAsync(IReadOnlyList<OutboxEntry> rows, CancellationToken cancellationToken) => DeliverAsync(rows, cancellationToken);
}
