namespace Tributary.Sandbox.Emarsys;

/// <summary>Settings of the Emarsys emulator. Every default follows the published API behaviour.</summary>
public sealed class EmarsysEmulatorOptions
{
    /// <summary>The API user (WSSE <c>Username</c>).</summary>
    public string User { get; set; } = "sandbox-user";

    /// <summary>The API secret the WSSE digest is computed with.</summary>
    public string Secret { get; set; } = "sandbox-secret";

    /// <summary>Requests per minute per API user; 0 turns the limiter off. Emarsys publishes 1000/min per API user.</summary>
    public int RequestsPerMinute { get; set; } = 1000;

    /// <summary>
    /// How a request over the limit is answered. Emarsys documents only the status (429) and the rate-limit headers; the body
    /// and <c>Retry-After</c> are unconfirmed. The default is the harder case for a client: a JSON envelope whose reply code
    /// (2011) is also the one of a transient database error, plus <c>Retry-After</c>, so a client that reads the reply code
    /// before the status retries at once instead of waiting. <see cref="EmarsysRateLimitAnswer.PlainText"/> answers as seen
    /// in community reports: plain text, no <c>Retry-After</c>, only <c>X-Ratelimit-Reset</c>.
    /// </summary>
    public EmarsysRateLimitAnswer RateLimitAnswer { get; set; } = EmarsysRateLimitAnswer.JsonEnvelope;

    /// <summary>
    /// Also accept the Base64 of the raw 20-byte SHA-1 digest. Off by default: the official algorithm encodes the 40-char hex
    /// string, and whether the real API takes the binary form is unconfirmed.
    /// </summary>
    public bool AcceptBinaryDigest { get; set; }

    /// <summary>How far <c>Created</c> may be from the emulator's clock. Emarsys allows five minutes.</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>How long a used nonce is remembered (a reused nonce is rejected).</summary>
    public TimeSpan NonceLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Reject a value of field 3 that is not a syntactically valid address (2007). Whether the real API validates addresses is
    /// unconfirmed, so this can be turned off.
    /// </summary>
    public bool ValidateEmails { get; set; } = true;

    /// <summary>
    /// The account's custom fields by id. The defaults are the fields the destination connector maps by default: the source
    /// customer id (the contact key, since email is not unique in Emarsys) and a loyalty tier.
    /// </summary>
    public Dictionary<int, EmarsysCustomField> CustomFields { get; set; } = new()
    {
        [9001] = new EmarsysCustomField("external_id"),
        [9002] = new EmarsysCustomField("loyalty_tier"),
        [9003] = new EmarsysCustomField("order_count", EmarsysFieldTypes.Numeric),
        [9004] = new EmarsysCustomField("lifetime_value", EmarsysFieldTypes.ShortText),
        [9005] = new EmarsysCustomField("average_order_value", EmarsysFieldTypes.ShortText),
        [9006] = new EmarsysCustomField("first_order_date", EmarsysFieldTypes.Date),
        [9007] = new EmarsysCustomField("last_order_date", EmarsysFieldTypes.Date),
        // An SMS opt-in as accounts set it up: a single-choice field (1 = opted in, 2 = opted out); its id differs per account.
        [9008] = new EmarsysCustomField("sms_opt_in", EmarsysFieldTypes.SingleChoice),
        [9009] = new EmarsysCustomField("store"),
        [9010] = new EmarsysCustomField("locale"),
        [9011] = new EmarsysCustomField("currency"),
    };

    /// <summary>
    /// Content-Type of JSON answers. The real API has answered JSON as <c>text/html</c>; set that to prove a client parses the
    /// body whatever the header says.
    /// </summary>
    public string JsonContentType { get; set; } = "application/json; charset=utf-8";

    /// <summary>The merchant id of the sales-data (HAPI) endpoint, shown in the UI under Predict Data Sources.</summary>
    public string MerchantId { get; set; } = "sandbox-merchant";

    /// <summary>The static bearer token of the sales-data endpoint (not OAuth: one token per merchant).</summary>
    public string SalesDataToken { get; set; } = "sandbox-sales-token";

    /// <summary>
    /// The account's external events, by id. Triggering an id not listed answers 400/5001. The defaults are a handful of
    /// lifecycle and stock events with ids 1001–1011.
    /// </summary>
    public Dictionary<int, string> Events { get; set; } = new()
    {
        [1001] = "order_placed",
        [1002] = "order_paid",
        [1003] = "shipment_dispatched",
        [1004] = "order_delivered",
        [1005] = "order_cancelled",
        [1006] = "refund_issued",
        [1007] = "first_purchase",
        [1008] = "repeat_purchase",
        [1009] = "customer_created",
        [1010] = "back_in_stock",
        [1011] = "low_stock",
    };

    /// <summary>
    /// Largest trigger request body. Help pages announce 500 KB and, later, 1 MB for the event payload; the emulator takes the
    /// stricter figure and applies it to the whole request (whether a batch counts as one payload is unconfirmed).
    /// </summary>
    public int MaxEventPayloadBytes { get; set; } = 500 * 1024;
}

/// <summary>How the emulator answers a request over the rate limit.</summary>
public enum EmarsysRateLimitAnswer
{
    /// <summary>429 with <c>{"replyCode":2011,"replyText":"Too many requests","data":""}</c> and <c>Retry-After</c>.</summary>
    JsonEnvelope,

    /// <summary>429 with a plain-text body and no <c>Retry-After</c>.</summary>
    PlainText,
}

/// <summary>A custom contact field of the emulated account.</summary>
/// <param name="Name">Its name (also its string id).</param>
/// <param name="Type">Its application type: shorttext, longtext, date, numeric, singlechoice, multichoice.</param>
public sealed record EmarsysCustomField(string Name, string Type = EmarsysFieldTypes.ShortText);
