using System.CommandLine;
using LvlmEval.Harness.Cli;

namespace LvlmEval.Harness;

/// <summary>Entry point of the <c>lvlm-eval</c> command line.</summary>
public static class Program
{
    /// <summary>Runs the command line and returns its exit code (0 ok, 1 failure or regression, 2 bad input).</summary>
    public static int Main(string[] args)
    {
        var root = new RootCommand("""
            lvlm-eval: evaluate explanation methods for LLaVA-family vision-language models.

            Start with:
              lvlm-eval run experiments/quickstart.yaml
              lvlm-eval explain --model models/tiny-llava-shapes --image IMAGE.png --prompt "What colour is the circle?"
            """)
        {
            RunCommand.Create(),
            ExplainCommand.Create(),
            InspectCommands.Datasets(),
            InspectCommands.Models(),
            ScoreCommand.Create(),
            ReportCommand.Create(),
            QueryCommand.Create(),
            RunFolderCommands.Compare(),
            RunFolderCommands.Merge(),
            TrainTinyCommand.Create(),
            ServeCommand.Create(),
            ExtractCommand.Create(),
            ProbeCommand.Create(),
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is null)
        {
            foreach (var error in parse.Errors) Console.Error.WriteLine("error: " + error.Message);
            return CliErrors.BadInput;
        }
        int code = parse.Invoke();
        return parse.Errors.Count > 0 ? CliErrors.BadInput : code;
    }
}
