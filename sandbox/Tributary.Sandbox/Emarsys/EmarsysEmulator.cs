using Microsoft.AspNetCore.Routing;
using Tributary.Sandbox.Faults;

namespace Tributary.Sandbox.Emarsys;

/// <summary>Placeholder: the Emarsys emulator (WSSE, contacts) is being written.</summary>
public sealed class EmarsysEmulator
{
    public EmarsysEmulator(EmarsysEmulatorOptions options, TimeProvider time)
    {
        Options = options;
        Time = time;
    }

    public EmarsysEmulatorOptions Options { get; }

    public TimeProvider Time { get; }

    public FaultInjector Faults { get; } = new();

    public void Map(IEndpointRouteBuilder routes) => _ = routes;
}

public sealed class EmarsysEmulatorOptions
{
    public string User { get; set; } = "sandbox-user";

    public string Secret { get; set; } = "sandbox-secret";

    /// <summary>Requests per minute per API user; 0 turns the limiter off.</summary>
    public int RequestsPerMinute { get; set; } = 1000;
}
