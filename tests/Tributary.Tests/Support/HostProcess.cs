using System.Diagnostics;
using Tributary.Tests.EndToEnd;

namespace Tributary.Tests.Support;

/// <summary>
/// The service's CLI run as a child process against a sandbox harness, as an operator runs it: the sandbox's secrets come
/// from the environment (<c>TEST_CT_SECRET</c>, <c>TEST_EMARSYS_SECRET</c>, <c>TEST_SALES_TOKEN</c>, plus any extra), and every
/// line it prints goes to the given callback.
/// </summary>
internal static class HostProcess
{
    public static string HostDll => Path.Combine(AppContext.BaseDirectory, "Tributary.Host.dll");

    public static Process Start(SandboxHarness h, string verb, string config, Action<string> onLine, IReadOnlyDictionary<string, string>? environment = null,
        string? hostDll = null, IReadOnlyList<string>? arguments = null)
    {
        var start = new ProcessStartInfo("dotnet", [hostDll ?? HostDll, verb, "--config", config, .. arguments ?? []])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = h.Directory,
        };
        start.Environment["TEST_CT_SECRET"] = h.Options.Commercetools.ClientSecret;
        start.Environment["TEST_EMARSYS_SECRET"] = h.Options.Emarsys.Secret;
        start.Environment["TEST_SALES_TOKEN"] = h.Options.Emarsys.SalesDataToken;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                onLine(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                onLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
