using Tributary.Connectors.Cin7Core;
using Tributary.Sandbox;
using Tributary.Sandbox.Cin7Core;

namespace Tributary.Tests.Connectors.Cin7Core;

/// <summary>Starts the sandbox and builds sources against its Cin7 Core emulator.</summary>
internal static class Cin7CoreTestHost
{
    public static Task<SandboxServer> StartAsync(Action<Cin7CoreEmulatorOptions>? configure = null, TimeProvider? time = null)
    {
        var options = new SandboxOptions();
        configure?.Invoke(options.Cin7Core);
        return SandboxServer.StartAsync(options, time ?? TimeProvider.System, CancellationToken.None);
    }

    /// <summary>
    /// A source with short retry waits. The burst is raised so tests making a handful of calls do not wait a second per call;
    /// the budget's pacing itself is exercised by the backfill tests with the default burst.
    /// </summary>
    public static Cin7CoreSource Source(SandboxServer server, Action<Cin7CoreClientOptions>? configure = null, Cin7CoreSourceOptions? sourceOptions = null,
        TimeProvider? time = null)
    {
        var options = new Cin7CoreClientOptions
        {
            BaseUrl = server.Cin7CoreUrl,
            AccountId = server.Cin7Core.Options.AccountId,
            ApplicationKey = server.Cin7Core.Options.ApplicationKey,
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
            MaxRetryDelay = TimeSpan.FromMilliseconds(50),
            RateLimitedWait = TimeSpan.FromMilliseconds(50),
            RateBurst = 30,
        };
        configure?.Invoke(options);
        return Cin7CoreSource.Create(options, sourceOptions ?? new Cin7CoreSourceOptions(), time ?? TimeProvider.System);
    }

    public static Cin7SandboxCustomer Customer(string name, params Cin7SandboxContact[] contacts) => new() { Name = name, Contacts = [.. contacts] };

    public static Cin7SandboxContact Contact(string? email, bool isDefault = false, string? name = "Ann Lee") =>
        new() { Name = name, Email = email, Default = isDefault };
}
