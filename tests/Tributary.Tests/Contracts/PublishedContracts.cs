namespace Tributary.Tests.Contracts;

/// <summary>
/// The platforms' own published material (OpenAPI documents, official example payloads, Postman collections), pinned beside
/// the repository in <c>../shared/contracts</c> (its SOURCES.md names each source). Tests read it from there: it is not copied
/// into the repository.
/// </summary>
public static class PublishedContracts
{
    /// <summary><c>TRIBUTARY_CONTRACTS</c> when set (a checkout elsewhere), else <c>../shared/contracts</c> from the repository.</summary>
    public static string Root { get; } = Environment.GetEnvironmentVariable("TRIBUTARY_CONTRACTS") is { Length: > 0 } set
        ? set
        : System.IO.Path.GetFullPath(System.IO.Path.Combine(RepoRoot.Path, "..", "shared", "contracts"));

    /// <summary>The text of one file, failing with the path when the contracts are not beside the repository.</summary>
    public static string Read(params string[] parts)
    {
        var path = System.IO.Path.Combine([Root, .. parts]);
        File.Exists(path).ShouldBeTrue($"published contract {path} is missing: the tests expect ../shared/contracts beside the repository, or TRIBUTARY_CONTRACTS");
        return File.ReadAllText(path);
    }
}
