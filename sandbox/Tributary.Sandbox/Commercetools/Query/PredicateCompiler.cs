using System.Globalization;

namespace Tributary.Sandbox.Commercetools.Query;

/// <summary>
/// Turns a parsed predicate into a delegate over the emulator's objects. Typed fields (id, timestamps, version) compare
/// without boxing; custom fields compare by their runtime type. Type errors are found here, before any record is read,
/// so a bad predicate answers 400 like the platform does.
/// </summary>
internal static class PredicateCompiler
{
    public static Func<object, bool> Compile(PredicateNode node, Scope scope, IReadOnlyDictionary<string, string> variables) => node switch
    {
        AndNode and => CompileAnd(and, scope, variables),
        OrNode or => CompileOr(or, scope, variables),
        NotNode not => Negate(Compile(not.Inner, scope, variables)),
        NestedNode nested => CompileNested(nested, scope, variables),
        CompareNode compare => CompileCompare(scope.Resolve(compare.Field), compare.Op, compare.Value, variables),
        InNode @in => CompileIn(scope.Resolve(@in.Field), @in, variables),
        DefinedNode defined => CompileDefined(scope.Resolve(defined.Field), defined.Negated),
        _ => throw new PredicateException("Malformed parameter: where: unsupported expression."),
    };

    private static Func<object, bool> Negate(Func<object, bool> inner) => x => !inner(x);

    private static Func<object, bool> CompileAnd(AndNode node, Scope scope, IReadOnlyDictionary<string, string> variables)
    {
        var parts = node.Parts.Select(p => Compile(p, scope, variables)).ToArray();
        return x =>
        {
            foreach (var p in parts)
            {
                if (!p(x))
                {
                    return false;
                }
            }

            return true;
        };
    }

    private static Func<object, bool> CompileOr(OrNode node, Scope scope, IReadOnlyDictionary<string, string> variables)
    {
        var parts = node.Parts.Select(p => Compile(p, scope, variables)).ToArray();
        return x =>
        {
            foreach (var p in parts)
            {
                if (p(x))
                {
                    return true;
                }
            }

            return false;
        };
    }

    private static Func<object, bool> CompileNested(NestedNode node, Scope scope, IReadOnlyDictionary<string, string> variables)
    {
        var field = scope.Resolve(node.Field);
        switch (field)
        {
            case ObjectField obj:
            {
                var inner = Compile(node.Inner, obj.Scope, variables);
                return x => obj.Get(x) is { } value && inner(value);
            }

            case ArrayField array:
            {
                var inner = Compile(node.Inner, array.Scope, variables);
                return x => array.Get(x).Any(inner);
            }

            case DynamicField dynamic:
            {
                var inner = Compile(node.Inner, Scope.Dynamic, variables);
                return x => dynamic.Get(x) switch
                {
                    IDictionary<string, object?> map => inner(map),
                    IEnumerable<object?> items => items.Any(i => i is IDictionary<string, object?> m && inner(m)),
                    _ => false,
                };
            }

            default:
                throw new PredicateException($"Malformed parameter: where: '{node.Field}' is not an object and cannot hold a nested predicate.");
        }
    }

    private static Func<object, bool> CompileDefined(FieldDef field, bool negated)
    {
        Func<object, bool> defined = field switch
        {
            StringField s => x => s.Get(x) is not null,
            NumberField n => x => n.Get(x) is not null,
            BoolField b => x => b.Get(x) is not null,
            TimeField t => x => t.Get(x) is not null,
            ObjectField o => x => o.Get(x) is not null,
            ArrayField a => x => a.Get(x).Any(),
            DynamicField d => x => d.Get(x) is not null,
            _ => _ => false,
        };
        return negated ? Negate(defined) : defined;
    }

