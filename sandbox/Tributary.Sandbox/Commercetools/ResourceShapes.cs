namespace Tributary.Sandbox.Commercetools;

/// <summary>Ids and sort fields of customers.</summary>
internal sealed class CustomerShape : IResourceShape<SandboxCustomer>
{
    public static string IdOf(SandboxCustomer item) => item.Id!;

    public static int CompareOn(SandboxCustomer a, SandboxCustomer b, string field) => field switch
    {
        "lastModifiedAt" => a.LastModifiedAt.UtcTicks.CompareTo(b.LastModifiedAt.UtcTicks),
        "createdAt" => a.CreatedAt.UtcTicks.CompareTo(b.CreatedAt.UtcTicks),
        "version" => a.Version.CompareTo(b.Version),
        "email" => Nullable(a.Email, b.Email),
        "key" => Nullable(a.Key, b.Key),
        "customerNumber" => Nullable(a.CustomerNumber, b.CustomerNumber),
        "firstName" => Nullable(a.FirstName, b.FirstName),
        "lastName" => Nullable(a.LastName, b.LastName),
        _ => string.CompareOrdinal(a.Id, b.Id),
    };

    private static int Nullable(string? a, string? b) => ResourceStore<SandboxCustomer, CustomerShape>.CompareNullable(a, b);
}

/// <summary>Ids and sort fields of orders.</summary>
internal sealed class OrderShape : IResourceShape<SandboxOrder>
{
    public static string IdOf(SandboxOrder item) => item.Id!;

    public static int CompareOn(SandboxOrder a, SandboxOrder b, string field) => field switch
    {
        "lastModifiedAt" => a.LastModifiedAt.UtcTicks.CompareTo(b.LastModifiedAt.UtcTicks),
        "createdAt" => a.CreatedAt.UtcTicks.CompareTo(b.CreatedAt.UtcTicks),
        "completedAt" => Nullable(a.CompletedAt?.UtcTicks, b.CompletedAt?.UtcTicks),
        "version" => a.Version.CompareTo(b.Version),
        "orderNumber" => Nullable(a.OrderNumber, b.OrderNumber),
        "customerEmail" => Nullable(a.CustomerEmail, b.CustomerEmail),
        "customerId" => Nullable(a.CustomerId, b.CustomerId),
        _ => string.CompareOrdinal(a.Id, b.Id),
    };

    private static int Nullable(string? a, string? b) => ResourceStore<SandboxOrder, OrderShape>.CompareNullable(a, b);

    /// <summary>Missing values sort last, as missing strings do.</summary>
    private static int Nullable(long? a, long? b) => (a, b) switch
    {
        (null, null) => 0,
        (null, _) => 1,
        (_, null) => -1,
        _ => a.Value.CompareTo(b.Value),
    };
}
