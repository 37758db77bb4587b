using System.CommandLine;
using System.Globalization;
using LvlmEval.Harness.Configuration;
using LvlmEval.Harness.Results;
using LvlmEval.Harness.Running;
using LvlmEval.Models.Llava;
using LvlmEval.Probing.Extraction;

namespace LvlmEval.Harness.Cli;

/// <summary><c>extract EXPERIMENT.yaml [--out DIR] [--limit N] [--sqlite FILE] [--layers …] [--pooling …]</c>.</summary>
public static class ExtractCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var experiment = new Argument<string>("EXPERIMENT.yaml") { Description = "Experiment file with models, datasets and an extract: section (see docs/PROBES.md)." };
        var output = new Option<string?>("--out") { Description = "Run folder (default: the experiment's output, else reports/NAME).", HelpName = "DIR" };
        var limit = new Option<int?>("--limit") { Description = "At most N samples per dataset.", HelpName = "N" };
        var sqlite = new Option<string?>("--sqlite") { Description = "Also write VLM-LENS-style SQLite rows (table tensors; tensor = raw little-endian float32).", HelpName = "FILE" };
        var layers = new Option<string[]>("--layers") { Description = "Layers (module names, globs or all); overrides extract.layers.", AllowMultipleArgumentsPerToken = true, HelpName = "NAME" };
        var pooling = new Option<string[]>("--pooling") { Description = $"Poolings ({string.Join(", ", PoolingNames.All)}); overrides extract.pooling.", AllowMultipleArgumentsPerToken = true, HelpName = "P" };
        var threads = new Option<int?>("--threads") { Description = "Compute threads (default: every core).", HelpName = "N" };
        var command = new Command("extract", """
            Extract pooled activations of named layers for every model × dataset sample into RUN_DIR/activations/*.parquet
            (one row per sample × layer × pooling, with the sample's labels). Samples already in a complete part are skipped,
            so an interrupted extraction continues where it stopped. With extract.probe in the experiment, probes are trained
            afterwards (as lvlm-eval probe does).

            Examples:
              lvlm-eval extract experiments/probe-shapes.yaml
              lvlm-eval extract experiments/probe-shapes.yaml --layers 'language_model.model.layers.*' --pooling text-last --sqlite acts.db
            """) { experiment, output, limit, sqlite, layers, pooling, threads };
        command.SetAction(parse => CliErrors.Guard(Console.Error, () =>
        {
            if (parse.GetValue(limit) is < 0) throw new ArgumentException("--limit must be ≥ 0");
            if (parse.GetValue(threads) is < 1) throw new ArgumentException("--threads must be ≥ 1");
            var config = ExperimentLoader.Load(parse.GetValue(experiment)!);
            var spec = config.Extract ?? new ExtractSpec(["all"], [Pooling.ImageMean, Pooling.TextLast], 64, null, null, config.SourcePath);
            var layerNames = parse.GetValue(layers) is { Length: > 0 } l ? l : spec.Layers;
            var poolings = parse.GetValue(pooling) is { Length: > 0 } p ? p.Select(PoolingNames.Parse).ToList() : spec.Poolings;
            var settings = new ExtractionSettings
            {
                Layers = layerNames, Poolings = poolings, ChunkSamples = spec.ChunkSamples,
                SqlitePath = parse.GetValue(sqlite) ?? spec.Sqlite,
            };
            var folder = parse.GetValue(output) ?? config.Output;
            if (parse.GetValue(threads) is int t) LvlmEval.Tensors.ComputeThreads.Set(t);
            Run(config, settings, folder, parse.GetValue(limit), Console.Out, Console.Error);
            if (spec.Probe is { } probe) ProbeCommand.RunAndReport(folder, probe.Labels, probe.Layers, probe.Poolings, probe.Folds, config.Seed, Console.Out);
            return CliErrors.Ok;
        }));
        return command;
    }

    /// <summary>Extracts every model × dataset of <paramref name="config"/> into <paramref name="folder"/>.</summary>
    public static void Run(ExperimentConfig config, ExtractionSettings settings, string folder, int? limit, TextWriter output, TextWriter error)
    {
        string runId = Manifest.RunId(config);
        var table = new ActivationTable(folder);
        if (table.Parts().Count > 0 && table.ReadAll().FirstOrDefault() is { } first && first.RunId != runId)
            throw new RunFolderException($"{table.Folder} holds activations of run '{first.RunId}', made from a different experiment file than this one ('{runId}'); use --out a new folder");
        var options = new RunOptions { Limit = limit };
        var datasets = config.Datasets.Select(d => (Spec: d, Entries: ExperimentRunner.Entries(d, options))).ToList();
        foreach (var modelSpec in config.Models)
        {
            var model = LlavaModel.Load(modelSpec.Path);
            var layers = LayerCatalog.Resolve(model.Config, settings.Layers);
            WarnAboutSize(model, layers, settings, datasets.Sum(d => d.Entries.Count), error);
            foreach (var (spec, entries) in datasets)
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var summary = ActivationExtraction.Run(folder, runId, modelSpec.Name, model, spec.Name, entries, config.Generation.Template, settings, error);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{modelSpec.Name} / {spec.Name}: {summary.Extracted} samples extracted, {summary.Skipped} already done, {summary.Failed} failed, {summary.Rows} rows, {layers.Count} layers ({clock.Elapsed.TotalSeconds:0.0} s, {summary.ModelTime.TotalSeconds:0.0} s in the model)"));
            }
        }
        output.WriteLine($"activations: {table.Folder}");
    }

    // Pooling none stores every token of every layer: say how much before writing it.
    private static void WarnAboutSize(LlavaModel model, IReadOnlyList<ModelLayer> layers, ExtractionSettings settings, int samples, TextWriter error)
    {
        if (!settings.Poolings.Contains(Pooling.None)) return;
        var c = model.Config;
        long floats = 0;
        foreach (var layer in layers)
            floats += layer.Kind switch
            {
                LayerKind.Vision => (long)c.Vision.SequenceLength * c.Vision.HiddenSize,
                LayerKind.Projector => (long)c.ImageTokenCount * c.Text.HiddenSize,
                _ => (long)(c.ImageTokenCount + 64) * c.Text.HiddenSize,
            };
        error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"warning: pooling none stores every token: about {floats * 4 / 1e6:0.0} MB per sample before compression ({floats * 4.0 * samples / 1e9:0.00} GB for {samples} samples; language layers assume a 64-token prompt)"));
    }
}
