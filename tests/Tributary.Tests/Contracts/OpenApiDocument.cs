using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using YamlDotNet.RepresentationModel;

namespace Tributary.Tests.Contracts;

/// <summary>
/// A published OpenAPI document (JSON or YAML) read as JSON, whose schemas validate payloads through JSON Schema (JsonSchema.Net).
/// The OpenAPI dialect is brought to JSON Schema 2020-12 without loosening it: component references point into <c>$defs</c>,
/// OpenAPI 3.0's <c>nullable: true</c> adds <c>null</c> to the type, a closed allOf branch closes the whole allOf, and commercetools' pattern "required" entries (a RAML
/// carry-over such as <c>/^[a-z]{2}(-[A-Z]{2})?$/</c> for the locales of a LocalizedString, which names no property) are dropped.
/// </summary>
public sealed class OpenApiDocument
{
    private static readonly ConcurrentDictionary<string, OpenApiDocument> Loaded = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);
    private readonly JsonObject _defs;
    private readonly string _name;

    private OpenApiDocument(string name, JsonObject root)
    {
        _name = name;
        Root = root;
        _defs = (JsonObject?)Normalize(root["components"]?["schemas"]?.DeepClone()) ?? [];
    }

    /// <summary>The document as published.</summary>
    public JsonObject Root { get; }

    /// <summary>One published document, read once per test run.</summary>
    public static OpenApiDocument Load(params string[] parts) => Loaded.GetOrAdd(string.Join('/', parts), key =>
    {
        var text = PublishedContracts.Read(parts);
        var root = key.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || text.TrimStart().StartsWith('{')
            ? JsonNode.Parse(text)!.AsObject()
            : Yaml(text).AsObject();
        return new OpenApiDocument(key, root);
    });

    /// <summary>A component schema, e.g. <c>Customer</c>, as published (before normalisation).</summary>
    public JsonObject Component(string name) =>
        Root["components"]?["schemas"]?[name]?.AsObject() ?? throw new InvalidOperationException($"{_name} has no component schema {name}");

    /// <summary>
    /// Replaces a component where the published schema says less than the platform's own documentation of it (the caller says
    /// why); schemas built afterwards use the correction.
    /// </summary>
    public void Correct(string component, JsonObject schema)
    {
        _defs[component] = Normalize(schema);
        _schemas.Clear();
    }

    /// <summary>The JSON schema of a component.</summary>
    public JsonSchema ComponentSchema(string name)
    {
        Component(name);
        return _schemas.GetOrAdd("component:" + name, _ => Build(new JsonObject { ["$ref"] = "#/$defs/" + name }));
    }

    /// <summary>The JSON schema of an operation's request body (<c>application/json</c>).</summary>
    public JsonSchema RequestSchema(string path, string method) => _schemas.GetOrAdd($"request:{method} {path}", _ =>
    {
        var schema = Operation(path, method)["requestBody"]?["content"]?["application/json"]?["schema"]
            ?? throw new InvalidOperationException($"{_name} {method} {path} has no JSON request body schema");
        return Build(Normalize(schema.DeepClone())!.AsObject());
    });

    /// <summary>The JSON schema of an operation's response for one status.</summary>
    public JsonSchema ResponseSchema(string path, string method, string status) => _schemas.GetOrAdd($"response:{method} {path} {status}", _ =>
    {
        var schema = Operation(path, method)["responses"]?[status]?["content"]?["application/json"]?["schema"]
            ?? throw new InvalidOperationException($"{_name} {method} {path} has no JSON schema for {status}");
        return Build(Normalize(schema.DeepClone())!.AsObject());
    });

    /// <summary>The operation object of a path and method.</summary>
    public JsonObject Operation(string path, string method) =>
        Root["paths"]?[path]?[method.ToLowerInvariant()]?.AsObject() ?? throw new InvalidOperationException($"{_name} has no operation {method} {path}");

    /// <summary>Where an instance breaks a schema: one line per failing location and keyword, empty when it conforms.</summary>
    public static IReadOnlyList<string> Violations(JsonSchema schema, JsonNode? instance)
    {
        using var document = JsonDocument.Parse(instance?.ToJsonString() ?? "null");
        var results = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return [];
        }

        return (results.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Key}: {e.Value}"))
            .DefaultIfEmpty("the instance does not conform (no detail)")
            .ToList();
    }

    /// <summary>Asserts an instance conforms, naming every violation otherwise.</summary>
    public static void ShouldConform(JsonSchema schema, JsonNode? instance, string what)
    {
        var violations = Violations(schema, instance);
        violations.ShouldBeEmpty($"{what} breaks the published schema:\n{string.Join('\n', violations)}\n{instance?.ToJsonString()}");
    }

    private JsonSchema Build(JsonObject target)
    {
        target["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        target["$defs"] = _defs.DeepClone();
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        return JsonSchema.FromText(target.ToJsonString(), options, new Uri($"https://contracts.test/{Guid.NewGuid():N}"));
    }

    /// <summary>OpenAPI schema → JSON Schema 2020-12 (see the type's remarks).</summary>
    private static JsonNode? Normalize(JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    array[i] = Normalize(array[i]?.DeepClone());
                }

                return array;
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    var value = obj[key];
                    if (key == "$ref" && value is JsonValue reference && reference.GetValue<string>() is { } text
                        && text.StartsWith("#/components/schemas/", StringComparison.Ordinal))
                    {
                        obj[key] = "#/$defs/" + text["#/components/schemas/".Length..];
                    }
                    else if (key is "example" or "examples" or "discriminator" or "xml" or "externalDocs" || key.StartsWith("x-", StringComparison.Ordinal))
                    {
                        // Annotations only; "examples" in 3.0 is a map and in 2020-12 an array, so it is left out rather than guessed.
                        obj.Remove(key);
                    }
                    else if (key == "properties" && value is JsonObject properties)
                    {
                        // A property map: its keys are names, not keywords, so only its values are schemas.
                        foreach (var name in properties.Select(p => p.Key).ToList())
                        {
                            properties[name] = Normalize(properties[name]?.DeepClone());
                        }
                    }
                    else
                    {
                        obj[key] = Normalize(value?.DeepClone());
                    }
                }

                if (obj["required"] is JsonArray required)
                {
                    foreach (var pattern in required.Where(r => r is JsonValue v && v.GetValue<string>().StartsWith('/')).ToList())
                    {
                        required.Remove(pattern);
                    }
                }

                // additionalProperties: false inside one allOf branch (Dotdigital's upsertInsightRecord) would refuse the
                // properties the other branches declare, which the author plainly allows; unevaluatedProperties on the parent
                // says what was meant: nothing beyond what all the branches declare.
                if (obj["allOf"] is JsonArray branches)
                {
                    foreach (var branch in branches.OfType<JsonObject>())
                    {
                        if (branch["additionalProperties"] is JsonValue closed && closed.GetValueKind() == JsonValueKind.False)
                        {
                            branch.Remove("additionalProperties");
                            obj["unevaluatedProperties"] = false;
                        }
                    }
                }

                if (obj["nullable"] is JsonValue nullable && nullable.GetValue<bool>())
                {
                    obj.Remove("nullable");
                    if (obj["type"] is JsonValue type)
                    {
                        obj["type"] = new JsonArray(type.GetValue<string>(), "null");
                    }
                }
                else
                {
                    obj.Remove("nullable");
                }

                return obj;
            default:
                return node;
        }
    }

    private static JsonNode Yaml(string text)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(WithoutEnumDescriptions(text));
        stream.Load(reader);
        return FromYaml(stream.Documents[0].RootNode)!;
    }

    /// <summary>
    /// commercetools' document carries prose annotations (<c>x-annotation-enumDescriptions</c>) whose multi-line quoted texts
    /// continue at the indentation of their key, which lenient YAML readers accept and YamlDotNet refuses. They describe enum
    /// values and constrain nothing, so their blocks are left out before reading.
    /// </summary>
    private static string WithoutEnumDescriptions(string text)
    {
        var kept = new System.Text.StringBuilder(text.Length);
        int? skipDeeperThan = null;
        foreach (var line in text.Split('\n'))
        {
            var indent = line.Length - line.TrimStart().Length;
            if (skipDeeperThan is { } skip)
            {
                if (line.Trim().Length == 0 || indent > skip)
                {
                    continue;
                }

                skipDeeperThan = null;
            }

            if (line.TrimStart().StartsWith("x-annotation-enumDescriptions:", StringComparison.Ordinal))
            {
                skipDeeperThan = indent;
                continue;
            }

            kept.Append(line).Append('\n');
        }

        return kept.ToString();
    }

    private static JsonNode? FromYaml(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c =>
            KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? string.Empty, FromYaml(c.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(FromYaml).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? string.Empty;
        if (scalar.Style is not (YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any))
        {
            return JsonValue.Create(value);
        }

        return value switch
        {
            "null" or "~" or "" => null,
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            _ when long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
            _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
            _ => JsonValue.Create(value),
        };
    }
}
