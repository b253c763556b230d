using System.Diagnostics;
using System.Text.Json;

namespace Tributary.Tests.EndToEnd;

/// <summary>`run --log-format json` as a log collector reads it: every line of the output is one JSON object, startup, round summaries and shutdown included.</summary>
[EndToEnd]
public sealed class JsonLogsTests
{
    [Fact]
    public async Task Run_LogFormatJson_EveryLineOfTheRunParsesAsJson()
    {
        await using var h = await SandboxHarness.StartAsync(40);
        var config = h.WriteCliConfig("json-logs", tail: """
            sync:
              interval: 1m

            """);
        var lines = new List<string>();
        var balanced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var run = Support.HostProcess.Start(h, "run", config, line =>
        {
            lock (lines)
            {
                lines.Add(line);
            }

            if (line.Contains("\"Kind\":\"Customer\"", StringComparison.Ordinal) && line.Contains("\"Sent\"", StringComparison.Ordinal))
            {
                balanced.TrySetResult();
            }
        }, arguments: ["--log-format", "json"]);

        var first = await Task.WhenAny(balanced.Task, run.WaitForExitAsync()).WaitAsync(TimeSpan.FromMinutes(2));
        first.ShouldBe(balanced.Task, "the first sweep's balance was never logged:\n" + Snapshot(lines));
        await StopAsync(run);

        var output = Snapshot(lines);
        output.ShouldContain("Stopped.", Case.Sensitive, $"exit {run.ExitCode}: " + output);
        var records = new List<JsonElement>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            records.Add(Parse(line));
        }

        records.ShouldContain(r => r.GetProperty("message").GetString()!.StartsWith("Sweeping every", StringComparison.Ordinal));
        var contacts = records.Single(r => r.TryGetProperty("Kind", out var k) && k.GetString() == "Customer" && r.TryGetProperty("Sent", out _));
        contacts.GetProperty("Sent").GetString().ShouldBe(h.ValidCustomers().Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var read = records.Single(r => r.TryGetProperty("Entity", out var e) && e.GetString() == "Customer" && r.TryGetProperty("Read", out _));
        read.GetProperty("Read").GetString().ShouldBe("40");
    }

    [Fact]
    public async Task Run_LogFormatJson_ConfigProblemIsJsonToo()
    {
        await using var h = await SandboxHarness.StartAsync(1);
        var config = h.WriteCliConfig("json-logs", tail: """
            sync:
              interval: often

            """);
        var lines = new List<string>();
        using var run = Support.HostProcess.Start(h, "run", config, l => { lock (lines) { lines.Add(l); } }, arguments: ["--log-format", "json"]);

        await run.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));

        run.ExitCode.ShouldBe(2);
        var output = Snapshot(lines);
        var records = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Parse).ToList();
        records.ShouldContain(r => r.GetProperty("message").GetString()!.Contains("Configuration problem", StringComparison.Ordinal));
        records.ShouldContain(r => r.GetProperty("message").GetString()!.Contains("fix:", StringComparison.Ordinal));
    }

    private static JsonElement Parse(string line)
    {
        try
        {
            using var json = JsonDocument.Parse(line);
            json.RootElement.ValueKind.ShouldBe(JsonValueKind.Object, line);
            return json.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new ShouldAssertException($"not a JSON line: {line}", ex);
        }
    }

    private static string Snapshot(List<string> lines)
    {
        lock (lines)
        {
            return string.Join('\n', lines);
        }
    }

    // Ctrl+C, as an operator stops it: the service says it stopped, and that line must be JSON too.
    private static async Task StopAsync(Process run)
    {
        using (var interrupt = Process.Start("kill", ["-INT", run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await interrupt.WaitForExitAsync();
        }

        try
        {
            await run.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            run.Kill(entireProcessTree: true);
            throw;
        }
    }
}