    private static Func<object, bool> CompileCompare(FieldDef field, string op, Operand operand, IReadOnlyDictionary<string, string> variables)
    {
        Func<int, bool> test = op switch
        {
            "=" => c => c == 0,
            "!=" => c => c != 0,
            ">" => c => c > 0,
            ">=" => c => c >= 0,
            "<" => c => c < 0,
            "<=" => c => c <= 0,
            _ => throw new PredicateException($"Malformed parameter: where: unknown operator '{op}'."),
        };

        switch (field)
        {
            case StringField s:
            {
                var value = AsString(field.Name, operand, variables);
                return x => s.Get(x) is { } v && test(string.CompareOrdinal(v, value));
            }

            case NumberField n:
            {
                var value = AsNumber(field.Name, operand, variables);
                return x => n.Get(x) is { } v && test(v.CompareTo(value));
            }

            case TimeField t:
            {
                var ticks = AsTime(field.Name, operand, variables).UtcTicks;
                return x => t.Get(x) is { } v && test(v.UtcTicks.CompareTo(ticks));
            }

            case BoolField b:
            {
                if (op is not ("=" or "!="))
                {
                    throw new PredicateException($"Malformed parameter: where: '{field.Name}' is a boolean and only supports = and !=.");
                }

                var value = AsBool(field.Name, operand, variables);
                return x => b.Get(x) is { } v && test(v == value ? 0 : 1);
            }

            case DynamicField d:
            {
                var value = Resolve(operand, variables);
                return x => d.Get(x) is { } v && DynamicCompare(v, value) is { } c && test(c);
            }

            default:
                throw new PredicateException($"Malformed parameter: where: '{field.Name}' is an object; use {field.Name}(...) to query inside it.");
        }
    }

    private static Func<object, bool> CompileIn(FieldDef field, InNode node, IReadOnlyDictionary<string, string> variables)
    {
        var equals = node.Values.Select(v => CompileCompare(field, "=", v, variables)).ToArray();
        var defined = CompileDefined(field, negated: false);
        return x =>
        {
            var any = false;
            foreach (var e in equals)
            {
                if (e(x))
                {
                    any = true;
                    break;
                }
            }

            return node.Negated ? defined(x) && !any : any;
        };
    }

    /// <summary>Literal value of an operand, with a placeholder replaced by its <c>var.*</c> text.</summary>
    public static object Resolve(Operand operand, IReadOnlyDictionary<string, string> variables)
    {
        if (operand.Variable is null)
        {
            return operand.Literal!;
        }

        return variables.TryGetValue(operand.Variable, out var text)
            ? text
            : throw new PredicateException($"Malformed parameter: where: no value given for the variable ':{operand.Variable}' (add var.{operand.Variable}=...).");
    }

    public static string AsString(string field, Operand operand, IReadOnlyDictionary<string, string> variables) =>
        Resolve(operand, variables) as string
        ?? throw new PredicateException($"Malformed parameter: where: '{field}' must be compared with a string.");

    private static decimal AsNumber(string field, Operand operand, IReadOnlyDictionary<string, string> variables) => Resolve(operand, variables) switch
    {
        decimal d => d,
        string s when decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => throw new PredicateException($"Malformed parameter: where: '{field}' must be compared with a number."),
    };

    private static bool AsBool(string field, Operand operand, IReadOnlyDictionary<string, string> variables) => Resolve(operand, variables) switch
    {
        bool b => b,
        string s when bool.TryParse(s, out var b) => b,
        _ => throw new PredicateException($"Malformed parameter: where: '{field}' must be compared with true or false."),
    };

    private static DateTimeOffset AsTime(string field, Operand operand, IReadOnlyDictionary<string, string> variables) => Resolve(operand, variables) switch
    {
        string s when DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) => t,
        _ => throw new PredicateException($"Malformed parameter: where: '{field}' must be compared with an ISO-8601 timestamp string."),
    };

    private static int? DynamicCompare(object value, object operand)
    {
        switch (value)
        {
            case string s:
                return operand is string text ? string.CompareOrdinal(s, text) : null;
            case bool b:
                return operand switch
                {
                    bool other => b == other ? 0 : 1,
                    string other when bool.TryParse(other, out var p) => b == p ? 0 : 1,
                    _ => null,
                };
            default:
                if (!TryNumber(value, out var number))
                {
                    return null;
                }

                return operand switch
                {
                    decimal other => number.CompareTo(other),
                    string other when decimal.TryParse(other, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) => number.CompareTo(p),
                    _ => null,
                };
        }
    }

    private static bool TryNumber(object value, out decimal number)
    {
        switch (value)
        {
            case int i: number = i; return true;
            case long l: number = l; return true;
            case decimal d: number = d; return true;
            case double f: number = (decimal)f; return true;
            default: number = 0; return false;
        }
    }
}
