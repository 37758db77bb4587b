using System.CommandLine;
using LvlmEval.Harness.Results;
using LvlmEval.Results;

namespace LvlmEval.Harness.Cli;

/// <summary>
/// <c>query RUN_DIR "SQL"</c>: SQL (DuckDB) over the run's tables as views <c>samples</c>, <c>scores</c>, <c>curves</c>,
/// <c>maps</c>, over complete chunks only (the rows report, compare and merge read); prints an aligned table, JSON or CSV.
/// </summary>
public static class QueryCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var folder = new Argument<string>("RUN_DIR") { Description = "A run folder (finished, merged, or still running: only complete chunks are read)." };
        var sql = new Argument<string>("SQL") { Description = "DuckDB SQL over the views samples, scores, curves, maps; the last statement's result is printed." };
        var json = new Option<bool>("--json") { Description = "Print the rows as a JSON array of objects." };
        var csv = new Option<bool>("--csv") { Description = "Print the rows as CSV with a header row." };
        var command = new Command("query", """
            Run SQL over a run's tables (views samples, scores, curves, maps; complete chunks only) with DuckDB.
            Output: an aligned table, or --json / --csv. An error in the SQL is one line and exit code 2.

            Examples:
              lvlm-eval query reports/quickstart "SELECT explainer, metric, avg(value) FROM scores WHERE token_index = -1 GROUP BY ALL ORDER BY ALL"
              lvlm-eval query reports/quickstart "SELECT model, avg(task_score) FROM samples GROUP BY model" --json
              lvlm-eval query reports/quickstart "SELECT sample_id, \"values\" FROM maps WHERE token_index = -1" --csv > maps.csv
            """) { folder, sql, json, csv };
        command.SetAction(parse => CliErrors.Guard(Console.Error, () =>
        {
            bool asJson = parse.GetValue(json), asCsv = parse.GetValue(csv);
            if (asJson && asCsv) throw new ArgumentException("--json and --csv exclude each other; pick one output format");
            var result = Run(parse.GetValue(folder)!, parse.GetValue(sql)!);
            if (result is null) return CliErrors.BadInput;
            if (asJson) QueryOutput.Json(result, Console.Out);
            else if (asCsv) QueryOutput.Csv(result, Console.Out);
            else QueryOutput.Table(result, Console.Out);
            return CliErrors.Ok;
        }));
        return command;
    }

    /// <summary>Opens the run's views over its complete chunks.</summary>
    public static RunQuery OpenViews(string runDir)
    {
        if (!Directory.Exists(runDir)) throw new DirectoryNotFoundException($"run folder '{runDir}' does not exist");
        var run = new RunFolder(runDir);
        if (!File.Exists(run.Manifest) && !Directory.EnumerateFiles(runDir, "manifest-*.json").Any() && !Directory.Exists(run.TableFolder("samples")))
            throw new DirectoryNotFoundException($"'{runDir}' is not a run folder: it has no manifest.json and no samples/ table");
        var chunks = run.CompleteChunks();
        IReadOnlyList<string> Files(string table) => chunks.Select(part => run.PartPath(table, part)).ToList();
        var query = new RunQuery();
        try
        {
            query.AddView<SampleRecord>("samples", Files("samples"));
            query.AddView<ScoreRecord>("scores", Files("scores"));
            query.AddView<CurveRecord>("curves", Files("curves"));
            query.AddView<MapRecord>("maps", Files("maps"));
            return query;
        }
        catch
        {
            query.Dispose();
            throw;
        }
    }

    // An error in the SQL is the user's input: one line, exit 2 (null tells the caller).
    private static QueryResult? Run(string runDir, string sql)
    {
        using var query = OpenViews(runDir);
        try
        {
            return query.Execute(sql);
        }
        catch (QueryException e)
        {
            Console.Error.WriteLine($"error: query: {e.Message}");
            return null;
        }
    }
}
