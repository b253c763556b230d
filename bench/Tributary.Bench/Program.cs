using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Connectors.Commercetools;
using Tributary.Connectors.Emarsys;
using Tributary.Engine;
using Tributary.Host.Composition;
using Tributary.Host.Configuration;
using Tributary.Sandbox;

namespace Tributary.Bench;

/// <summary>
/// Backfill benchmark: N customers from the commercetools emulator into the Emarsys emulator, the sandbox running in a child
/// process so the figures measure Tributary alone. Prints a markdown row for docs/benchmarks.md.
/// Usage: dotnet run -c Release --project bench/Tributary.Bench -- [--customers 100000] [--emarsys-rpm 0]
/// [--store postgres] (PostgreSQL state from the connection string in TRIBUTARY_PG, in a throwaway schema; default SQLite)
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Contains("workers"))
        {
            return await WorkersBench.RunAsync(Arg(args, "--customers", 20_000), Arg(args, "--max-workers", 3), Arg(args, "--emarsys-rpm", 0));
        }

        if (args.Contains("dotdigital"))
        {
            return await DotdigitalBench.RunAsync(Arg(args, "--customers", 100_000), Arg(args, "--rpm", 35), Arg(args, "--batch", 500));
        }

        if (args.Contains("realtime"))
        {
            return await RealtimeBench.RunAsync(Arg(args, "--rate", 100), Arg(args, "--seconds", 30), Arg(args, "--emarsys-rpm", 300),
                Arg(args, "--batch", 100), Arg(args, "--customers", 100_000), Arg(args, "--reserve", 20));
        }

        if (args.Contains("facts"))
        {
            return FactsBench.Run(Arg(args, "--lines", 1_000_000), Arg(args, "--rounds", 3));
        }

        if (args.Contains("catalogue"))
        {
            return await CatalogueBench.RunAsync(Arg(args, "--products", 80_000));
        }

        var customers = Arg(args, "--customers", 100_000);
        var rpm = Arg(args, "--emarsys-rpm", 0);
        var port = FreePort();
        var hostDll = Path.Combine(AppContext.BaseDirectory, "Tributary.Host.dll");
        var start = new ProcessStartInfo("dotnet", [hostDll, "sandbox", "--urls", $"http://127.0.0.1:{port}", "--customers",
            customers.ToString(CultureInfo.InvariantCulture), "--emarsys-rpm", rpm.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var sandbox = Process.Start(start)!;
        try
        {
            await WaitReadyAsync(sandbox);
            var options = new SandboxOptions();
            var state = Path.Combine(Path.GetTempPath(), $"tributary-bench-{Guid.NewGuid():N}");
            var postgres = StoreArg(args);
            var schema = $"bench_{Guid.NewGuid():N}";
            var config = new TributaryConfig
            {
                FilePath = "(bench)",
                PipelineName = "bench",
                StatePath = Path.Combine(state, "state.db"),
                StateConnectionString = postgres,
                StateSchema = schema,
                Source = new CommercetoolsConfig
                {
                    ApiUrl = new Uri($"http://127.0.0.1:{port}{SandboxServer.CommercetoolsPrefix}"),
                    AuthUrl = new Uri($"http://127.0.0.1:{port}{SandboxServer.CommercetoolsPrefix}"),
                    ProjectKey = options.Commercetools.ProjectKey,
                    ClientId = options.Commercetools.ClientId,
                    ClientSecret = options.Commercetools.ClientSecret,
                },
                Destinations =
                [
                    new EmarsysConfig
                    {
                        ApiUrl = new Uri($"http://127.0.0.1:{port}{SandboxServer.EmarsysPrefix}"),
                        User = options.Emarsys.User,
                        Secret = options.Emarsys.Secret,
                        RequestsPerMinute = rpm,
                    },
                ],
            };

            await using var runtime = await PipelineFactory.CreateAsync(config, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
            var counters = new PassCounters();
            var timeline = new System.Text.StringBuilder();
            using var stopTimeline = new CancellationTokenSource();
            var watch = Stopwatch.StartNew();
            var sampler = Task.Run(async () =>
            {
                // Progress every second, to see whether reading or delivering sets the pace.
                while (!stopTimeline.IsCancellationRequested)
                {
                    await Task.Delay(1000);
                    timeline.Append(CultureInfo.InvariantCulture, $"{watch.Elapsed.TotalSeconds:0}s read {counters.Read:N0} sent {counters.Sent:N0}; ");
                }
            });
            var full = await runtime.Pipeline.RunPassAsync(new PassOptions(), counters, CancellationToken.None);
            await stopTimeline.CancelAsync();
            await sampler;
            Console.Error.WriteLine(timeline.ToString());
            var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
            var again = await runtime.Pipeline.RunPassAsync(new PassOptions(Full: true), null, CancellationToken.None);

            var c = full.Counters;
            var rate = c.Read / full.Duration.TotalSeconds;
            var budgetCalls = Math.Ceiling(customers / 1000.0) * 1.01;
            Console.WriteLine($"| customers | time | records/s | calls | calls allowed (ceil(N/1000)+1%) | quarantined | peak working set | no-change pass: calls / time |");
            Console.WriteLine($"|---|---|---|---|---|---|---|---|");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {customers:N0} | {full.Duration.TotalSeconds:0.00} s | {rate:N0} | {c.Calls:N0} | {budgetCalls:N0} | {c.Quarantined:N0} | {peak:N0} MB | {again.Counters.Calls} / {again.Duration.TotalSeconds:0.00} s |"));
            if (Directory.Exists(state))
            {
                Directory.Delete(state, recursive: true);
            }

            if (postgres is not null)
            {
                await DropSchemaAsync(postgres, schema);
            }

            return c.Sent + c.Quarantined == c.Read ? 0 : 1;
        }
        finally
        {
            sandbox.Kill(entireProcessTree: true);
        }
    }

    internal static async Task WaitReadyAsync(Process sandbox)
    {
        while (await sandbox.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("sandbox ready at", StringComparison.Ordinal))
            {
                return;
            }
        }

        throw new InvalidOperationException("The sandbox exited before it was ready: " + await sandbox.StandardError.ReadToEndAsync());
    }

    internal static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>The PostgreSQL connection string with <c>--store postgres</c>; null for the default SQLite file.</summary>
    private static string? StoreArg(string[] args)
    {
        var i = Array.IndexOf(args, "--store");
        var store = i >= 0 && i + 1 < args.Length ? args[i + 1] : "sqlite";
        if (store == "sqlite")
        {
            return null;
        }

        if (store != "postgres")
        {
            throw new ArgumentException($"--store {store}: use sqlite or postgres");
        }

        return Environment.GetEnvironmentVariable("TRIBUTARY_PG") is { Length: > 0 } connection
            ? connection
            : throw new ArgumentException("--store postgres reads the connection string from TRIBUTARY_PG; set it");
    }

    private static async Task DropSchemaAsync(string connectionString, string schema)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
