using System.CommandLine;
using System.Globalization;
using LvlmEval.Harness.Configuration;
using LvlmEval.Harness.Running;

namespace LvlmEval.Harness.Cli;

/// <summary><c>run EXPERIMENT.yaml [--out DIR] [--limit N] [--shard i/n] [--resume] [--threads N] [--workers N]</c>.</summary>
public static class RunCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var experiment = new Argument<string>("EXPERIMENT.yaml") { Description = "Experiment file (see experiments/ and the YAML reference in README.md)." };
        var output = new Option<string?>("--out") { Description = "Run folder (default: the experiment's output, else reports/NAME).", HelpName = "DIR" };
        var limit = new Option<int?>("--limit") { Description = "At most N samples per dataset (quick checks).", HelpName = "N" };
        var shard = new Option<string?>("--shard") { Description = "Run shard i of n (0-based): independent workers splitting every dataset.", HelpName = "i/n" };
        var resume = new Option<bool>("--resume") { Description = "Continue the run folder, skipping finished (model, dataset, sample, explainer) keys." };
        var threads = new Option<int?>("--threads") { Description = "Compute threads (default: every core).", HelpName = "N" };
        var workers = new Option<int?>("--workers")
        {
            Description = $"Samples processed at once, each with single-threaded kernels (default: one per compute thread for models of at most {ExperimentRunner.SmallModelParameters / 1_000_000}M parameters, else 1). A run is reproducible for the same config, seed, --threads and --workers on the same machine; values depend on the kernels' thread count, so any N ≥ 2 gives the values of --workers 1 --threads 1, while one worker with threaded kernels may differ from them in the last bits.",
            HelpName = "N",
        };
        var command = new Command("run", """
            Run an experiment: every model × dataset × sample is generated once, explained by each explainer and scored by each metric.
            Results go to Parquet part files (samples/, scores/, curves/, maps/), errors.jsonl and manifest.json in the run folder.

            Examples:
              lvlm-eval run experiments/quickstart.yaml
              lvlm-eval run experiments/vqav2.yaml --limit 50 --out reports/vqav2-smoke
              lvlm-eval run experiments/nightly.yaml --shard 2/8 --out /shared/runs/nightly   (one worker of eight)
              lvlm-eval run experiments/nightly.yaml --resume --out /shared/runs/nightly       (after a crash)
            """) { experiment, output, limit, shard, resume, threads, workers };
        command.SetAction(parse => CliErrors.Guard(Console.Error, () =>
        {
            var (index, count) = parse.GetValue(shard) is { } s ? RunOptions.ParseShard(s) : (0, 1);
            if (parse.GetValue(limit) is < 0) throw new ArgumentException("--limit must be ≥ 0");
            if (parse.GetValue(threads) is < 1) throw new ArgumentException("--threads must be ≥ 1");
            if (parse.GetValue(workers) is < 1) throw new ArgumentException("--workers must be ≥ 1");
            var config = ExperimentLoader.Load(parse.GetValue(experiment)!);
            var options = new RunOptions
            {
                Output = parse.GetValue(output), Limit = parse.GetValue(limit), ShardIndex = index, ShardCount = count,
                Resume = parse.GetValue(resume), Threads = parse.GetValue(threads), Workers = parse.GetValue(workers),
            };
            bool interactive = !Console.IsOutputRedirected && !Console.IsErrorRedirected;
            var summary = ExperimentRunner.Run(config, options, Console.Out, interactive);
            var t = summary.Timings;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run folder {summary.Folder}: {summary.SamplesDone} samples processed, {summary.SamplesSkipped} already done, {summary.Errors} errors{(summary.Errors > 0 ? " (see errors.jsonl)" : "")}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"time: {t.Wall.TotalSeconds:0.0} s wall, {t.Model.TotalSeconds:0.0} s model forwards/backwards, {t.ModelLoading.TotalSeconds:0.0} s loading, {t.Workers} sample worker(s), harness overhead {t.Overhead.TotalSeconds:0.00} s ({100 * t.Overhead / t.Wall:0.0}%)"));
            if (count == 1) ReportCommand.WriteAfterRun(summary.Folder, Console.Out, Console.Error);
            else Console.WriteLine($"shard {index}/{count} done; when every shard is done: lvlm-eval merge {summary.Folder}");
            return CliErrors.Ok;
        }));
        return command;
    }
}
