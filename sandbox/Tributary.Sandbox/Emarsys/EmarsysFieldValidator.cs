using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Tributary.Sandbox.Emarsys;

/// <summary>Per-field value checks of the contact endpoints (all failures are reply code 2007).</summary>
internal static class EmarsysFieldValidator
{
    private const int ShortTextMax = 60;
    private const int LongTextMax = 255;
    private const int NumericMaxDigits = 24;

    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss"];

    /// <summary>
    /// Checks one value. Returns null and the stored form (null clears the field) when valid, otherwise the error message.
    /// </summary>
    public static string? Validate(EmarsysField field, JsonElement value, bool validateEmails, out string? stored)
    {
        stored = null;
        if (field.ReadOnly)
        {
            return $"Invalid field id: {field.Id}";
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (field.Type == EmarsysFieldTypes.MultiChoice)
        {
            return ValidateMultiChoice(field, value, out stored);
        }

        if (value.ValueKind is JsonValueKind.Array or JsonValueKind.Object)
        {
            return $"Scalar expected for field id: {field.Id}";
        }

        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => "1",
            _ => "0",
        };
        if (text.Length == 0)
        {
            return null;
        }

        var error = field.Id == EmarsysFieldRegistry.OptInFieldId
            ? ValidateOptIn(value, text)
            : field.Type switch
            {
                EmarsysFieldTypes.ShortText => text.Length > ShortTextMax ? $"Value too long for field id: {field.Id}" : null,
                EmarsysFieldTypes.Date or EmarsysFieldTypes.BirthDate => IsDate(text) ? null : $"Invalid date format for field id: {field.Id}",
                EmarsysFieldTypes.Numeric => IsNumeric(text) ? null : $"Invalid numeric value for field id: {field.Id}",
                EmarsysFieldTypes.SingleChoice => IsChoiceId(text) ? null : $"Invalid choice id for field id: {field.Id}",
                _ => text.Length > LongTextMax ? $"Value too long for field id: {field.Id}" : null,
            };
        if (error is null && field.Id == EmarsysFieldRegistry.EmailFieldId && validateEmails && !IsEmail(text))
        {
            error = $"Invalid email address for field id: {field.Id}";
        }

        stored = error is null ? text : null;
        return error;
    }

    private static string? ValidateOptIn(JsonElement value, string text)
    {
        // Only 1, 2 or empty: "true" and other spellings are rejected by the API.
        var ok = value.ValueKind is JsonValueKind.Number or JsonValueKind.String && text is "1" or "2";
        return ok ? null : $"Invalid choice id for field id: {EmarsysFieldRegistry.OptInFieldId}";
    }

    private static string? ValidateMultiChoice(EmarsysField field, JsonElement value, out string? stored)
    {
        stored = null;
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            return $"Array expected for field id: {field.Id}";
        }

        var sb = new StringBuilder();
        foreach (var item in value.EnumerateArray())
        {
            var text = item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText();
            if (!IsChoiceId(text))
            {
                return $"Invalid choice id for field id: {field.Id}";
            }

            sb.Append(sb.Length == 0 ? "" : ",").Append(text);
        }

        stored = sb.ToString();
        return null;
    }

    private static bool IsDate(string text) =>
        text.Length == 10
            ? DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
            : DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static bool IsChoiceId(string text) => text.Length is > 0 and < 10 && AllDigits(text) && text[0] != '0';

    private static bool AllDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsNumeric(string text)
    {
        var digits = text.StartsWith('-') ? text[1..] : text;
        var parts = digits.Split('.');
        if (parts.Length > 2 || parts[0].Length == 0 || (parts[0].Length > 1 && parts[0][0] == '0'))
        {
            return false;
        }

        return parts.All(p => p.Length > 0 && AllDigits(p)) && parts.Sum(p => p.Length) <= NumericMaxDigits;
    }

    /// <summary>A syntactic check: one @, a local part, a dotted domain, no whitespace, no empty labels.</summary>
    private static bool IsEmail(string text)
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != text.LastIndexOf('@') || text.Length - at < 4)
        {
            return false;
        }

        var domain = text.AsSpan(at + 1);
        if (domain.IndexOf('.') <= 0 || domain[^1] == '.' || domain.Contains("..", StringComparison.Ordinal)
            || text.AsSpan(0, at).Contains("..", StringComparison.Ordinal) || text[0] == '.' || text[at - 1] == '.')
        {
            return false;
        }

        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '(' or ')' or '<' or '>' or ',' or ';' or ':' or '\\' or '"' or '[' or ']')
            {
                return false;
            }
        }

        return true;
    }
}
