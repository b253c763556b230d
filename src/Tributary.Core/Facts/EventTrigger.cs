namespace Tributary.Core.Facts;

/// <summary>
/// One trigger of a marketing journey for one contact: an external event, or an enrolment into a program.
/// </summary>
/// <param name="Target">The destination's id of what is triggered (an event id, a program id).</param>
/// <param name="Contact">The contact's key at the destination (the source customer id).</param>
/// <param name="TriggerId">The event's dedupe key, which the destination may use to recognise a repeat.</param>
/// <param name="OccurredAt">When the event happened at the source; null when unknown.</param>
/// <param name="Data">Personalisation data, name → value; a value holding a JSON array or object is nested as such on the wire.</param>
public sealed record EventTrigger(
    string Target,
    string Contact,
    string TriggerId,
    DateTimeOffset? OccurredAt = null,
    IReadOnlyDictionary<string, string>? Data = null) : Fact;
