using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Tributary.Tests.Support;

/// <summary>
/// A private, throwaway PostgreSQL cluster started from the installed server binaries for one test run: <c>initdb</c> into a
/// temporary directory, <c>pg_ctl start</c> on a free local port with its socket in that directory, stopped and deleted on
/// dispose. As root the binaries run as the <c>postgres</c> user (the server refuses to run as root). One database per test
/// class (<see cref="DatabaseAsync"/>). Durability settings are off: a test cluster needs no crash safety.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    private const string InstallHint = "install postgresql (apt-get install postgresql)";

    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _databases = new(StringComparer.Ordinal);
    private string? _bin;
    private string? _root;
    private bool _asPostgres;

    /// <summary>The connection string of the cluster's maintenance database.</summary>
    public string AdminConnectionString { get; private set; } = string.Empty;

    /// <summary>Port the cluster listens on (127.0.0.1).</summary>
    public int Port { get; private set; }

    public async Task InitializeAsync()
    {
        _bin = FindBinaries() ?? throw new InvalidOperationException(
            $"PostgreSQL server binaries were not found under /usr/lib/postgresql/*/bin: {InstallHint}.");
        _root = Directory.CreateTempSubdirectory("tributary-pg-").FullName;
        var data = Path.Combine(_root, "data");
        _asPostgres = Environment.UserName == "root";
        if (_asPostgres)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", _root]);
        }

        await RunToolAsync("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
        Port = FreePort();
        var options = $"-p {Port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off " +
                      "-c full_page_writes=off -c max_connections=200 -c shared_buffers=64MB";
        await RunToolAsync("pg_ctl", ["-D", data, "-o", options, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60", "start"]);
        AdminConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = "postgres",
            Database = "postgres",
            Pooling = false,
        }.ToString();
    }

    /// <summary>The connection string of a database of its own for <paramref name="name"/> (a test class), created on first ask.</summary>
    public Task<string> DatabaseAsync(string name) =>
        _databases.GetOrAdd(name.ToLowerInvariant(), n => new Lazy<Task<string>>(() => CreateDatabaseAsync(n))).Value;

    public async Task DisposeAsync()
    {
        if (_root is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        try
        {
            if (_bin is not null && Directory.Exists(Path.Combine(_root, "data", "global")))
            {
                await RunToolAsync("pg_ctl", ["-D", Path.Combine(_root, "data"), "-m", "immediate", "-w", "stop"]);
            }
        }
        finally
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private async Task<string> CreateDatabaseAsync(string name)
    {
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", string.Empty, StringComparison.Ordinal)}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true }.ToString();
    }

    private static string? FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
        {
            return null;
        }

        // The newest installed major version.
        return Directory.GetDirectories(root)
            .Select(d => Path.Combine(d, "bin"))
            .Where(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")))
            .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
            .FirstOrDefault();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private Task RunToolAsync(string tool, IReadOnlyList<string> arguments)
    {
        var path = Path.Combine(_bin!, tool);
        return _asPostgres ? RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments]) : RunAsync(path, arguments);
    }

    private async Task RunAsync(string program, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _root ?? Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}: {InstallHint}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            var log = _root is not null && File.Exists(Path.Combine(_root, "server.log"))
                ? await File.ReadAllTextAsync(Path.Combine(_root, "server.log"))
                : string.Empty;
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}{await output}{log}");
        }
    }
}

/// <summary>Test classes that need PostgreSQL share one cluster per run.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresCluster>
{
    public const string Name = "PostgreSQL";
}
