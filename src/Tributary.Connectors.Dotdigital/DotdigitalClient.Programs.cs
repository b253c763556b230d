using System.Text.Json;

namespace Tributary.Connectors.Dotdigital;

public sealed partial class DotdigitalClient
{
    /// <summary>Most contacts one enrolment call may carry (Programs spec <c>maxItems</c>).</summary>
    public const int MaxContactsPerEnrolment = 25;

    /// <summary>
    /// Enrols contacts (by contact id, not email) into an active program (<c>POST /v2/programs/enrolments</c>). The account may
    /// call this at most 20 times an hour across all programs.
    /// </summary>
    public async Task<DotdigitalEnrolment> EnrolAsync(long programId, IReadOnlyList<long> contactIds, CancellationToken cancellationToken)
    {
        if (contactIds.Count is 0 or > MaxContactsPerEnrolment)
        {
            throw new ArgumentOutOfRangeException(nameof(contactIds), contactIds.Count,
                $"A Dotdigital enrolment takes 1 to {MaxContactsPerEnrolment} contacts.");
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(new EnrolmentRequest(programId, contactIds, []), DotdigitalJsonContext.Default.EnrolmentRequest);
        var answer = await SendAsync(HttpMethod.Post, "v2/programs/enrolments", body, cancellationToken);
        return Read(answer, DotdigitalJsonContext.Default.DotdigitalEnrolment) ?? new DotdigitalEnrolment { ProgramId = programId };
    }

    /// <summary>The account's programs (<c>GET /v2/programs</c>).</summary>
    public async Task<IReadOnlyList<DotdigitalProgram>> GetProgramsAsync(CancellationToken cancellationToken)
    {
        var answer = await SendAsync(HttpMethod.Get, "v2/programs", null, cancellationToken);
        return Read(answer, DotdigitalJsonContext.Default.ListDotdigitalProgram) ?? [];
    }
}
