using System.Diagnostics;
using System.Text.Json.Nodes;
using LvlmEval.Datasets;
using LvlmEval.Common;
using LvlmEval.Harness.Configuration;
using LvlmEval.Results;
using LvlmEval.Models.Llava;
using LvlmEval.Models;
using LvlmEval.Metrics.Reliance;
using LvlmEval.Tensors;

namespace LvlmEval.Harness.Running;

/// <summary>What a run did.</summary>
public sealed record RunSummary(string Folder, int SamplesDone, int SamplesSkipped, int Errors, RunTimings Timings);

/// <summary>
/// Runs an experiment: for each model × dataset (this shard's samples) × sample, generate once, trace once, run each explainer and
/// each metric; rows are flushed in chunks of part files so a killed run resumes where its last complete chunk ended.
/// </summary>
public static class ExperimentRunner
{
    /// <summary>Runs <paramref name="config"/> with <paramref name="options"/>; progress goes to <paramref name="output"/> (a bar when <paramref name="interactive"/>).</summary>
    public static RunSummary Run(ExperimentConfig config, RunOptions options, TextWriter output, bool interactive)
    {
        // Thread settings are process-wide: a run puts back what it found, so runs in one process do not leak them.
        int threadsBefore = ComputeThreads.Count;
        try
        {
            if (options.Threads is int threads) ComputeThreads.Set(threads);
            return RunWithThreads(config, options, output, interactive);
        }
        finally
        {
            ComputeThreads.Set(threadsBefore);
        }
    }

    private static RunSummary RunWithThreads(ExperimentConfig config, RunOptions options, TextWriter output, bool interactive)
    {
        MemoryBudget.Check(config, options.AvailableMemoryBytes ?? MemoryEstimator.AvailableBytes(), options.Workers, ComputeThreads.Count);
        var timings = new RunTimings();
        var folder = new RunFolder(options.Output ?? config.Output);
        int shard = options.ShardIndex, shardCount = options.ShardCount;
        bool ours(PartName p) => p.Shard == shard && p.ShardCount == shardCount;
        string manifestPath = shardCount == 1 ? folder.Manifest : Path.Combine(folder.Path, $"manifest-{shard:D3}-of-{shardCount:D3}.json");
        string runId = ExperimentManifest.RunId(config);

        bool hasParts = RunFolder.Tables.Any(t => folder.Parts(t).Any(ours));
        if (!options.Resume && (File.Exists(manifestPath) || hasParts))
            throw new RunFolderException($"{folder.Path} already holds this run{(shardCount > 1 ? $" (shard {shard}/{shardCount})" : "")}; pass --resume to continue it, or --out a new folder");
        var done = options.Resume ? Resume(folder, ours, shard, runId) : new DoneKeys([], [], [], 0);
        Directory.CreateDirectory(folder.Path);

        var started = DateTime.UtcNow;
        var manifest = ExperimentManifest.Create(config, shard, shardCount, started);
        if (options.Resume && File.Exists(manifestPath) && Manifest.Read(manifestPath)["started_utc"] is JsonNode first)
        {
            manifest["started_utc"] = first.DeepClone();
            manifest["resumed_utc"] = Manifest.Utc(started);
        }
        Manifest.Write(manifestPath, manifest);

        var datasets = config.Datasets.Select(d => (Spec: d, Entries: Entries(d, options))).ToList();
        var otherImages = datasets.ToDictionary(d => d.Spec.Name, d => OtherImages(config, d.Spec, d.Entries, options));
        int total = config.Models.Count * datasets.Sum(d => d.Entries.Count);
        var writer = new ChunkWriter(folder, shard, shardCount, done.NextChunk);
        var processor = new SampleProcessor(config, runId, timings);
        int processed = 0, skipped = 0;

        int kernelThreads = ComputeThreads.Count;
        try
        {
            RunProgress.Run(total, interactive, output, advance =>
            {
                var queue = new OrderedSampleQueue<SampleResult>((result, label) =>
                {
                    writer.Add(result);
                    processed++;
                    if (writer.PendingUnits >= config.ChunkSamples) Flush(writer, timings);
                    advance(label);
                });
                foreach (var modelSpec in config.Models)
                {
                    LlavaModel? model = null;
                    foreach (var (spec, entries) in datasets)
                        foreach (var entry in entries)
                        {
                            string id = entry.Sample?.Id ?? entry.Error!.SampleId;
                            var sampleKey = (modelSpec.Name, spec.Name, id);
                            bool needRow = !done.Samples.Contains(sampleKey);
                            var pending = config.Explainers.Where(e => !done.Explained.Contains((modelSpec.Name, spec.Name, id, e.Name))).ToList();
                            if (done.Failed.Contains(sampleKey) || (!needRow && pending.Count == 0))
                            {
                                skipped++;
                                advance($"{modelSpec.Name} · {spec.Name} · {id} (done)");
                                continue;
                            }
                            if (model is null)
                            {
                                model = LoadModel(modelSpec, config, timings);
                                queue.Workers = SampleWorkers(options.Workers, model.ParameterCount, kernelThreads);
                                timings.Workers = Math.Max(timings.Workers, queue.Workers);
                                // Workers each run whole samples; threaded kernels inside them would only contend for the same cores.
                                ComputeThreads.Set(queue.Workers > 1 ? 1 : kernelThreads);
                            }
                            var current = model;
                            queue.Submit(() => entry.Error is { } error
                                ? new SampleResult(null, [], [], [], [new ErrorRecord(modelSpec.Name, spec.Name, id, null, "load", error.ToString(), 0, 0)])
                                : processor.Process(current, modelSpec, spec, entry.Sample!, needRow, pending, otherImages[spec.Name]),
                                $"{modelSpec.Name} · {spec.Name} · {id}");
                        }
                    // One model's samples finish before the next model loads.
                    queue.Drain();
                }
                Flush(writer, timings);
            });
        }
        finally
        {
            ComputeThreads.Set(kernelThreads);
        }

        var final = RunResults.Read(folder, ours, samplesOnly: true);
        manifest["finished_utc"] = Manifest.Utc(DateTime.UtcNow);
        manifest["samples_done"] = final.Samples.Count;
        manifest["errors"] = final.Errors.Count;
        manifest["timing"] = timings.ToJson();
        Manifest.Write(manifestPath, manifest);
        return new RunSummary(folder.Path, processed, skipped, writer.ErrorsWritten, timings);
    }

