using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;

namespace Tributary.Core.Facts;

/// <summary>
/// The one encoding of <see cref="Fact"/>s into outbox payload values and back: projections encode, deliveries decode, and
/// nothing else reads or writes the form. The form is compact JSON whose first property names the kind
/// (<c>{"fact":"sale",…}</c>), which tells a fact from a value staged by an earlier version (a CSV row, a trigger's JSON): a
/// destination decodes those itself, so rows already in an outbox still deliver. It is written and read by hand with
/// <see cref="Utf8JsonWriter"/> and <see cref="Utf8JsonReader"/> over reused buffers, because every order line of a backfill
/// and of every unchanged pass goes through it (docs/benchmarks.md, "Sales lines").
/// </summary>
public static class FactCodec
{
    /// <summary>The name of the property that says which fact a value holds; always the first property.</summary>
    public const string Discriminator = "fact";

    private const string Marker = "{\"" + Discriminator + "\":";

    // Longer values are decoded from a rented buffer instead of the stack.
    private const int StackBytes = 1024;

    private static readonly JsonEncodedText FactProperty = JsonEncodedText.Encode(Discriminator);
    private static readonly JsonEncodedText SaleKind = JsonEncodedText.Encode("sale");
    private static readonly JsonEncodedText TriggerKind = JsonEncodedText.Encode("trigger");
    private static readonly JsonEncodedText OrderProperty = JsonEncodedText.Encode("order");
    private static readonly JsonEncodedText AtProperty = JsonEncodedText.Encode("at");
    private static readonly JsonEncodedText CustomerProperty = JsonEncodedText.Encode("customer");
    private static readonly JsonEncodedText EmailProperty = JsonEncodedText.Encode("email");
    private static readonly JsonEncodedText ItemProperty = JsonEncodedText.Encode("item");
    private static readonly JsonEncodedText PriceProperty = JsonEncodedText.Encode("price");
    private static readonly JsonEncodedText QuantityProperty = JsonEncodedText.Encode("qty");
    private static readonly JsonEncodedText TargetProperty = JsonEncodedText.Encode("target");
    private static readonly JsonEncodedText ContactProperty = JsonEncodedText.Encode("contact");
    private static readonly JsonEncodedText IdProperty = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText DataProperty = JsonEncodedText.Encode("data");

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _writer;

