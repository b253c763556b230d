using System.Globalization;
using System.Text;

namespace Tributary.Sandbox.Generator;

public sealed partial class ShopGenerator
{
    private string Email(string first, string last, LocaleProfile profile)
    {
        var f = Slug(first);
        var l = Slug(last);
        var local = _random.Int(0, 4) switch
        {
            0 => $"{f}.{l}",
            1 => $"{f}{l}",
            2 => $"{f[..1]}.{l}",
            3 => $"{f}_{l}",
            _ => $"{f}.{l}{_random.Int(60, 99).ToString(CultureInfo.InvariantCulture)}",
        };
        var domain = profile.Domains[_random.Int(0, profile.Domains.Length - 1)];
        var email = Unique($"{local}@{domain}", local, domain);

        var roll = _random.Double();
        if (roll < InvalidEmailShare)
        {
            return Break(email);
        }

        return roll < InvalidEmailShare + UntidyEmailShare ? Untidy(email) : email;
    }

    /// <summary>Makes an address unique in the shop by numbering repeats, as people do when their name is taken.</summary>
    private string Unique(string email, string local, string domain)
    {
        if (_emails.Add(email))
        {
            return email;
        }

        var n = _emailSuffixes.GetValueOrDefault(email, 1);
        string candidate;
        do
        {
            n++;
            candidate = $"{local}{n.ToString(CultureInfo.InvariantCulture)}@{domain}";
        }
        while (!_emails.Add(candidate));

        _emailSuffixes[email] = n;
        return candidate;
    }

    /// <summary>The ways emails arrive broken in real shops: a lost @, a doubled @, a trailing dot, a space.</summary>
    private string Break(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        switch (_random.Int(0, 3))
        {
            case 0:
                return email.Remove(at, 1);
            case 1:
                return email.Insert(at, "@");
            case 2:
                return email + ".";
            default:
                var separator = email.IndexOfAny(['.', '_']);
                return separator > 0 && separator < at
                    ? string.Concat(email.AsSpan(0, separator), " ", email.AsSpan(separator + 1))
                    : email.Insert(Math.Max(1, at / 2), " ");
        }
    }

    /// <summary>Valid but untidy: capitalised as typed on a phone, sometimes padded with spaces.</summary>
    private string Untidy(string email)
    {
        var chars = email.ToCharArray();
        var upperNext = true;
        for (var i = 0; i < chars.Length; i++)
        {
            if (upperNext && char.IsLetter(chars[i]))
            {
                chars[i] = char.ToUpperInvariant(chars[i]);
            }

            upperNext = chars[i] is '.' or '@' or '_';
        }

        var text = new string(chars);
        return _random.Bool() ? $" {text} " : text;
    }

    /// <summary>Lower-case ASCII for an email local part: common Latin letters transliterated, anything else dropped.</summary>
    private static string Slug(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name.ToLowerInvariant())
        {
            switch (c)
            {
                case >= 'a' and <= 'z' or >= '0' and <= '9': sb.Append(c); break;
                case 'ä' or 'æ': sb.Append("ae"); break;
                case 'ö' or 'ø' or 'œ': sb.Append("oe"); break;
                case 'ü': sb.Append("ue"); break;
                case 'ß': sb.Append("ss"); break;
                case 'å' or 'à' or 'â' or 'á' or 'ã': sb.Append('a'); break;
                case 'é' or 'è' or 'ê' or 'ë': sb.Append('e'); break;
                case 'î' or 'ï' or 'í' or 'ì': sb.Append('i'); break;
                case 'ô' or 'ó' or 'ò' or 'õ': sb.Append('o'); break;
                case 'û' or 'ù' or 'ú': sb.Append('u'); break;
                case 'ç': sb.Append('c'); break;
                case 'ñ': sb.Append('n'); break;
                case 'ÿ' or 'ý': sb.Append('y'); break;
                default: break;
            }
        }

        return sb.Length == 0 ? "customer" : sb.ToString();
    }
}