    /// <summary>Models at most this many parameters run a sample per compute thread unless --workers says otherwise.</summary>
    public const long SmallModelParameters = 100_000_000;

    // A small model's forwards are too short for threaded kernels to use the cores; whole samples in parallel do.
    // A large one keeps one sample at a time with every core in its kernels (and one sample's activations in memory).
    internal static int SampleWorkers(int? workers, long parameters, int kernelThreads) =>
        workers ?? (parameters <= SmallModelParameters ? kernelThreads : 1);

    private static void Flush(ChunkWriter writer, RunTimings timings)
    {
        var clock = Stopwatch.StartNew();
        writer.Flush();
        timings.AddWriting(clock.Elapsed);
    }

    private static LlavaModel LoadModel(ModelSpec spec, ExperimentConfig config, RunTimings timings)
    {
        var clock = Stopwatch.StartNew();
        var model = LlavaModel.Load(spec.Path, MemoryBudget.StorageOf(spec));
        timings.AddModelLoading(clock.Elapsed);
        foreach (var explainer in config.Explainers)
        {
            try
            {
                explainer.Instance.Validate(model);
            }
            catch (ParameterException e)
            {
                throw new ExperimentConfigException(explainer.Location, $"{e.Message} (model '{spec.Name}')");
            }
        }
        return model;
    }

