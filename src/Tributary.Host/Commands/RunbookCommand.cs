using System.CommandLine;
using Spectre.Console;
using Tributary.Host.Runbook;

namespace Tributary.Host.Commands;

internal static class RunbookCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the manual to this Markdown file instead of the screen." };
        var command = new Command("runbook", "Write the operational manual of a pipeline from its config: what flows where, which event starts which journey, each problem state, who acts, how to replay.")
        {
            config, output,
        };
        command.SetAction(async (parse, ct) =>
        {
            var cfg = CommonOptions.LoadConfig(parse.GetValue(config)!);
            if (cfg is null)
            {
                return CommonOptions.ExitConfig;
            }

            var markdown = RunbookWriter.Write(cfg);
            if (parse.GetValue(output) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, markdown, ct);
                AnsiConsole.MarkupLine($"Runbook written to {Markup.Escape(file.FullName)}.");
            }
            else
            {
                Console.Out.Write(markdown);
            }

            return CommonOptions.ExitOk;
        });
        return command;
    }
}
