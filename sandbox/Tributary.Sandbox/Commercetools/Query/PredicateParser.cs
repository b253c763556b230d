using System.Globalization;
using System.Text;

namespace Tributary.Sandbox.Commercetools.Query;

/// <summary>A <c>where</c> predicate the emulator cannot parse or evaluate; answered with 400 InvalidInput.</summary>
internal sealed class PredicateException(string message) : Exception(message);

/// <summary>Syntax tree of a commercetools query predicate.</summary>
internal abstract record PredicateNode;

internal sealed record AndNode(IReadOnlyList<PredicateNode> Parts) : PredicateNode;

internal sealed record OrNode(IReadOnlyList<PredicateNode> Parts) : PredicateNode;

internal sealed record NotNode(PredicateNode Inner) : PredicateNode;

/// <summary><c>field(inner)</c>: the inner predicate applies to the field's object (or any element of an array).</summary>
internal sealed record NestedNode(string Field, PredicateNode Inner) : PredicateNode;

internal sealed record CompareNode(string Field, string Op, Operand Value) : PredicateNode;

internal sealed record InNode(string Field, IReadOnlyList<Operand> Values, bool Negated) : PredicateNode;

internal sealed record DefinedNode(string Field, bool Negated) : PredicateNode;

/// <summary>A literal (string, decimal or bool) or a <c>:name</c> placeholder filled from <c>var.name</c>.</summary>
internal readonly record struct Operand(object? Literal, string? Variable);

/// <summary>
/// Recursive-descent parser for the predicate subset: comparisons, <c>in</c>/<c>not in</c>, <c>is (not) defined</c>,
/// <c>and</c>/<c>or</c>/<c>not(...)</c>, parentheses and nested <c>field(...)</c>.
/// </summary>
internal sealed class PredicateParser
{
    private readonly string _text;
    private readonly List<Token> _tokens;
    private int _pos;

    private PredicateParser(string text)
    {
        _text = text;
        _tokens = Tokenize(text);
    }

    public static PredicateNode Parse(string text)
    {
        var parser = new PredicateParser(text);
        var node = parser.ParseOr();
        if (parser.Peek.Kind != TokenKind.End)
        {
            throw parser.Error($"unexpected '{parser.Peek.Text}'");
        }

        return node;
    }

    private Token Peek => _tokens[_pos];

    private Token Next() => _tokens[_pos++];

    private PredicateException Error(string what) =>
        new($"Malformed parameter: where: Syntax error while parsing '{_text}': {what} at position {Peek.Position}.");

    private bool IsKeyword(string word, int offset = 0)
    {
        var t = _tokens[Math.Min(_pos + offset, _tokens.Count - 1)];
        return t.Kind == TokenKind.Identifier && string.Equals(t.Text, word, StringComparison.OrdinalIgnoreCase);
    }

    private void Expect(TokenKind kind, string what)
    {
        if (Peek.Kind != kind)
        {
            throw Error($"expected {what}");
        }

        _pos++;
    }

    private PredicateNode ParseOr()
    {
        var parts = new List<PredicateNode> { ParseAnd() };
        while (IsKeyword("or"))
        {
            _pos++;
            parts.Add(ParseAnd());
        }

        return parts.Count == 1 ? parts[0] : new OrNode(parts);
    }

    private PredicateNode ParseAnd()
    {
        var parts = new List<PredicateNode> { ParseUnary() };
        while (IsKeyword("and"))
        {
            _pos++;
            parts.Add(ParseUnary());
        }

        return parts.Count == 1 ? parts[0] : new AndNode(parts);
    }

    private PredicateNode ParseUnary()
    {
        if (IsKeyword("not") && _tokens[_pos + 1].Kind == TokenKind.LeftParen)
        {
            _pos += 2;
            var inner = ParseOr();
            Expect(TokenKind.RightParen, "')'");
            return new NotNode(inner);
        }

        if (Peek.Kind == TokenKind.LeftParen)
        {
            _pos++;
            var inner = ParseOr();
            Expect(TokenKind.RightParen, "')'");
            return inner;
        }

        return ParseFieldExpression();
    }

