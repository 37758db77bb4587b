using Stopwatch = System.Diagnostics.Stopwatch;
using System.Globalization;
using LvlmEval.Datasets;
using LvlmEval.Datasets.Shapes;
using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;
using LvlmEval.Probing.Extraction;
using TraceOptions = LvlmEval.Models.Tracing.TraceOptions;

namespace LvlmEval.Bench.Probing;

/// <summary>
/// Activation extraction (every layer, image-mean + text-last + answer-first pooling) against a plain forward of the
/// same prepared samples on the shipped Shapes model, and the Parquet write per sample. Rounds interleave the variants;
/// the median round is reported.
/// </summary>
public sealed class ExtractionOverheadBenchmark : IBenchmark
{
    public string Name => "probing-extract";
    public string Description => "lvlm-eval extract's forward + pooling vs a plain forward (tiny Shapes model, 60 samples)";

    public void Run()
    {
        var root = PeerProcess.RepoRoot();
        var model = LlavaModel.Load(Path.Combine(root, "models", "tiny-llava-shapes"));
        var samples = DatasetReader.Read(new ShapesLoader(), new DatasetOptions
        {
            Root = "", Split = "test", Settings = new Dictionary<string, string> { ["images"] = "20", ["pair_every"] = "0" },
        }).Select(e => e.Sample!).ToList();
        var prepared = samples.Select(s => model.Prepare(s.Image.Load(), s.Prompt)).ToList();
        var answers = samples.Select(s => model.Tokenizer!.Encode(s.Answers[0], addSpecialTokens: false)[0]).ToArray();
        var layers = LayerCatalog.Resolve(model.Config, ["all"]);
        var pooled = new ActivationExtractor(model, layers, [Pooling.ImageMean, Pooling.TextLast]);
        var withAnswer = new ActivationExtractor(model, layers, [Pooling.ImageMean, Pooling.TextLast, Pooling.AnswerFirst]);

        var variants = new (string Name, Action<int> Body)[]
        {
            ("plain forward (TraceOptions.Plain)", i => model.Forward(prepared[i], [], TraceOptions.Plain)),
            ("plain forward, last-position logits", i => model.Forward(prepared[i], [], new TraceOptions { LogitsFrom = prepared[i].TokenIds.Length - 1 })),
            ("extract all layers: image-mean, text-last", i => pooled.Extract(prepared[i], (int?)answers[i])),
            ("extract all layers: + answer-first", i => withAnswer.Extract(prepared[i], (int?)answers[i])),
        };
        for (int i = 0; i < prepared.Count; i++) foreach (var v in variants) v.Body(i); // warm-up
        const int rounds = 9;
        var times = variants.Select(_ => new List<double>()).ToArray();
        for (int r = 0; r < rounds; r++)
            for (int v = 0; v < variants.Length; v++)
            {
                var clock = Stopwatch.StartNew();
                for (int i = 0; i < prepared.Count; i++) variants[v].Body(i);
                times[v].Add(clock.Elapsed.TotalMilliseconds / prepared.Count);
            }
        double baseline = Timing.Median(times[0]);
        Console.WriteLine($"{prepared.Count} samples, {layers.Count} layers, median of {rounds} rounds (ms per sample)");
        for (int v = 0; v < variants.Length; v++)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {variants[v].Name,-45} {Timing.Median(times[v]),8:0.000} ms  {Timing.Median(times[v]) / baseline,5:0.00}x"));

        // Writing: the rows of all samples as one Parquet part.
        var rows = samples.SelectMany((s, i) =>
        {
            var result = pooled.Extract(prepared[i], (int?)answers[i]);
            return result.Vectors.Select(v => ActivationExtraction.ToRecord("bench", "tiny", "shapes", s, result, v));
        }).ToList();
        var dir = Path.Combine(Path.GetTempPath(), "lvlmeval-bench-probing");
        var write = new List<double>();
        for (int r = 0; r < 5; r++)
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
            var clock = Stopwatch.StartNew();
            new ActivationTable(dir).WriteChunk(0, rows);
            write.Add(clock.Elapsed.TotalMilliseconds / samples.Count);
        }
        long bytes = new FileInfo(new ActivationTable(dir).Parts()[0]).Length;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  Parquet write {Timing.Median(write):0.000} ms per sample ({rows.Count / samples.Count} rows, {bytes / samples.Count} bytes per sample)"));
        Directory.Delete(dir, true);
    }
}
