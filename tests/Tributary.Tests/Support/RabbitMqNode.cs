using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using RabbitMQ.Client;

namespace Tributary.Tests.Support;

/// <summary>
/// A private RabbitMQ node for the test run: started once from Debian's <c>rabbitmq-server</c> package in a temporary
/// directory on free ports (its own node name, cookie and port mapper), stopped when the test process exits. Tests isolate
/// themselves with their own queue prefix.
/// </summary>
public sealed class RabbitMqNode
{
    private const string Install = "RabbitMQ is needed for the cluster worker tests: install rabbitmq-server (Debian/Ubuntu: apt-get install rabbitmq-server).";

    private static readonly Lazy<Task<RabbitMqNode>> Shared = new(StartAsync);

    private readonly Process _server;
    private readonly string _directory;
    private readonly int _epmdPort;

    private RabbitMqNode(Process server, string directory, int port, int epmdPort)
    {
        _server = server;
        _directory = directory;
        _epmdPort = epmdPort;
        Amqp = new Uri($"amqp://guest:guest@127.0.0.1:{port}/");
    }

    /// <summary>The node's AMQP address.</summary>
    public Uri Amqp { get; }

    /// <summary>The node of this test run, started on first use.</summary>
    public static Task<RabbitMqNode> GetAsync() => Shared.Value;

    private static string FindServer()
    {
        // The packaged script under /usr/sbin switches to the rabbitmq user and its fixed directories; the one below it honours
        // the RABBITMQ_* variables as the calling user.
        foreach (var candidate in new[] { "/usr/lib/rabbitmq/bin/rabbitmq-server", "/usr/local/sbin/rabbitmq-server" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(p => Path.Combine(p, "rabbitmq-server")).FirstOrDefault(File.Exists);
        return onPath ?? throw new InvalidOperationException(Install);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<RabbitMqNode> StartAsync()
    {
        var server = FindServer();
        var dir = Directory.CreateTempSubdirectory("tributary-rabbitmq-").FullName;
        Directory.CreateDirectory(Path.Combine(dir, "mnesia"));
        Directory.CreateDirectory(Path.Combine(dir, "log"));
        var cookie = Path.Combine(dir, ".erlang.cookie");
        await File.WriteAllTextAsync(cookie, $"TRIBUTARY{Guid.NewGuid():N}".ToUpperInvariant());
        if (!OperatingSystem.IsWindows())
        {
            // Erlang refuses a cookie file others can read.
            File.SetUnixFileMode(cookie, UnixFileMode.UserRead);
        }
        await File.WriteAllTextAsync(Path.Combine(dir, "enabled_plugins"), "[].");
        int port = FreePort(), dist = FreePort(), epmd = FreePort();
        // A watchdog shell owns the node: when the test process goes away, however it ends (a test host killed after the run
        // never raises ProcessExit), the node, its port mapper and its directory go too.
        const string Watchdog = """
            "$1" & server=$!
            while kill -0 "$2" 2>/dev/null && kill -0 "$server" 2>/dev/null; do sleep 1; done
            [ -f "$3" ] && kill "$(cat "$3")" 2>/dev/null
            kill "$server" 2>/dev/null
            sleep 2
            [ -f "$3" ] && kill -9 "$(cat "$3")" 2>/dev/null
            epmd -kill >/dev/null 2>&1
            rm -rf "$4"
            """;
        var start = new ProcessStartInfo("/bin/sh",
            ["-c", Watchdog, "rabbitmq-watchdog", server, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
             Path.Combine(dir, "rabbitmq.pid"), dir])
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["HOME"] = dir;
        start.Environment["RABBITMQ_NODENAME"] = $"tributary-test-{Environment.ProcessId}@localhost";
        start.Environment["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
        start.Environment["RABBITMQ_NODE_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["RABBITMQ_DIST_PORT"] = dist.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["ERL_EPMD_PORT"] = epmd.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["RABBITMQ_MNESIA_BASE"] = Path.Combine(dir, "mnesia");
        start.Environment["RABBITMQ_LOG_BASE"] = Path.Combine(dir, "log");
        start.Environment["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(dir, "enabled_plugins");
        start.Environment["RABBITMQ_CONFIG_FILE"] = Path.Combine(dir, "rabbitmq");
        start.Environment["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(dir, "advanced.config");
        start.Environment["RABBITMQ_PID_FILE"] = Path.Combine(dir, "rabbitmq.pid");
        var process = Process.Start(start) ?? throw new InvalidOperationException(Install);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var node = new RabbitMqNode(process, dir, port, epmd);
        // No ProcessExit handler: the watchdog stops the node once this process is gone (a handler that kills the watchdog's
        // tree left the Erlang VM running).

        // A cold Erlang VM on a busy two-core machine takes tens of seconds to boot the broker.
        var deadline = Stopwatch.StartNew();
        Exception? last = null;
        while (deadline.Elapsed < TimeSpan.FromMinutes(3))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"rabbitmq-server exited ({process.ExitCode}) while starting: {string.Join('\n', output.TakeLast(20))}");
            }

            try
            {
                var factory = new ConnectionFactory { Uri = node.Amqp };
                await using var connection = await factory.CreateConnectionAsync();
                return node;
            }
            catch (Exception ex) when (ex is RabbitMQ.Client.Exceptions.BrokerUnreachableException or IOException or SocketException)
            {
                last = ex;
                await Task.Delay(500);
            }
        }

        node.Stop();
        throw new InvalidOperationException($"rabbitmq-server did not accept connections within 3 minutes: {last?.Message}\n{string.Join('\n', output.TakeLast(20))}");
    }

    private void Stop()
    {
        try
        {
            // A node that failed to start: stop the VM named in its pid file, the watchdog and the node's port mapper.
            var pidFile = Path.Combine(_directory, "rabbitmq.pid");
            if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid))
            {
                try
                {
                    using var beam = Process.GetProcessById(pid);
                    beam.Kill();
                }
                catch (ArgumentException)
                {
                    // Already gone.
                }
            }

            var epmd = new ProcessStartInfo("epmd", ["-kill"]) { RedirectStandardOutput = true, RedirectStandardError = true };
            epmd.Environment["ERL_EPMD_PORT"] = _epmdPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
            using (var kill = Process.Start(epmd))
            {
                kill?.WaitForExit(5_000);
            }

            if (!_server.HasExited)
            {
                _server.Kill(entireProcessTree: true);
            }

            Directory.Delete(_directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Best effort at process exit: a leftover temp directory or port mapper is harmless.
        }
    }
}
