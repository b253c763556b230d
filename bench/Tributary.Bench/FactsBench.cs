using System.Diagnostics;
using System.Globalization;
using System.Text;
using Tributary.Connectors.Emarsys;
using Tributary.Core.Facts;

namespace Tributary.Bench;

/// <summary>
/// Sales-line benchmark: N lines taken from projection to the upload body, as finished CSV rows (the row built at projection,
/// checked against the layout and appended at delivery) and as typed facts (encoded at projection, decoded and written as a row
/// at delivery). Rounds alternate between the two so both run under the same load. Prints markdown rows for docs/benchmarks.md.
/// Usage: dotnet run -c Release --project bench/Tributary.Bench -- facts [--lines 1000000] [--rounds 3]
/// </summary>
internal static class FactsBench
{
    public static int Run(int lines, int rounds)
    {
        var layout = new EmarsysSalesCsv(EmarsysSalesIdentity.Customer, guestsByEmail: true);
        var at = new DateTimeOffset(2026, 5, 1, 9, 12, 0, TimeSpan.Zero);
        var inputs = Enumerable.Range(0, 1000).Select(i => new SalesLine(
            (100_000 + i).ToString(CultureInfo.InvariantCulture), at.AddMinutes(i), i % 5 == 0 ? null : $"CT-{i}", i % 5 == 0 ? $"guest{i}@example.com" : null,
            $"SKU-{i % 97}", 19.99m + i, 1 + (i % 3))).ToArray();
        Console.WriteLine("| path | lines | projection | delivery | total | ns/line | allocated/line | upload body |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        for (var round = 0; round < rounds; round++)
        {
            Print("CSV rows", lines, Rows(layout, inputs, lines));
            Print("typed facts", lines, Facts(layout, inputs, lines));
        }

        return 0;
    }

    private static Result Rows(EmarsysSalesCsv layout, SalesLine[] inputs, int lines)
    {
        var staged = new string[lines];
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < lines; i++)
        {
            var l = inputs[i % inputs.Length];
            staged[i] = layout.Row(l.Order, l.At, l.Customer, l.Email, l.Item, l.Price, l.Quantity);
        }

        var projection = clock.Elapsed;
        var csv = new StringBuilder(layout.Header.Length + 1 + (lines * 64)).Append(layout.Header).Append('\n');
        foreach (var row in staged)
        {
            if (layout.Fits(row))
            {
                csv.Append(row).Append('\n');
            }
        }

        var body = csv.ToString();
        return new Result(projection, clock.Elapsed - projection, GC.GetAllocatedBytesForCurrentThread() - allocated, body.Length);
    }

    private static Result Facts(EmarsysSalesCsv layout, SalesLine[] inputs, int lines)
    {
        var staged = new string[lines];
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < lines; i++)
        {
            var l = inputs[i % inputs.Length];
            staged[i] = FactCodec.Encode(new SalesLine(l.Order, l.At, l.Customer, l.Email, l.Item, l.Price, l.Quantity));
        }

        var projection = clock.Elapsed;
        var csv = new StringBuilder(layout.Header.Length + 1 + (lines * 64)).Append(layout.Header).Append('\n');
        foreach (var value in staged)
        {
            if (FactCodec.TryDecode<SalesLine>(value, out var line) && layout.Fits(line))
            {
                layout.AppendRow(csv, line).Append('\n');
            }
        }

        var body = csv.ToString();
        return new Result(projection, clock.Elapsed - projection, GC.GetAllocatedBytesForCurrentThread() - allocated, body.Length);
    }

    private static void Print(string path, int lines, Result r) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {path} | {lines:N0} | {r.Projection.TotalMilliseconds:N0} ms | {r.Delivery.TotalMilliseconds:N0} ms | "
        + $"{(r.Projection + r.Delivery).TotalMilliseconds:N0} ms | {(r.Projection + r.Delivery).TotalNanoseconds / lines:N0} | "
        + $"{r.Allocated / lines:N0} B | {r.BodyLength / 1024.0 / 1024.0:N1} MB |"));

    private readonly record struct Result(TimeSpan Projection, TimeSpan Delivery, long Allocated, int BodyLength);
}
