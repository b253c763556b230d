using System.Text.Json;
using Tributary.Core.Contracts;

namespace Tributary.Connectors.Dotdigital;

public sealed partial class DotdigitalClient
{
    /// <summary>
    /// Creates or replaces one Insight record: <c>PUT /insightData/v3/contacts/{identifier}/{value}/{collection}/{key}</c> for
    /// contact scope, <c>PUT /insightData/v3/account/{collection}/{key}</c> for account scope. A missing collection answers 404
    /// <c>insightData:collectionNotFound</c> (the bulk import creates collections, this call does not).
    /// </summary>
    public async Task PutInsightRecordAsync(string collection, DotdigitalInsightRecord record, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(collection);
        var path = record.ContactIdentifier is { } identifier
            ? $"insightData/v3/contacts/{Escape(identifier)}/{Escape(record.ContactValue ?? string.Empty)}/{Escape(collection)}/{Escape(record.Key)}"
            : $"insightData/v3/account/{Escape(collection)}/{Escape(record.Key)}";
        await SendAsync(HttpMethod.Put, path, record.Json.ToArray(), cancellationToken);
    }

    /// <summary>Starts a bulk Insight import (<c>PUT /insightData/v3/import</c>), creating the collection when missing.</summary>
    public async Task<string> StartInsightImportAsync(string collection, string scope, string type, IReadOnlyList<DotdigitalInsightRecord> records,
        CancellationToken cancellationToken)
    {
        var body = WriteJson(json =>
        {
            json.WriteStartObject();
            json.WriteString("collectionName", collection);
            json.WriteString("collectionScope", scope);
            json.WriteString("collectionType", type);
            json.WriteStartArray("records");
            foreach (var record in records)
            {
                json.WriteStartObject();
                json.WriteString("key", record.Key);
                if (record.ContactIdentifier is { } identifier)
                {
                    json.WriteStartObject("contactIdentity");
                    json.WriteString("identifier", identifier);
                    json.WriteString("value", record.ContactValue);
                    json.WriteEndObject();
                }

                json.WritePropertyName("json");
                json.WriteRawValue(record.Json.Span, skipInputValidation: false);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
        var answer = await SendAsync(HttpMethod.Put, "insightData/v3/import", body, cancellationToken);
        return Read(answer, DotdigitalJsonContext.Default.ImportAccepted)?.ImportId is { Length: > 0 } id
            ? id
            : throw new DotdigitalException(FailureKind.Transient, "Dotdigital accepted an Insight import without an importId", answer.Status);
    }

    /// <summary>Reads an Insight import's status (<c>GET /insightData/v3/import/{id}</c>).</summary>
    public async Task<DotdigitalInsightImport> GetInsightImportAsync(string importId, CancellationToken cancellationToken)
    {
        var answer = await SendAsync(HttpMethod.Get, $"insightData/v3/import/{Escape(importId)}", null, cancellationToken);
        return Read(answer, DotdigitalJsonContext.Default.DotdigitalInsightImport) ?? new DotdigitalInsightImport();
    }

    /// <summary>
    /// Imports Insight records and polls until done. Both <c>Complete</c> and <c>Finished</c> mean done (the spec uses both);
    /// per-record failures stay in the result; <c>Failed</c> throws.
    /// </summary>
    public async Task<DotdigitalInsightImport> ImportInsightAsync(string collection, string scope, string type,
        IReadOnlyList<DotdigitalInsightRecord> records, CancellationToken cancellationToken)
    {
        var id = await StartInsightImportAsync(collection, scope, type, records, cancellationToken);
        var status = await PollAsync(() => GetInsightImportAsync(id, cancellationToken), s => s.Status, "Insight import", cancellationToken);
        return status.Status is "Complete" or "Finished"
            ? status
            : throw new DotdigitalException(FailureKind.Transient, $"Dotdigital Insight import {id} ended {status.Status}", errorCode: status.Status);
    }
}
