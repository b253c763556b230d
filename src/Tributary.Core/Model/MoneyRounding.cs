using System.Globalization;

namespace Tributary.Core.Model;

/// <summary>
/// The one rule for rounding money: half away from zero (576.965 becomes 576.97, -0.125 becomes -0.13). Every derived amount
/// (an average, a share of a line) is rounded here, so a destination never shows a cent that another computation would not.
/// </summary>
public static class MoneyRounding
{
    /// <summary>Cents: the precision of every derived amount a contact shows.</summary>
    public const int Cents = 2;

    /// <summary><paramref name="amount"/> rounded to <paramref name="decimals"/> places, half away from zero.</summary>
    public static decimal Round(decimal amount, int decimals = Cents) => Math.Round(amount, decimals, MidpointRounding.AwayFromZero);

    /// <summary>An amount as invariant text with exactly two decimals, rounded by <see cref="Round"/> first.</summary>
    public static string Format(decimal amount) => Round(amount).ToString("0.00", CultureInfo.InvariantCulture);
}
