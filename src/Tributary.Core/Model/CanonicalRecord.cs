namespace Tributary.Core.Model;

/// <summary>
/// The platform-neutral shape every source maps into and every destination projects from.
/// </summary>
public abstract record CanonicalRecord
{
    /// <summary>The kind of record.</summary>
    public abstract EntityKind Kind { get; }

    /// <summary>The stable key of the record within its kind (source id, SKU, dedupe key).</summary>
    public abstract string Key { get; }

    /// <summary>The source's version of the record; a change with a lower version than the last applied one is ignored.</summary>
    public long SourceVersion { get; init; }

    /// <summary>When the source last changed the record.</summary>
    public DateTimeOffset ModifiedAt { get; init; }
}
