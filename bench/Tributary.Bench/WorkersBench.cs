using System.Diagnostics;
using System.Globalization;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Sandbox;
using Tributary.Storage.Sqlite;

namespace Tributary.Bench;

/// <summary>
/// Cluster throughput: a customer backfill delivered by 1, 2 … N `worker` processes over one SQLite state file and one RabbitMQ
/// broker (AMQP_URL), the sandbox in its own process. Each run starts from a fresh sandbox, state file and queue prefix; the time
/// runs from the workers' start until every customer is delivered or quarantined.
/// Usage: AMQP_URL=amqp://guest:guest@127.0.0.1:5672/ dotnet run -c Release --project bench/Tributary.Bench -- workers [--customers 20000] [--max-workers 3]
/// </summary>
internal static class WorkersBench
{
    public static async Task<int> RunAsync(int customers, int maxWorkers, int rpm)
    {
        var amqp = Environment.GetEnvironmentVariable("AMQP_URL");
        if (string.IsNullOrEmpty(amqp))
        {
            Console.Error.WriteLine("Set AMQP_URL to a RabbitMQ 3.8+ broker (quorum queues), for example amqp://guest:guest@127.0.0.1:5672/");
            return 2;
        }

        Console.WriteLine("| workers | customers | time | records/s | speed-up |");
        Console.WriteLine("|---|---|---|---|---|");
        double? single = null;
        for (var workers = 1; workers <= maxWorkers; workers++)
        {
            var seconds = await RunOnceAsync(customers, workers, rpm);
            single ??= seconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {workers} | {customers:N0} | {seconds:0.0} s | {customers / seconds:N0} | {single.Value / seconds:0.00}× |"));
        }

        return 0;
    }

    private static async Task<double> RunOnceAsync(int customers, int workerCount, int rpm)
    {
        var port = Program.FreePort();
        var hostDll = Path.Combine(AppContext.BaseDirectory, "Tributary.Host.dll");
        using var sandbox = Process.Start(new ProcessStartInfo("dotnet", [hostDll, "sandbox", "--urls", $"http://127.0.0.1:{port}", "--customers",
            customers.ToString(CultureInfo.InvariantCulture), "--emarsys-rpm", rpm.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var dir = Directory.CreateTempSubdirectory("tributary-bench-workers-").FullName;
        var workers = new List<Process>();
        try
        {
            await Program.WaitReadyAsync(sandbox);
            var options = new SandboxOptions();
            var config = Path.Combine(dir, "tributary.yaml");
            await File.WriteAllTextAsync(config, $"""
                pipeline:
                  name: bench
                state:
                  sqlite: state.db
                source:
                  commercetools:
                    apiUrl: http://127.0.0.1:{port}{SandboxServer.CommercetoolsPrefix}
                    authUrl: http://127.0.0.1:{port}{SandboxServer.CommercetoolsPrefix}
                    projectKey: {options.Commercetools.ProjectKey}
                    clientId: {options.Commercetools.ClientId}
                    clientSecret: ${"{"}BENCH_CT_SECRET{"}"}
                destinations:
                  emarsys:
                    apiUrl: http://127.0.0.1:{port}{SandboxServer.EmarsysPrefix}
                    user: {options.Emarsys.User}
                    secret: ${"{"}BENCH_EMARSYS_SECRET{"}"}
                    requestsPerMinute: {rpm}
                sync:
                  interval: 1h
                cluster:
                  amqp: ${"{"}AMQP_URL{"}"}
                  queuePrefix: bench.{Guid.NewGuid():N}
                """);
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < workerCount; i++)
            {
                var start = new ProcessStartInfo("dotnet", [hostDll, "worker", "--config", config])
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    WorkingDirectory = dir,
                };
                start.Environment["BENCH_CT_SECRET"] = options.Commercetools.ClientSecret;
                start.Environment["BENCH_EMARSYS_SECRET"] = options.Emarsys.Secret;
                var worker = Process.Start(start)!;
                worker.OutputDataReceived += (_, _) => { };
                worker.ErrorDataReceived += (_, _) => { };
                worker.BeginOutputReadLine();
                worker.BeginErrorReadLine();
                workers.Add(worker);
            }

            await WaitDoneAsync(Path.Combine(dir, "state.db"), customers);
            return watch.Elapsed.TotalSeconds;
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker.Kill(entireProcessTree: true);
                await worker.WaitForExitAsync();
                worker.Dispose();
            }

            sandbox.Kill(entireProcessTree: true);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Polls the state file until every customer is delivered or quarantined.</summary>
    private static async Task WaitDoneAsync(string statePath, int customers)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(20))
        {
            await Task.Delay(250);
            if (!File.Exists(statePath))
            {
                continue;
            }

            await using var store = await SqliteSyncStore.OpenAsync(statePath, CancellationToken.None);
            var lanes = await store.CountLanesAsync(CancellationToken.None);
            var quarantined = lanes.Where(l => l.Status == OutboxStatus.Quarantined).Sum(l => l.Count);
            var delivered = 0L;
            await foreach (var _ in store.ReadDeliveredAsync("emarsys", EntityKind.Customer, CancellationToken.None))
            {
                delivered++;
            }

            if (delivered + quarantined >= customers)
            {
                return;
            }
        }

        throw new TimeoutException("the workers did not deliver every customer within 20 minutes");
    }
}