    // The other-image pool spans every shard's samples, so a sample's replacement image does not depend on the shard that runs it.
    private static OtherImagePool? OtherImages(ExperimentConfig config, DatasetSpec spec, List<DatasetEntry> entries, RunOptions options)
    {
        if (!config.Metrics.Any(m => m.Instance is BehaviouralRelianceMetric { OtherImage: true })) return null;
        var all = options.ShardCount == 1 ? entries : Entries(spec, options with { ShardIndex = 0, ShardCount = 1 });
        return new OtherImagePool(all.Where(e => e.Sample is not null).Select(e => e.Sample!));
    }

    internal static List<DatasetEntry> Entries(DatasetSpec spec, RunOptions options)
    {
        var loader = DatasetRegistry.All.Create(spec.Format);
        int? limit = (spec.Limit, options.Limit) switch
        {
            (int a, int b) => Math.Min(a, b),
            (int a, null) => a,
            (null, int b) => b,
            _ => null,
        };
        var datasetOptions = new DatasetOptions
        {
            Root = spec.Root, Split = spec.Split, SampleCount = spec.Sample, Seed = spec.Seed, Offset = spec.Offset, Limit = limit,
            ShardIndex = options.ShardIndex, ShardCount = options.ShardCount, Settings = spec.Settings,
        };
        try
        {
            return DatasetReader.Read(loader, datasetOptions).ToList();
        }
        catch (DatasetLayoutException e)
        {
            throw new ExperimentConfigException(spec.Location, e.Message.Split('\n')[0] + "; fix root or download the dataset (docs/DATASETS.md)");
        }
        catch (ArgumentException e)
        {
            throw new ExperimentConfigException(spec.Location, $"dataset '{spec.Name}': {e.Message}");
        }
    }

    private sealed record DoneKeys(
        HashSet<(string, string, string)> Samples, HashSet<(string, string, string)> Failed, HashSet<(string, string, string, string)> Explained, int NextChunk);

    // Removes the parts of this shard's incomplete chunks (a kill between part files) and collects the finished keys.
    private static DoneKeys Resume(RunFolder folder, Func<PartName, bool> ours, int shard, string runId)
    {
        var complete = folder.CompleteChunks().Where(ours).ToHashSet();
        int next = 1 + MaxChunk(folder, ours, shard);
        foreach (var table in RunFolder.Tables)
        {
            if (!Directory.Exists(folder.TableFolder(table))) continue;
            foreach (var part in folder.Parts(table).Where(p => ours(p) && !complete.Contains(p))) File.Delete(folder.PartPath(table, part));
            foreach (var temp in Directory.EnumerateFiles(folder.TableFolder(table), "*.tmp")) File.Delete(temp);
        }
        var existing = RunResults.Read(folder, ours);
        if (existing.Samples.FirstOrDefault() is { } first && first.RunId != runId)
            throw new RunFolderException($"{folder.Path} holds run '{first.RunId}', made from a different experiment file than this one ('{runId}'); --resume needs the same file, or --out a new folder");
        var samples = existing.Samples.Select(s => (s.Model, s.Dataset, s.SampleId)).ToHashSet();
        var explained = existing.Maps.Select(m => (m.Model, m.Dataset, m.SampleId, m.Explainer)).ToHashSet();
        var failed = existing.Errors.Where(e => e.Stage is "load" or "generate").Select(e => (e.Model, e.Dataset, e.SampleId)).ToHashSet();
        foreach (var e in existing.Errors.Where(e => e is { Explainer: not null, Stage: "explain" }))
            explained.Add((e.Model, e.Dataset, e.SampleId, e.Explainer!));
        return new DoneKeys(samples, failed, explained, next);
    }

    // The highest chunk number this shard ever used, in part files or errors, so new chunks never reuse a number
    // (errors of a chunk killed before its samples part must not be mistaken for a later complete chunk's).
    private static int MaxChunk(RunFolder folder, Func<PartName, bool> ours, int shard)
    {
        int max = -1;
        foreach (var table in RunFolder.Tables)
            foreach (var p in folder.Parts(table).Where(ours)) max = Math.Max(max, p.Chunk);
        foreach (var e in ErrorLog.Read(folder.Errors).Where(e => e.Shard == shard)) max = Math.Max(max, e.Chunk);
        return max;
    }
}
