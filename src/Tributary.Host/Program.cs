using System.CommandLine;
using Tributary.Host.Commands;

namespace Tributary.Host;

public static class Program
{
    public static Task<int> Main(string[] args)
    {
        var root = new RootCommand("Tributary keeps marketing platforms in step with commerce platforms.")
        {
            DemoCommand.Create(),
            SyncCommand.Create(),
            RunCommand.Create(),
            CheckCommand.Create(),
            SandboxCommand.Create(),
        };
        return root.Parse(args).InvokeAsync();
    }
}
