using System.CommandLine;
using Tributary.Demo;
using Tributary.Host.Commands;

[assembly: VerbModule(typeof(DemoVerbs))]

namespace Tributary.Demo;

/// <summary>The demo and sandbox verbs, loaded by the host only when one of them runs.</summary>
public sealed class DemoVerbs : IVerbModule
{
    /// <inheritdoc />
    public IReadOnlyList<Command> Commands() => [DemoCommand.Create(), SandboxCommand.Create()];
}
