using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LvlmEval.Results;
using LvlmEval.Results.Comparison;

namespace LvlmEval.Harness.Cli;

/// <summary><c>merge RUN_DIR… [--out DIR]</c> and <c>compare RUN_A RUN_B [--tolerance X] [--fail-on-regression] [--json FILE]</c>.</summary>
public static class RunFolderCommands
{
    /// <summary>Builds <c>merge</c>.</summary>
    public static Command Merge()
    {
        var folders = new Argument<string[]>("RUN_DIR") { Description = "Run folders holding the shards (one shared folder, or one per worker).", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--out") { Description = "Merged run folder (default: the first RUN_DIR, merged in place).", HelpName = "DIR" };
        var command = new Command("merge", """
            Merge the part files of every shard into one run: rows deduplicated by key, one part per table, errors.jsonl and manifest.json.

            Examples:
              lvlm-eval merge /shared/runs/nightly                       (shards wrote into one folder)
              lvlm-eval merge runs/shard-0 runs/shard-1 runs/shard-2 --out runs/merged
            """) { folders, output };
        command.SetAction(parse => CliErrors.Guard(Console.Error, () =>
        {
            var inputs = parse.GetValue(folders)!;
            var target = parse.GetValue(output) ?? inputs[0];
            var merged = RunMerger.Merge(inputs, target);
            Console.WriteLine($"merged {inputs.Length} folder(s) into {Path.GetFullPath(target)}: {merged.Samples.Count} samples, {merged.Scores.Count} scores, " +
                              $"{merged.Curves.Count} curve points, {merged.Maps.Count} maps, {merged.Errors.Count} errors");
            ReportCommand.WriteAfterRun(target, Console.Out, Console.Error);
            return CliErrors.Ok;
        }));
        return command;
    }

    /// <summary>Builds <c>compare</c>.</summary>
    public static Command Compare()
    {
        var a = new Argument<string>("RUN_A") { Description = "Baseline run folder." };
        var b = new Argument<string>("RUN_B") { Description = "New run folder." };
        var tolerance = new Option<double>("--tolerance") { Description = "Absolute change of a mean that counts (default 0.01).", DefaultValueFactory = _ => 0.01, HelpName = "X" };
        var fail = new Option<bool>("--fail-on-regression") { Description = "Exit with 1 on a regression (worse, beyond tolerance, CI excluding 0, in the metric's declared direction), a significant change of a metric with no better side, a quantity removed, or samples lost." };
        var json = new Option<string?>("--json") { Description = "Also write the comparison as JSON.", HelpName = "FILE" };
        var html = new Option<string?>("--html") { Description = "Also write the comparison as an HTML page.", HelpName = "FILE" };
        var command = new Command("compare", """
            Line up two runs by (model, dataset, explainer, metric, sample) and report each mean's change with a paired bootstrap 95% CI
            (images resampled), flagged in the direction each metric declares (the same rows and flags as the report's comparison page),
            over the samples every explainer of the metric scored in both runs; failed A/B counts each explainer's failures.
            Same code and seed give identical values, so any flagged change in a nightly run is a regression to look at.

            Examples:
              lvlm-eval compare reports/nightly-baseline reports/nightly-2026-11-22
              lvlm-eval compare baseline/ tonight/ --tolerance 0.005 --fail-on-regression --json tonight/compare.json
            """) { a, b, tolerance, fail, json, html };
        command.SetAction(parse => CliErrors.Guard(Console.Error, () =>
        {
            var runA = RunResults.Read(Existing(parse.GetValue(a)!));
            var runB = RunResults.Read(Existing(parse.GetValue(b)!));
            var tol = parse.GetValue(tolerance);
            if (tol < 0) throw new ArgumentException("--tolerance must be ≥ 0");
            var report = new Reports.ReportOptions { ComparisonTolerance = tol };
            var changes = RunComparer.Compare(runA, runB, new ComparisonOptions(tol, report.Seed, report.BootstrapResamples));
            Print(changes, Console.Out);
            if (parse.GetValue(html) is { } page) Console.WriteLine($"comparison page: {Reports.ReportWriter.WriteComparison(parse.GetValue(a)!, parse.GetValue(b)!, page, report)}");
            if (parse.GetValue(json) is { } path) File.WriteAllText(path, ToJson(changes).ToJsonString(Manifest.JsonOptions) + "\n");
            int flagged = changes.Count(c => c.Flagged), failing = changes.Count(c => c.Fails);
            Console.WriteLine(flagged == 0 ? $"no change beyond tolerance {tol.ToString(CultureInfo.InvariantCulture)} in {changes.Count} groups"
                : $"{flagged} of {changes.Count} groups flagged beyond tolerance {tol.ToString(CultureInfo.InvariantCulture)}, {failing} of them regressions, unsigned changes, removals or lost samples");
            return failing > 0 && parse.GetValue(fail) ? CliErrors.Failed : CliErrors.Ok;
        }));
        return command;
    }

    private static RunFolder Existing(string path) =>
        Directory.Exists(path) ? new RunFolder(path) : throw new DirectoryNotFoundException($"run folder '{path}' does not exist");

    private static void Print(IReadOnlyList<MetricChange> changes, TextWriter output)
    {
        var header = new[] { "flag", "model", "dataset", "explainer", "metric", "n", "mean A", "mean B", "Δ", "95% CI", "lost", "failed A/B" };
        var rows = changes.Select(c => new[]
        {
            c.FlagName, c.Model, c.Dataset, c.Explainer.Length == 0 ? "-" : c.Explainer, c.Metric, c.Pairs.ToString(CultureInfo.InvariantCulture),
            F(c.MeanA), F(c.MeanB), F(c.Delta), $"[{F(c.CiLower)}, {F(c.CiUpper)}]", c.OnlyA.ToString(CultureInfo.InvariantCulture),
            string.Create(CultureInfo.InvariantCulture, $"{c.FailedA}/{c.FailedB}"),
        }).Prepend(header).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (var r in rows) output.WriteLine(string.Join("  ", r.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
    }

    private static string F(double v) => double.IsNaN(v) ? "nan" : v.ToString("0.0000", CultureInfo.InvariantCulture);

    private static JsonArray ToJson(IReadOnlyList<MetricChange> changes) => new(changes.Select(c => (JsonNode)new JsonObject
    {
        ["model"] = c.Model, ["dataset"] = c.Dataset, ["explainer"] = c.Explainer, ["metric"] = c.Metric, ["pairs"] = c.Pairs,
        ["only_a"] = c.OnlyA, ["only_b"] = c.OnlyB, ["mean_a"] = Num(c.MeanA), ["mean_b"] = Num(c.MeanB), ["delta"] = Num(c.Delta),
        ["ci_lower"] = Num(c.CiLower), ["ci_upper"] = Num(c.CiUpper), ["flagged"] = c.Flagged, ["flag"] = c.FlagName,
        ["failed_a"] = c.FailedA, ["failed_b"] = c.FailedB,
    }).ToArray());

    private static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;
}
