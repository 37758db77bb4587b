using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LvlmEval.Harness.Comparison;
using LvlmEval.Results;

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
        var fail = new Option<bool>("--fail-on-regression") { Description = "Exit with 1 when any change is flagged (beyond tolerance with a CI excluding 0, or samples lost)." };
        var json = new Option<string?>("--json") { Description = "Also write the comparison as JSON.", HelpName = "FILE" };
        var html = new Option<string?>("--html") { Description = "Also write the comparison as an HTML page.", HelpName = "FILE" };
        var command = new Command("compare", """
            Line up two runs by (model, dataset, explainer, metric, sample) and report each mean's change with a paired bootstrap 95% CI
            (images resampled), over the samples every explainer of the metric scored in both runs; failed A/B counts each explainer's failures.
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
            var changes = RunComparer.Compare(runA, runB, tol);
            Print(changes, Console.Out);
            if (parse.GetValue(html) is { } page) Console.WriteLine($"comparison page: {Reports.ReportWriter.WriteComparison(parse.GetValue(a)!, parse.GetValue(b)!, page)}");
            if (parse.GetValue(json) is { } path) File.WriteAllText(path, ToJson(changes).ToJsonString(Manifest.JsonOptions) + "\n");
            int flagged = changes.Count(c => c.Flagged);
            Console.WriteLine(flagged == 0 ? $"no change beyond tolerance {tol.ToString(CultureInfo.InvariantCulture)} in {changes.Count} groups"
                : $"{flagged} of {changes.Count} groups changed beyond tolerance {tol.ToString(CultureInfo.InvariantCulture)} (marked !)");
            return flagged > 0 && parse.GetValue(fail) ? CliErrors.Failed : CliErrors.Ok;
        }));
        return command;
    }

    private static RunFolder Existing(string path) =>
        Directory.Exists(path) ? new RunFolder(path) : throw new DirectoryNotFoundException($"run folder '{path}' does not exist");

    private static void Print(IReadOnlyList<MetricChange> changes, TextWriter output)
    {
        var header = new[] { "", "model", "dataset", "explainer", "metric", "n", "mean A", "mean B", "Δ", "95% CI", "lost", "failed A/B" };
        var rows = changes.Select(c => new[]
        {
            c.Flagged ? "!" : "", c.Model, c.Dataset, c.Explainer.Length == 0 ? "-" : c.Explainer, c.Metric, c.Pairs.ToString(CultureInfo.InvariantCulture),
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
        ["ci_lower"] = Num(c.CiLower), ["ci_upper"] = Num(c.CiUpper), ["flagged"] = c.Flagged,
        ["failed_a"] = c.FailedA, ["failed_b"] = c.FailedB,
    }).ToArray());

    private static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;
}