    private PredicateNode ParseFieldExpression()
    {
        if (Peek.Kind != TokenKind.Identifier)
        {
            throw Error("expected a field name");
        }

        var field = Next().Text;
        var token = Peek;
        if (token.Kind == TokenKind.LeftParen)
        {
            _pos++;
            var inner = ParseOr();
            Expect(TokenKind.RightParen, "')'");
            return new NestedNode(field, inner);
        }

        if (token.Kind == TokenKind.Operator)
        {
            _pos++;
            var op = token.Text == "<>" ? "!=" : token.Text;
            return new CompareNode(field, op, ParseOperand());
        }

        if (IsKeyword("in"))
        {
            _pos++;
            return new InNode(field, ParseList(), Negated: false);
        }

        if (IsKeyword("not") && IsKeyword("in", 1))
        {
            _pos += 2;
            return new InNode(field, ParseList(), Negated: true);
        }

        if (IsKeyword("is"))
        {
            _pos++;
            var negated = false;
            if (IsKeyword("not"))
            {
                _pos++;
                negated = true;
            }

            if (!IsKeyword("defined"))
            {
                throw Error("expected 'defined'");
            }

            _pos++;
            return new DefinedNode(field, negated);
        }

        throw Error($"expected an operator after '{field}'");
    }

    private List<Operand> ParseList()
    {
        Expect(TokenKind.LeftParen, "'('");
        var values = new List<Operand> { ParseOperand() };
        while (Peek.Kind == TokenKind.Comma)
        {
            _pos++;
            values.Add(ParseOperand());
        }

        Expect(TokenKind.RightParen, "')'");
        return values;
    }

    private Operand ParseOperand()
    {
        var token = Next();
        switch (token.Kind)
        {
            case TokenKind.String:
                return new Operand(token.Text, null);
            case TokenKind.Number:
                return new Operand(decimal.Parse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture), null);
            case TokenKind.Variable:
                return new Operand(null, token.Text);
            case TokenKind.Identifier when string.Equals(token.Text, "true", StringComparison.OrdinalIgnoreCase):
                return new Operand(true, null);
            case TokenKind.Identifier when string.Equals(token.Text, "false", StringComparison.OrdinalIgnoreCase):
                return new Operand(false, null);
            default:
                _pos--;
                throw Error("expected a value");
        }
    }

    private enum TokenKind { Identifier, String, Number, Variable, Operator, LeftParen, RightParen, Comma, End }

    private readonly record struct Token(TokenKind Kind, string Text, int Position);

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var start = i;
            if (char.IsLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '-'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Identifier, text[start..i], start));
            }
            else if (c == ':')
            {
                i++;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '-' or '.'))
                {
                    i++;
                }

                if (i == start + 1)
                {
                    throw new PredicateException($"Malformed parameter: where: a variable name is missing at position {start}.");
                }

                tokens.Add(new Token(TokenKind.Variable, text[(start + 1)..i], start));
            }
            else if (c == '"')
            {
                tokens.Add(new Token(TokenKind.String, ReadString(text, ref i), start));
            }
            else if (char.IsDigit(c) || (c == '-' && i + 1 < text.Length && char.IsDigit(text[i + 1])))
            {
                i++;
                while (i < text.Length && (char.IsDigit(text[i]) || text[i] == '.'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Number, text[start..i], start));
            }
            else if (c is '(' or ')' or ',')
            {
                tokens.Add(new Token(c == '(' ? TokenKind.LeftParen : c == ')' ? TokenKind.RightParen : TokenKind.Comma, c.ToString(), start));
                i++;
            }
            else if (c is '=' or '!' or '<' or '>')
            {
                var two = i + 1 < text.Length ? text.Substring(i, 2) : string.Empty;
                var op = two is "!=" or ">=" or "<=" or "<>" ? two : c.ToString();
                if (op == "!")
                {
                    throw new PredicateException($"Malformed parameter: where: unexpected '!' at position {start}.");
                }

                tokens.Add(new Token(TokenKind.Operator, op, start));
                i += op.Length;
            }
            else
            {
                throw new PredicateException($"Malformed parameter: where: unexpected character '{c}' at position {start}.");
            }
        }

        tokens.Add(new Token(TokenKind.End, "end of input", text.Length));
        return tokens;
    }

    private static string ReadString(string text, ref int i)
    {
        var start = i;
        i++;
        var sb = new StringBuilder();
        while (i < text.Length)
        {
            var c = text[i++];
            if (c == '"')
            {
                return sb.ToString();
            }

            if (c == '\\' && i < text.Length)
            {
                sb.Append(text[i++]);
                continue;
            }

            sb.Append(c);
        }

        throw new PredicateException($"Malformed parameter: where: unterminated string starting at position {start}.");
    }
}
