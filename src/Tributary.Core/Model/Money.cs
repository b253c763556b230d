namespace Tributary.Core.Model;

/// <summary>An amount of money. Always decimal, never double.</summary>
/// <param name="Amount">The amount in major units (19.99).</param>
/// <param name="Currency">ISO 4217 code, upper case.</param>
public readonly record struct Money(decimal Amount, string Currency)
{
    /// <summary>Builds money from a minor-unit amount as commercetools sends it (centAmount + fractionDigits).</summary>
    public static Money FromMinorUnits(long minorUnits, int fractionDigits, string currency) =>
        new(minorUnits / (decimal)Math.Pow(10, fractionDigits), currency.ToUpperInvariant());

    /// <inheritdoc />
    public override string ToString() => $"{Amount.ToString("0.00##", System.Globalization.CultureInfo.InvariantCulture)} {Currency}";
}
