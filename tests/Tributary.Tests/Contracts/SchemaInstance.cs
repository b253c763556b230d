using System.Text.Json.Nodes;

namespace Tributary.Tests.Contracts;

/// <summary>
/// Builds a payload of a published OpenAPI component from the schema alone, for resources whose platform publishes no example:
/// every property the schema declares (or only the required ones), each value of the declared type and format, components for
/// which the platform does publish an example taken from that example. The result is checked against the same schema by the
/// tests, so a generator mistake shows as a violation, not as a false pass.
/// </summary>
public sealed class SchemaInstance(OpenApiDocument document, IReadOnlyDictionary<string, JsonNode> examples)
{
    private const int MaxOptionalDepth = 4;

    /// <summary>A payload of <paramref name="component"/>: all properties, or only the required ones.</summary>
    public JsonNode Build(string component, bool requiredOnly) => Component(component, requiredOnly, depth: 0, property: component)!;

    private JsonNode? Component(string name, bool requiredOnly, int depth, string property)
    {
        if (examples.TryGetValue(name, out var example))
        {
            return example.DeepClone();
        }

        return Schema(document.Component(name), requiredOnly, depth, property);
    }

    private JsonNode? Schema(JsonObject schema, bool requiredOnly, int depth, string property)
    {
        if (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            return Component(reference[(reference.LastIndexOf('/') + 1)..], requiredOnly, depth, property);
        }

        if (schema["enum"] is JsonArray values)
        {
            return values[0]?.DeepClone();
        }

        if (schema["allOf"] is JsonArray parts)
        {
            var merged = new JsonObject();
            foreach (var part in parts.OfType<JsonObject>())
            {
                if (Schema(part, requiredOnly, depth, property) is JsonObject obj)
                {
                    foreach (var (key, value) in obj.ToList())
                    {
                        obj.Remove(key);
                        merged[key] = value;
                    }
                }
            }

            return merged;
        }

        if ((schema["oneOf"] ?? schema["anyOf"]) is JsonArray choices)
        {
            return Schema(choices.OfType<JsonObject>().First(), requiredOnly, depth, property);
        }

        var type = schema["type"]?.GetValue<string>() ?? (schema["properties"] is not null ? "object" : "string");
        var format = schema["format"]?.GetValue<string>();
        return type switch
        {
            "object" => Object(schema, requiredOnly, depth),
            "array" => requiredOnly && (schema["minItems"]?.GetValue<long>() ?? 0) == 0
                ? new JsonArray()
                : new JsonArray(schema["items"] is JsonObject items ? Schema(items, requiredOnly, depth + 1, property) : JsonValue.Create(property)),
            "integer" => JsonValue.Create(Math.Max(1L, schema["minimum"]?.GetValue<long>() ?? 1L)),
            "number" => JsonValue.Create(Math.Max(1.5, schema["minimum"]?.GetValue<double>() ?? 1.5)),
            "boolean" => JsonValue.Create(false),
            _ => JsonValue.Create(Text(property, format)),
        };
    }

    private JsonObject Object(JsonObject schema, bool requiredOnly, int depth)
    {
        var result = new JsonObject();
        var required = (schema["required"] as JsonArray)?.Select(r => r!.GetValue<string>()).ToHashSet(StringComparer.Ordinal) ?? [];
        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (name, property) in properties)
            {
                var isRequired = required.Contains(name);
                if (!isRequired && (requiredOnly || depth >= MaxOptionalDepth))
                {
                    continue;
                }

                result[name] = Schema(property!.AsObject(), requiredOnly, depth + 1, name);
            }
        }
        else if (schema["additionalProperties"] is JsonObject additional && !requiredOnly)
        {
            result["en"] = Schema(additional, requiredOnly, depth + 1, "en");
        }

        return result;
    }

    private static string Text(string property, string? format) => format switch
    {
        "datetime" or "date-time" => "2030-01-02T03:04:05.678Z",
        "date-only" or "date" => "1990-02-03",
        "time-only" or "time" => "10:11:12.000",
        "uuid" => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "email" => "jane.doe@example.com",
        "uri" or "url" => "https://example.com/" + property,
        _ => property + "-value",
    };
}
