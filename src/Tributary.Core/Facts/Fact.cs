using System.Text.Json.Serialization;

namespace Tributary.Core.Facts;

/// <summary>
/// An immutable fact a destination cannot de-duplicate (a sales line, an event trigger), staged in the outbox as a typed value
/// through <see cref="FactCodec"/> and rendered into the platform's wire format only at delivery.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = FactCodec.Discriminator)]
[JsonDerivedType(typeof(SalesLine), "sale")]
[JsonDerivedType(typeof(EventTrigger), "trigger")]
public abstract record Fact;
