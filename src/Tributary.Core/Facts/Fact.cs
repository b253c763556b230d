namespace Tributary.Core.Facts;

/// <summary>
/// An immutable fact a destination cannot de-duplicate (a sales line, an event trigger), staged in the outbox as a typed value
/// through <see cref="FactCodec"/> and rendered into the platform's wire format only at delivery.
/// </summary>
public abstract record Fact;
