using Microsoft.AspNetCore.Routing;
using Tributary.Sandbox.Faults;

namespace Tributary.Sandbox.Commercetools;

/// <summary>Placeholder: the commercetools emulator (token endpoint, customers) is being written.</summary>
public sealed class CommercetoolsEmulator
{
    public CommercetoolsEmulator(CommercetoolsEmulatorOptions options, TimeProvider time)
    {
        Options = options;
        Time = time;
    }

    public CommercetoolsEmulatorOptions Options { get; }

    public TimeProvider Time { get; }

    public FaultInjector Faults { get; } = new();

    public void Map(IEndpointRouteBuilder routes) => _ = routes;
}

public sealed class CommercetoolsEmulatorOptions
{
    public string ProjectKey { get; set; } = "demo";

    public string ClientId { get; set; } = "sandbox-client";

    public string ClientSecret { get; set; } = "sandbox-secret";
}
