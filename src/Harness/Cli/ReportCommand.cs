using System.CommandLine;
using LvlmEval.Reports;

namespace LvlmEval.Harness.Cli;

/// <summary><c>report RUN_DIR</c>: writes RUN_DIR/report.html and charts/ from the run's Parquet tables and manifest.</summary>
public static class ReportCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var folder = new Argument<string>("RUN_DIR") { Description = "A finished (or merged) run folder." };
        var command = new Command("report", """
            Write RUN_DIR/report.html (self-contained: leaderboard with CIs, curves, reliance, accuracy, heatmap gallery) and every chart as charts/NAME.svg and charts/NAME.png (no browser needed).

            Examples:
              lvlm-eval report reports/quickstart
              lvlm-eval merge /shared/runs/vqav2 && lvlm-eval report /shared/runs/vqav2
            """) { folder };
        command.SetAction(parse => CliErrors.Guard(Console.Error, () =>
        {
            var dir = parse.GetValue(folder)!;
            if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"run folder '{dir}' does not exist");
            Console.WriteLine($"report: {ReportWriter.Write(dir)}");
            return CliErrors.Ok;
        }));
        return command;
    }

    /// <summary>Writes the report after a run or merge; a report problem is printed, never fails the run whose results are already safe.</summary>
    public static void WriteAfterRun(string runDir, TextWriter output, TextWriter error)
    {
        try
        {
            output.WriteLine($"report: {ReportWriter.Write(runDir)}");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            error.WriteLine($"warning: the report could not be written ({e.GetType().Name}: {e.Message}); run `lvlm-eval report {runDir}` after fixing it");
        }
    }
}
