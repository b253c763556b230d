using System.Text;
using Tributary.Connectors.Cin7Core;
using Tributary.Core.Model;

namespace Tributary.Tests.Connectors.Cin7Core;

[Unit]
public sealed class Cin7CoreWebhookAuthenticatorTests
{
    private const string Secret = "a-long-random-webhook-secret-0123456789";
    private const string SaleBody = """{"EventType":"Sale/ShipmentAuthorised","SaleID":"8B3F0C2E-1D4A-4E5B-9C6D-7E8F9A0B1C2D","SaleOrderNumber":"SO-00042"}""";

    private static Cin7CoreWebhookAuthenticator HeaderAuth() => new(new Cin7CoreWebhookOptions { Secret = Secret });

    private static Dictionary<string, string> Headers(params (string Name, string Value)[] headers) =>
        headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase);

    [Fact]
    public void Authenticate_RightHeader_ValidWithTheSaleHint()
    {
        var result = HeaderAuth().Authenticate(Headers(("x-tributary-webhook-key", Secret)), SaleBody);

        result.Status.ShouldBe(Cin7CoreWebhookStatus.Valid);
        result.Hints.ShouldBe([new Cin7CoreWebhookHint("Sale/ShipmentAuthorised", EntityKind.Order, "8b3f0c2e-1d4a-4e5b-9c6d-7e8f9a0b1c2d")]);
    }

    [Fact]
    public void Authenticate_NoHeader_Missing()
    {
        var result = HeaderAuth().Authenticate(Headers(("Content-Type", "application/json")), SaleBody);

        result.Status.ShouldBe(Cin7CoreWebhookStatus.Missing);
        result.Hints.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("a-long-random-webhook-secret-012345678")]
    [InlineData("a-long-random-webhook-secret-0123456789x")]
    [InlineData("A-LONG-RANDOM-WEBHOOK-SECRET-0123456789")]
    public void Authenticate_WrongHeaderValue_WrongWithoutTheSecretInTheReason(string presented)
    {
        var result = HeaderAuth().Authenticate(Headers((Cin7CoreWebhookOptions.DefaultHeaderName, presented)), SaleBody);

        result.Status.ShouldBe(Cin7CoreWebhookStatus.Wrong);
        result.Hints.ShouldBeEmpty();
        result.Reason!.ShouldNotContain(Secret);
        result.Reason!.ShouldNotContain(presented);
    }

    [Fact]
    public void Authenticate_Basic_ValidMissingAndWrong()
    {
        var auth = new Cin7CoreWebhookAuthenticator(new Cin7CoreWebhookOptions { Mode = Cin7CoreWebhookAuthMode.Basic, UserName = "cin7", Password = "s3cret:with:colons" });
        string Basic(string userPass) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(userPass));

        auth.Authenticate(Headers(("Authorization", Basic("cin7:s3cret:with:colons"))), SaleBody).Status.ShouldBe(Cin7CoreWebhookStatus.Valid);
        auth.Authenticate(Headers(), SaleBody).Status.ShouldBe(Cin7CoreWebhookStatus.Missing);
        auth.Authenticate(Headers(("Authorization", Basic("cin7:wrong"))), SaleBody).Status.ShouldBe(Cin7CoreWebhookStatus.Wrong);
        auth.Authenticate(Headers(("Authorization", "Basic not-base64!")), SaleBody).Status.ShouldBe(Cin7CoreWebhookStatus.Wrong);
        auth.Authenticate(Headers(("Authorization", "Bearer s3cret")), SaleBody).Status.ShouldBe(Cin7CoreWebhookStatus.Wrong);
    }

    [Fact]
    public void Authenticate_Bearer_ValidAndWrong()
    {
        var auth = new Cin7CoreWebhookAuthenticator(new Cin7CoreWebhookOptions { Mode = Cin7CoreWebhookAuthMode.Bearer, Secret = Secret });

        auth.Authenticate(Headers(("Authorization", "Bearer " + Secret)), SaleBody).Status.ShouldBe(Cin7CoreWebhookStatus.Valid);
        auth.Authenticate(Headers(("Authorization", "Bearer nope")), SaleBody).Status.ShouldBe(Cin7CoreWebhookStatus.Wrong);
    }

    [Fact]
    public void Authenticate_StockArrayAndCustomer_HintsPerSkuAndCustomer()
    {
        var auth = HeaderAuth();
        var headers = Headers((Cin7CoreWebhookOptions.DefaultHeaderName, Secret));

        var stock = auth.Authenticate(headers, """[{"SKU":"SHIRT-RED-M","Location":"Main Warehouse","Available":3},{"SKU":"CAP-BLK-OS","Available":0}]""");
        var customer = auth.Authenticate(headers, """{"EventType":"Customer/Updated","CustomerID":"0365E5BB-0000-4000-8000-000000000001"}""");

        stock.Hints.Select(h => (h.Entity, h.Id)).ShouldBe([(EntityKind.Stock, "SHIRT-RED-M"), (EntityKind.Stock, "CAP-BLK-OS")]);
        customer.Hints.ShouldBe([new Cin7CoreWebhookHint("Customer/Updated", EntityKind.Customer, "0365e5bb-0000-4000-8000-000000000001")]);
    }

    [Fact]
    public void Authenticate_AuthenticBodyNotJson_ValidWithoutHints()
    {
        var result = HeaderAuth().Authenticate(Headers((Cin7CoreWebhookOptions.DefaultHeaderName, Secret)), "<html>");

        result.IsValid.ShouldBeTrue();
        result.Hints.ShouldBeEmpty();
        result.Reason.ShouldNotBeNull();
    }

    [Fact]
    public void Constructor_NoSecret_Refuses() =>
        Should.Throw<ArgumentException>(() => new Cin7CoreWebhookAuthenticator(new Cin7CoreWebhookOptions()));
}
