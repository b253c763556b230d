using System.CommandLine;
using Spectre.Console;
using Tributary.Storage.Sqlite;

namespace Tributary.Host.Commands;

/// <summary>
/// <c>backup</c>: a consistent copy of a pipeline's state, taken while it runs. SQLite uses its online backup; for PostgreSQL
/// the database's own tool is the right one, and the command says how to call it.
/// </summary>
internal static class BackupCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var to = new Option<FileInfo>("--to") { Description = "Where to write the copy (an existing file there is replaced).", Required = true };
        var command = new Command("backup", "Copy the pipeline's state (delivered state, lanes, ledgers) consistently, while the service runs.")
        {
            config, to,
        };
        command.SetAction(async (parse, ct) =>
        {
            var cfg = CommonOptions.LoadConfig(parse.GetValue(config)!);
            if (cfg is null)
            {
                return CommonOptions.ExitConfig;
            }

            if (cfg.StateConnectionString is not null)
            {
                AnsiConsole.MarkupLine("The state is in PostgreSQL: back it up with the database's own tool, for example");
                AnsiConsole.MarkupLine($"  [green]pg_dump --format=custom --schema={Markup.Escape(cfg.StateSchema)} --file=tributary-state.dump \"$DATABASE_URL\"[/]");
                AnsiConsole.MarkupLine("and restore it with pg_restore into an empty schema.");
                return CommonOptions.ExitOk;
            }

            if (!File.Exists(cfg.StatePath))
            {
                AnsiConsole.MarkupLine($"[yellow]There is no state file yet[/] at {Markup.Escape(Path.GetFullPath(cfg.StatePath))}: nothing to copy.");
                return CommonOptions.ExitFailed;
            }

            var target = parse.GetValue(to)!.FullName;
            await using var store = await SqliteSyncStore.OpenAsync(cfg.StatePath, ct);
            await store.BackupToAsync(target, ct);
            AnsiConsole.MarkupLine($"State copied to {Markup.Escape(target)} ({new FileInfo(target).Length:N0} bytes). " +
                                   "To restore: stop the service, put the copy in place of the state file, start again.");
            return CommonOptions.ExitOk;
        });
        return command;
    }
}
