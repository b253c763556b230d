using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Tributary.Sandbox.Cin7Core;

public sealed partial class Cin7CoreEmulator
{
    /// <summary>The thin notification of a sale event: <c>{EventType, SaleID, SaleOrderNumber}</c>.</summary>
    public string SalePayload(string eventType, Guid saleId)
    {
        lock (_gate)
        {
            return JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["EventType"] = eventType,
                ["SaleID"] = saleId,
                ["SaleOrderNumber"] = _sales.GetValueOrDefault(saleId)?.OrderNumber,
            });
        }
    }

    /// <summary>The thin notification of <c>Customer/Updated</c>.</summary>
    public static string CustomerPayload(Guid customerId) =>
        JsonSerializer.Serialize(new Dictionary<string, object?> { ["EventType"] = "Customer/Updated", ["CustomerID"] = customerId });

    /// <summary><c>Stock/AvailableStockLevelChanged</c> posts a bare array of stock rows.</summary>
    public string StockPayload(params string[] skus)
    {
        lock (_gate)
        {
            return JsonSerializer.Serialize(skus.SelectMany(sku => _stock.Values.Where(s => s.Sku == sku)).Select(s => new Dictionary<string, object?>
            {
                ["SKU"] = s.Sku,
                ["ID"] = _products.Values.FirstOrDefault(p => p.Sku == s.Sku)?.Id,
                ["Location"] = s.Location,
                ["Available"] = s.OnHand - s.Allocated,
            }).ToList());
        }
    }

    /// <summary>
    /// Posts <paramref name="payload"/> to every active webhook of <paramref name="eventType"/> ("Authorised" and "Authorized"
    /// match) with its configured auth and headers. Each call gets up to <see cref="Cin7CoreEmulatorOptions.WebhookMaxAttempts"/>
    /// attempts, made back to back here (Cin7 Core spaces them 1, 5, 10, 15, 20 and 25 minutes apart); a call whose attempts all
    /// fail deactivates the webhook (<c>IsActive = false</c>), as Cin7 Core does.
    /// </summary>
    public async Task<IReadOnlyList<Cin7WebhookDelivery>> SendWebhookAsync(HttpClient http, string eventType, string payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        List<Cin7SandboxWebhook> targets;
        lock (_gate)
        {
            targets = _webhooks.Values.Where(w => w.IsActive && w.ExternalUrl is not null && SameType(w.Type, eventType)).ToList();
        }

        var deliveries = new List<Cin7WebhookDelivery>();
        foreach (var webhook in targets)
        {
            var statuses = new List<int>();
            var delivered = false;
            while (!delivered && statuses.Count < Math.Max(1, Options.WebhookMaxAttempts))
            {
                var status = await AttemptAsync(http, webhook, payload, cancellationToken);
                statuses.Add(status);
                delivered = status is >= 200 and < 300;
            }

            if (!delivered)
            {
                lock (_gate)
                {
                    webhook.IsActive = false;
                }
            }

            deliveries.Add(new Cin7WebhookDelivery(webhook.Id, statuses.Count, delivered, !delivered, statuses));
        }

        return deliveries;
    }

    private static async Task<int> AttemptAsync(HttpClient http, Cin7SandboxWebhook webhook, string payload, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.ExternalUrl);
        request.Content = new StringContent(payload, Encoding.UTF8, "application/json");
        switch (webhook.ExternalAuthorizationType.ToLowerInvariant())
        {
            case "basicauth":
                request.Headers.TryAddWithoutValidation("Authorization",
                    "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{webhook.ExternalUserName}:{webhook.ExternalPassword}")));
                break;
            case "bearerauth":
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + webhook.ExternalBearerToken);
                break;
        }

        foreach (var (name, value) in webhook.ExternalHeaders)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    private static bool SameType(string a, string b) =>
        string.Equals(a.Replace("Authorized", "Authorised", StringComparison.OrdinalIgnoreCase),
            b.Replace("Authorized", "Authorised", StringComparison.OrdinalIgnoreCase), StringComparison.OrdinalIgnoreCase);

    private void MapWebhookEndpoints(RouteGroupBuilder group)
    {
        group.MapGet("/webhooks", () =>
        {
            lock (_gate)
            {
                return Cin7CoreResults.Json(new Dictionary<string, object> { ["Webhooks"] = _webhooks.Values.Select(WebhookJson).ToList() });
            }
        });
        group.MapPost("/webhooks", (Func<HttpRequest, Task<IResult>>)(r => UpsertWebhookAsync(r, create: true)));
        group.MapPut("/webhooks", (Func<HttpRequest, Task<IResult>>)(r => UpsertWebhookAsync(r, create: false)));
        group.MapDelete("/webhooks", (HttpRequest r) =>
        {
            lock (_gate)
            {
                return Guid.TryParse(r.Query["ID"], out var id) && _webhooks.Remove(id)
                    ? Results.Ok()
                    : Cin7CoreResults.Error(StatusCodes.Status404NotFound, "Webhook not found.");
            }
        });
    }

    private async Task<IResult> UpsertWebhookAsync(HttpRequest request, bool create)
    {
        JsonElement body;
        try
        {
            using var doc = await JsonDocument.ParseAsync(request.Body, default, request.HttpContext.RequestAborted);
            body = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return Cin7CoreResults.Error(StatusCodes.Status400BadRequest, "The body is not JSON.");
        }

        string? Text(string name) => body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        lock (_gate)
        {
            Cin7SandboxWebhook webhook;
            if (create)
            {
                if (Text("Type") is not { Length: > 0 } type || !Uri.TryCreate(Text("ExternalURL"), UriKind.Absolute, out var url))
                {
                    return Cin7CoreResults.Error(StatusCodes.Status400BadRequest, "Type and ExternalURL are required.");
                }

                if (_webhooks.Values.Count(w => SameType(w.Type, type)) >= 5)
                {
                    return Cin7CoreResults.Error(StatusCodes.Status400BadRequest, "At most 5 webhooks of the same type.");
                }

                webhook = new Cin7SandboxWebhook { Id = NewId(), Type = type, ExternalUrl = url };
                _webhooks[webhook.Id] = webhook;
            }
            else if (!Guid.TryParse(Text("ID"), out var id) || !_webhooks.TryGetValue(id, out webhook!))
            {
                return Cin7CoreResults.Error(StatusCodes.Status404NotFound, "Webhook not found.");
            }

            webhook.Name = Text("Name") ?? webhook.Name;
            webhook.ExternalAuthorizationType = Text("ExternalAuthorizationType") ?? webhook.ExternalAuthorizationType;
            webhook.ExternalUserName = Text("ExternalUserName") ?? webhook.ExternalUserName;
            webhook.ExternalPassword = Text("ExternalPassword") ?? webhook.ExternalPassword;
            webhook.ExternalBearerToken = Text("ExternalBearerToken") ?? webhook.ExternalBearerToken;
            if (body.TryGetProperty("IsActive", out var active) && active.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                webhook.IsActive = active.GetBoolean();
            }

            if (body.TryGetProperty("ExternalHeaders", out var headers) && headers.ValueKind == JsonValueKind.Array)
            {
                webhook.ExternalHeaders = headers.EnumerateArray()
                    .Where(h => h.ValueKind == JsonValueKind.Object && h.TryGetProperty("Key", out _) && h.TryGetProperty("Value", out _))
                    .ToDictionary(h => h.GetProperty("Key").GetString() ?? string.Empty, h => h.GetProperty("Value").GetString() ?? string.Empty,
                        StringComparer.OrdinalIgnoreCase);
            }

            return Cin7CoreResults.Json(WebhookJson(webhook));
        }
    }

    /// <summary>The subscription as listed; secrets are not echoed back.</summary>
    private static object WebhookJson(Cin7SandboxWebhook w) => new Dictionary<string, object?>
    {
        ["ID"] = w.Id,
        ["Type"] = w.Type,
        ["Name"] = w.Name,
        ["IsActive"] = w.IsActive,
        ["ExternalURL"] = w.ExternalUrl?.AbsoluteUri,
        ["ExternalAuthorizationType"] = w.ExternalAuthorizationType,
        ["ExternalUserName"] = w.ExternalUserName,
        ["ExternalHeaders"] = w.ExternalHeaders.Select(h => new Dictionary<string, string> { ["Key"] = h.Key, ["Value"] = "********" }).ToList(),
    };
}
