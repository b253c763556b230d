using System.CommandLine;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.Loader;
using Spectre.Console;

namespace Tributary.Host.Commands;

/// <summary>
/// Verbs shipped in an assembly of their own and loaded only when one of them runs. The demo and the sandbox bring the
/// emulated platforms and their data generator; keeping them out of the host means <c>run</c>, <c>sync</c>, <c>check</c>
/// and <c>worker</c> start without any of that on disk.
/// </summary>
public interface IVerbModule
{
    /// <summary>The module's verbs, named as <see cref="OptionalVerbs"/> lists them.</summary>
    IReadOnlyList<Command> Commands();
}

/// <summary>Names the <see cref="IVerbModule"/> an assembly provides.</summary>
/// <param name="module">A public type implementing <see cref="IVerbModule"/> with a parameterless constructor.</param>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class VerbModuleAttribute(Type module) : Attribute
{
    /// <summary>The module type.</summary>
    public Type Module { get; } = module;
}

/// <summary>Finds and loads the demo module (<c>Tributary.Demo.dll</c> beside the host) when its verbs are invoked.</summary>
internal static class OptionalVerbs
{
    /// <summary>The assembly holding the demo and sandbox verbs.</summary>
    public const string AssemblyName = "Tributary.Demo";

    // Listed in the help of every start; the module itself is loaded only when one of these is the verb.
    private static readonly (string Name, string Description)[] Verbs =
    [
        ("demo", "Start the sandbox platforms, seed a shop, sync it into Emarsys and keep it in step."),
        ("sandbox", "Run the emulated platforms on their own, for trying configs and connectors."),
    ];

    /// <summary>Whether the command line invokes one of the module's verbs.</summary>
    public static bool Invoked(string[] args) => args.Length > 0 && Verbs.Any(v => v.Name == args[0]);

    /// <summary>Stand-ins that keep the verbs in the root help without loading the module.</summary>
    public static IReadOnlyList<Command> Placeholders() => [.. Verbs.Select(v => new Command(v.Name, v.Description))];

    /// <summary>
    /// The module's verbs from <paramref name="directory"/>, or null with the files that are missing there (the module and
    /// every assembly it needs that the host does not already carry).
    /// </summary>
    public static IReadOnlyList<Command>? Load(string directory, out IReadOnlyList<string> missing)
    {
        missing = Missing(directory);
        if (missing.Count > 0)
        {
            return null;
        }

        // The host's dependency manifest does not list the module's assemblies, so they are resolved beside the host.
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            var candidate = Path.Combine(directory, name.Name + ".dll");
            return File.Exists(candidate) ? context.LoadFromAssemblyPath(candidate) : null;
        };
        var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.Combine(directory, AssemblyName + ".dll"));
        var type = assembly.GetCustomAttribute<VerbModuleAttribute>()?.Module
                   ?? throw new InvalidOperationException($"{AssemblyName}.dll names no verb module ([assembly: VerbModule(typeof(...))]).");
        return ((IVerbModule)Activator.CreateInstance(type)!).Commands();
    }

    /// <summary>Says which files the verb needs and how to get them.</summary>
    public static void SayMissing(string verb, IReadOnlyList<string> missing) =>
        AnsiConsole.MarkupLine(
            $"[red]'{Markup.Escape(verb)}' runs the emulated platforms, which ship in their own assemblies, and these are not next to " +
            $"Tributary.Host.dll:[/] {Markup.Escape(string.Join(", ", missing))}. ./tributary {Markup.Escape(verb)} builds them; " +
            $"with a build of your own, build src/Tributary.Demo into the host's folder (dotnet build src/Tributary.Demo -o <that folder>).");

    private static List<string> Missing(string directory)
    {
        var carried = ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(Path.GetFileNameWithoutExtension)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Queue<string>([AssemblyName]);
        while (pending.TryDequeue(out var name))
        {
            if (!seen.Add(name) || carried.Contains(name))
            {
                continue;
            }

            var path = Path.Combine(directory, name + ".dll");
            if (!File.Exists(path))
            {
                missing.Add(name + ".dll");
                continue;
            }

            // Read the references from metadata: loading the assembly would not say what its references lack until they are used.
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            var metadata = pe.GetMetadataReader();
            foreach (var handle in metadata.AssemblyReferences)
            {
                pending.Enqueue(metadata.GetString(metadata.GetAssemblyReference(handle).Name));
            }
        }

        return missing;
    }
}