    /// <summary>The outbox form of a fact.</summary>
    public static string Encode(Fact fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        var json = _writer ??= new Utf8JsonWriter(buffer);
        json.Reset(buffer);
        json.WriteStartObject();
        switch (fact)
        {
            case SalesLine line:
                json.WriteString(FactProperty, SaleKind);
                json.WriteString(OrderProperty, line.Order);
                json.WriteString(AtProperty, line.At);
                WriteIfSet(json, CustomerProperty, line.Customer);
                WriteIfSet(json, EmailProperty, line.Email);
                json.WriteString(ItemProperty, line.Item);
                json.WriteNumber(PriceProperty, line.Price);
                json.WriteNumber(QuantityProperty, line.Quantity);
                break;
            case EventTrigger trigger:
                json.WriteString(FactProperty, TriggerKind);
                json.WriteString(TargetProperty, trigger.Target);
                json.WriteString(ContactProperty, trigger.Contact);
                json.WriteString(IdProperty, trigger.TriggerId);
                if (trigger.OccurredAt is { } at)
                {
                    json.WriteString(AtProperty, at);
                }

                if (trigger.Data is { } data)
                {
                    json.WriteStartObject(DataProperty);
                    foreach (var (name, value) in data)
                    {
                        json.WriteString(name, value);
                    }

                    json.WriteEndObject();
                }

                break;
            default:
                throw new ArgumentException($"{fact.GetType().Name} has no outbox form.", nameof(fact));
        }

        json.WriteEndObject();
        json.Flush();
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>True when the value is in this codec's form (false for a value staged by an earlier version, or null).</summary>
    public static bool IsEncoded([NotNullWhen(true)] string? value) => value is not null && value.StartsWith(Marker, StringComparison.Ordinal);

    /// <summary>Decodes a value in this codec's form into a fact of type <typeparamref name="T"/>; false for anything else.</summary>
    public static bool TryDecode<T>([NotNullWhen(true)] string? value, [NotNullWhen(true)] out T? fact)
        where T : Fact
    {
        fact = null;
        if (!IsEncoded(value))
        {
            return false;
        }

        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = null;
        Span<byte> bytes = max <= StackBytes ? stackalloc byte[StackBytes] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var length = Encoding.UTF8.GetBytes(value, bytes);
            fact = Read(bytes[..length]) as T;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            // A damaged value is no fact: the destination reports it as unreadable rather than sending something else.
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        return fact is not null;
    }

    private static void WriteIfSet(Utf8JsonWriter json, JsonEncodedText name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static Fact? Read(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        reader.Read(); // {
        reader.Read(); // "fact"
        reader.Read();
        if (reader.ValueTextEquals("sale"u8))
        {
            return ReadSale(ref reader);
        }

        return reader.ValueTextEquals("trigger"u8) ? ReadTrigger(ref reader) : null;
    }

    private static SalesLine? ReadSale(ref Utf8JsonReader reader)
    {
        string? order = null, customer = null, email = null, item = null;
        DateTimeOffset? at = null;
        decimal? price = null, quantity = null;
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("order"u8))
            {
                Advance(ref reader);
                order = reader.GetString();
            }
            else if (reader.ValueTextEquals("at"u8))
            {
                Advance(ref reader);
                at = reader.GetDateTimeOffset();
            }
            else if (reader.ValueTextEquals("customer"u8))
            {
                Advance(ref reader);
                customer = reader.GetString();
            }
            else if (reader.ValueTextEquals("email"u8))
            {
                Advance(ref reader);
                email = reader.GetString();
            }
            else if (reader.ValueTextEquals("item"u8))
            {
                Advance(ref reader);
                item = reader.GetString();
            }
            else if (reader.ValueTextEquals("price"u8))
            {
                Advance(ref reader);
                price = reader.GetDecimal();
            }
            else if (reader.ValueTextEquals("qty"u8))
            {
                Advance(ref reader);
                quantity = reader.GetDecimal();
            }
            else
            {
                Skip(ref reader);
            }
        }

        return order is null || at is null || item is null || price is null || quantity is null
            ? null
            : new SalesLine(order, at.Value, customer, email, item, price.Value, quantity.Value);
    }

    private static EventTrigger? ReadTrigger(ref Utf8JsonReader reader)
    {
        string? target = null, contact = null, id = null;
        DateTimeOffset? at = null;
        Dictionary<string, string>? data = null;
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("target"u8))
            {
                Advance(ref reader);
                target = reader.GetString();
            }
            else if (reader.ValueTextEquals("contact"u8))
            {
                Advance(ref reader);
                contact = reader.GetString();
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                Advance(ref reader);
                id = reader.GetString();
            }
            else if (reader.ValueTextEquals("at"u8))
            {
                Advance(ref reader);
                at = reader.GetDateTimeOffset();
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                data = ReadData(ref reader);
            }
            else
            {
                Skip(ref reader);
            }
        }

        return target is null || contact is null || id is null ? null : new EventTrigger(target, contact, id, at, data);
    }

    private static Dictionary<string, string> ReadData(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new FormatException("trigger data is not an object");
        }

        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        while (NextProperty(ref reader))
        {
            var name = reader.GetString()!;
            Advance(ref reader);
            data[name] = reader.GetString() ?? throw new FormatException("trigger data holds a null");
        }

        return data;
    }

    /// <summary>Moves to the next property name of the current object; false at its end.</summary>
    private static bool NextProperty(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new FormatException("the fact ends early");
        }

        return reader.TokenType == JsonTokenType.PropertyName;
    }

    private static void Advance(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new FormatException("the fact ends early");
        }
    }

    private static void Skip(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || !reader.TrySkip())
        {
            throw new FormatException("the fact ends early");
        }
    }
}
