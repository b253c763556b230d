using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Tributary.Tests.Contracts;

/// <summary>The operations of a set of published OpenAPI documents, found by a concrete method and path.</summary>
public sealed class PublishedOperations(params OpenApiDocument[] documents)
{
    /// <summary>The first document (in the order given) with an operation whose path template matches, and that template.</summary>
    public (OpenApiDocument Document, string Template)? Find(string method, string path)
    {
        foreach (var document in documents)
        {
            // Of the templates that match, the one with the most literal segments (so /contacts/v3/import beats /{identifier}/{value}).
            var match = (document.Root["paths"] as JsonObject ?? [])
                .Where(p => p.Value?[method.ToLowerInvariant()] is not null && Pattern(p.Key).IsMatch(path))
                .OrderByDescending(p => p.Key.Split('/').Count(s => !s.StartsWith('{')))
                .Select(p => p.Key)
                .FirstOrDefault();
            if (match is not null)
            {
                return (document, match);
            }
        }

        return null;
    }

    private static Regex Pattern(string template) =>
        new("^" + string.Join("/", template.TrimEnd('/').Split('/').Select(s => s.StartsWith('{') ? "[^/]+" : Regex.Escape(s))) + "/?$",
            RegexOptions.CultureInvariant);
}
