using System.CommandLine;
using System.Globalization;
using LvlmEval.Harness.Reports;
using LvlmEval.Probing.Extraction;
using LvlmEval.Probing.Probes;

namespace LvlmEval.Harness.Cli;

/// <summary><c>probe RUN_DIR --label COLUMN… [--layers …] [--pooling …] [--folds K] [--seed S]</c>.</summary>
public static class ProbeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var run = new Argument<string>("RUN_DIR") { Description = "A run folder with activations/ (lvlm-eval extract)." };
        var label = new Option<string[]>("--label") { Description = $"Label column(s): {string.Join(", ", ActivationRecord.LabelColumns)}.", Required = true, AllowMultipleArgumentsPerToken = true, HelpName = "COLUMN" };
        var layers = new Option<string[]>("--layers") { Description = "Layers to probe (names or globs; default: every extracted layer).", AllowMultipleArgumentsPerToken = true, HelpName = "NAME" };
        var pooling = new Option<string[]>("--pooling") { Description = "Poolings to probe (default: every extracted pooling except none).", AllowMultipleArgumentsPerToken = true, HelpName = "P" };
        var folds = new Option<int>("--folds") { Description = "Outer cross-validation folds, split by image.", DefaultValueFactory = _ => 5, HelpName = "K" };
        var seed = new Option<int>("--seed") { Description = "Seed of the folds and the control task.", DefaultValueFactory = _ => 0, HelpName = "S" };
        var command = new Command("probe", """
            Train L2 multinomial logistic-regression probes per layer × pooling on extracted activations, with k-fold
            cross-validation split by image, inner CV for C, and a control task (Hewitt & Liang 2019). Writes
            RUN_DIR/probes.parquet and the probe chart into the report.

            Example:
              lvlm-eval probe reports/probe-shapes --label colour shape --pooling image-mean
            """) { run, label, layers, pooling, folds, seed };
        command.SetAction(parse => CliErrors.Guard(Console.Error, () =>
        {
            var dir = parse.GetValue(run)!;
            if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"run folder '{dir}' does not exist");
            if (parse.GetValue(folds) < 2) throw new ArgumentException("--folds must be ≥ 2");
            RunAndReport(dir, parse.GetValue(label)!, parse.GetValue(layers) ?? [], parse.GetValue(pooling) ?? [], parse.GetValue(folds), parse.GetValue(seed), Console.Out);
            return CliErrors.Ok;
        }));
        return command;
    }

    /// <summary>Trains the probes, writes probes.parquet, prints a summary and rewrites the report.</summary>
    public static void RunAndReport(string dir, IReadOnlyList<string> labels, IReadOnlyList<string> layers, IReadOnlyList<string> poolings, int folds, int seed, TextWriter output)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var probes = ProbeRun.Run(dir, labels, layers, poolings, folds, seed, Console.Error);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"probes: {probes.Count} fold rows in {Path.Combine(dir, ProbeRun.FileName)} ({clock.Elapsed.TotalSeconds:0.0} s)"));
        foreach (var g in probes.GroupBy(p => (p.Model, p.Label, p.Pooling)))
        {
            var best = g.GroupBy(p => p.Layer).Select(l => (Layer: l.Key, Accuracy: l.Average(p => p.Accuracy), Selectivity: l.Average(p => p.Selectivity))).MaxBy(l => l.Selectivity);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {g.Key.Model} / {g.Key.Label} / {g.Key.Pooling}: most selective {best.Layer} (accuracy {best.Accuracy:0.000}, selectivity {best.Selectivity:0.000})"));
        }
        var report = File.Exists(Path.Combine(dir, "manifest.json")) ? ReportWriter.Write(dir) : ReportWriter.WriteProbes(dir);
        output.WriteLine($"report: {report}");
    }
}
