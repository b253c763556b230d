using Tributary.Connectors.Commercetools;
using Tributary.Connectors.Emarsys;
using Tributary.Host.Configuration;
using Tributary.Tests.EndToEnd;

namespace Tributary.Tests.Reliability;

/// <summary>The sandbox config with the real-time lane switched on: a push token and, optionally, the Messages API feed.</summary>
internal static class RealtimeConfig
{
    public const string PushToken = "push-secret";

    public static TributaryConfig For(SandboxHarness h, SyncConfig sync, bool messages = false, int? emarsysRequestsPerMinute = null,
        int? emarsysBatchSize = null)
    {
        var baseline = h.Config(sync);
        var ct = baseline.Connector<CommercetoolsConfig>()!;
        var emarsys = baseline.Connector<EmarsysConfig>()!;
        return new TributaryConfig
        {
            FilePath = baseline.FilePath,
            PipelineName = baseline.PipelineName,
            StatePath = baseline.StatePath,
            Source = new CommercetoolsConfig
            {
                ApiUrl = ct.ApiUrl, AuthUrl = ct.AuthUrl, ProjectKey = ct.ProjectKey, ClientId = ct.ClientId, ClientSecret = ct.ClientSecret,
                PushToken = PushToken, Messages = messages, MessagesOverlap = TimeSpan.FromMilliseconds(500),
            },
            Destinations =
            [
                new EmarsysConfig
                {
                    ApiUrl = emarsys.ApiUrl, User = emarsys.User, Secret = emarsys.Secret,
                    RequestsPerMinute = emarsysRequestsPerMinute ?? emarsys.RequestsPerMinute,
                    SalesDataUrl = emarsys.SalesDataUrl, MerchantId = emarsys.MerchantId, SalesDataToken = emarsys.SalesDataToken,
                    EventIds = emarsys.EventIds, SummaryFields = emarsys.SummaryFields, BatchSize = emarsysBatchSize ?? emarsys.BatchSize,
                },
            ],
            Sync = baseline.Sync,
        };
    }

    /// <summary>A Platform-format change notification for a customer, in the Pub/Sub push envelope.</summary>
    public static string CustomerNotification(string messageId, string customerId, long version) =>
        JsonSerializerHelper.Envelope(
            $$"""{"notificationType":"ResourceUpdated","projectKey":"demo","id":"{{messageId}}","resource":{"typeId":"customer","id":"{{customerId}}"},"version":{{version}}}""",
            $"env-{messageId}");
}
