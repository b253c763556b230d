using Tributary.Connectors.Dotdigital;
using Tributary.Core.Contracts;
using Tributary.Core.Diff;
using Tributary.Core.Facts;
using Tributary.Core.Model;

namespace Tributary.Tests.Connectors.Dotdigital;

/// <summary>Enrolments staged by the previous version hold the bare customer id under <c>enrol.{program}</c>: they still enrol.</summary>
[Connector]
public class DotdigitalStagedFactsTests
{
    private const long Program = 77;

    [Fact]
    public async Task DeliverAsync_EnrolmentStagedByEarlierVersion_EnrolsWithTheNewOnesInOneCall()
    {
        await using var f = await DotdigitalConnectorFixture.StartAsync(destination: o => o.Programs[CommerceEventType.CustomerCreated] = Program);
        f.Emulator.SetProgram(Program);
        await DeliverCustomersAsync(f, ("C-1", "ann@example.com"), ("C-2", "bo@example.com"));
        var staged = new Dictionary<string, string?> { [$"{DotdigitalDestination.EnrolPrefix}{Program}"] = "C-1" };
        var fresh = f.Destination.Project(new CommerceEvent
        {
            Type = CommerceEventType.CustomerCreated, DedupeKey = "CustomerCreated:C-2", CustomerId = "C-2",
        }).Fields;

        var result = await f.Destination.DeliverAsync(EntityKind.Event,
            [new DeliveryItem("CustomerCreated:C-1", staged, staged), new DeliveryItem("CustomerCreated:C-2", fresh, fresh)], CancellationToken.None);

        result.Failures.ShouldBeEmpty();
        var enrolment = f.Emulator.Enrolments.ShouldHaveSingleItem();
        enrolment.ProgramId.ShouldBe(Program);
        enrolment.ContactIds.Count.ShouldBe(2);
    }

    [Fact]
    public void Project_Event_OneTriggerForTheProgramUnderItsEnrolKey()
    {
        var destination = DotdigitalDestination.Create(new DotdigitalClientOptions { ApiUser = "u", Password = "p" },
            new DotdigitalDestinationOptions { Programs = { [CommerceEventType.CustomerCreated] = Program } }, TimeProvider.System);

        var fields = destination.Project(new CommerceEvent
        {
            Type = CommerceEventType.CustomerCreated, DedupeKey = "CustomerCreated:C-1", CustomerId = "C-1",
            OccurredAt = new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero),
        }).Fields;

        var (key, value) = fields.ShouldHaveSingleItem();
        key.ShouldBe("enrol.77");
        FactCodec.TryDecode<EventTrigger>(value, out var trigger).ShouldBeTrue();
        trigger.ShouldBe(new EventTrigger("77", "C-1", "CustomerCreated:C-1", new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public async Task DeliverAsync_UnreadableEnrolment_InvalidAndNothingSent()
    {
        await using var f = await DotdigitalConnectorFixture.StartAsync(destination: o => o.Programs[CommerceEventType.CustomerCreated] = Program);
        f.Emulator.SetProgram(Program);
        var damaged = new Dictionary<string, string?> { ["enrol.77"] = """{"fact":"trigger","target":"77""" };

        var result = await f.Destination.DeliverAsync(EntityKind.Event, [new DeliveryItem("e-1", damaged, damaged)], CancellationToken.None);

        result.Failures["e-1"].Kind.ShouldBe(FailureKind.Invalid);
        f.Emulator.Enrolments.ShouldBeEmpty();
    }

    private static async Task DeliverCustomersAsync(DotdigitalConnectorFixture f, params (string Id, string Email)[] people)
    {
        var items = people.Select(p =>
        {
            var projection = f.Destination.Project(new Customer { SourceId = p.Id, Email = p.Email, FirstName = "Ann" });
            return new DeliveryItem(p.Id, FieldDiff.Changes(projection.Fields, null), projection.Fields);
        }).ToList();
        (await f.Destination.DeliverAsync(EntityKind.Customer, items, CancellationToken.None)).Failures.ShouldBeEmpty();
    }
}
