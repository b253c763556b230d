using Tributary.Core.Facts;

namespace Tributary.Tests.Core.Facts;

[Unit]
public class FactCodecTests
{
    private static readonly DateTimeOffset At = new(2026, 5, 1, 9, 12, 34, 567, TimeSpan.FromHours(2));

    [Fact]
    public void Encode_SalesLine_DecodesToTheSameLine()
    {
        var line = new SalesLine("42,b", At, "CT-981", null, "SKU \"2\"", -19.9950m, -1.5m);

        FactCodec.TryDecode<SalesLine>(FactCodec.Encode(line), out var decoded).ShouldBeTrue();

        decoded.ShouldBe(line);
        decoded.Price.Scale.ShouldBe((byte)4); // amounts keep their digits: the row formats them, not the codec
        decoded.At.Offset.ShouldBe(TimeSpan.FromHours(2));
    }

    [Fact]
    public void Encode_Trigger_DecodesWithDataInOrder()
    {
        var trigger = new EventTrigger("1003", "CT-1", "ShipmentDispatched:o-1:d-1", At,
            new Dictionary<string, string> { ["carrier"] = "DHL", ["lines"] = """[{"sku":"SKU-1"}]""", ["note"] = "Grüße <b>" });

        FactCodec.TryDecode<EventTrigger>(FactCodec.Encode(trigger), out var decoded).ShouldBeTrue();

        decoded.Target.ShouldBe("1003");
        decoded.Contact.ShouldBe("CT-1");
        decoded.TriggerId.ShouldBe("ShipmentDispatched:o-1:d-1");
        decoded.OccurredAt.ShouldBe(At);
        decoded.Data.ShouldNotBeNull().ToList().ShouldBe(trigger.Data!.ToList());
    }

    [Fact]
    public void Encode_TriggerLargerThanTheStackBuffer_DecodesWhole()
    {
        var data = Enumerable.Range(0, 200).ToDictionary(i => $"k{i:D3}", i => new string('é', 20) + i);
        var trigger = new EventTrigger("1003", "CT-1", "k", null, data);

        var encoded = FactCodec.Encode(trigger);

        encoded.Length.ShouldBeGreaterThan(4096);
        FactCodec.TryDecode<EventTrigger>(encoded, out var decoded).ShouldBeTrue();
        decoded.Data.ShouldNotBeNull().ToList().ShouldBe(data.ToList());
    }

    [Fact]
    public void Encode_SalesLineWithoutBuyer_LeavesBothOut()
    {
        var encoded = FactCodec.Encode(new SalesLine("42", new DateTimeOffset(2026, 5, 1, 9, 12, 0, TimeSpan.Zero), null, null, "SKU-1", 39.98m, 2m));

        encoded.ShouldBe("""{"fact":"sale","order":"42","at":"2026-05-01T09:12:00+00:00","item":"SKU-1","price":39.98,"qty":2}""");
    }

    [Fact]
    public void Encode_TriggerWithoutTimeOrData_LeavesThemOutAndDecodesToNull()
    {
        var encoded = FactCodec.Encode(new EventTrigger("77", "CT-1", "CustomerCreated:CT-1"));

        encoded.ShouldBe("""{"fact":"trigger","target":"77","contact":"CT-1","id":"CustomerCreated:CT-1"}""");
        FactCodec.TryDecode<EventTrigger>(encoded, out var decoded).ShouldBeTrue();
        decoded.OccurredAt.ShouldBeNull();
        decoded.Data.ShouldBeNull();
    }

    [Fact]
    public void Encode_AnyFact_StartsWithItsKind()
    {
        FactCodec.Encode(new SalesLine("1", At, null, "a@example.com", "SKU", 1m, 1m)).ShouldStartWith("""{"fact":"sale",""");
        FactCodec.IsEncoded(FactCodec.Encode(new EventTrigger("1", "c", "k"))).ShouldBeTrue();
    }

    [Theory]
    [InlineData("42,2026-05-01T09:12:00Z,CT-981,,SKU-1,39.98,2")]
    [InlineData("""{"event_id":"1003","external_id":"CT-1","trigger_id":"k","data":{"global":{}}}""")]
    [InlineData("CT-1")]
    [InlineData("")]
    [InlineData(null)]
    public void TryDecode_ValueStagedByAnEarlierVersion_NotAFact(string? value)
    {
        FactCodec.IsEncoded(value).ShouldBeFalse();
        FactCodec.TryDecode<SalesLine>(value, out _).ShouldBeFalse();
        FactCodec.TryDecode<EventTrigger>(value, out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("""{"fact":"sale","order":"1","at":"2026-05-01T""")]
    [InlineData("""{"fact":"refund","order":"1"}""")]
    [InlineData("""{"fact":"sale","order":"1","at":"not a time","customer":null,"email":null,"item":"x","price":1,"qty":1}""")]
    public void TryDecode_DamagedOrUnknown_False(string value) =>
        FactCodec.TryDecode<SalesLine>(value, out _).ShouldBeFalse();

    [Fact]
    public void TryDecode_OtherKindOfFact_False() =>
        FactCodec.TryDecode<SalesLine>(FactCodec.Encode(new EventTrigger("1", "c", "k")), out _).ShouldBeFalse();
}
