using System.Globalization;
using LvlmEval.Datasets;
using LvlmEval.Datasets.Shapes;
using LvlmEval.Explainers;
using LvlmEval.Explainers.Configuration;
using LvlmEval.Metrics;
using LvlmEval.Metrics.Localisation;
using LvlmEval.Models.Llava;

namespace LvlmEval.Tools;

/// <summary>
/// One method's result over a run of samples: the published pointing game's hit rate (<see cref="Accuracy"/>) with its
/// mean analytic chance level, and the top patch's evidence share with its chance level.
/// </summary>
public sealed record PointingResult(string Method, int Samples, double Accuracy, double MeanMilliseconds, double Chance = double.NaN,
    double TopPatchShare = double.NaN, double TopPatchShareChance = double.NaN);

/// <summary>
/// <c>explainers pointing --model DIR [--limit N] [--methods a,b] [--seed N]</c>: the pointing game on the Shapes test split —
/// for each question with an evidence mask, the model's greedy answer is explained and the sequence map's maximum
/// (nearest upsampling of the patch map, tied maximal pixels drawn with the question's seed) hits when it lies within the
/// metric's tolerance (15 px at 224 px, scaled to the input) of an evidence pixel, as published (Zhang et al. 2016).
/// The evidence share of the top patch is reported next to it.
/// </summary>
public static class ExplainersPointingCommand
{
    public const string Usage = "explainers pointing --model DIR [--limit N] [--methods relevancy,dexar,…] [--seed N]";

    /// <summary>The methods compared by default.</summary>
    public static readonly string[] DefaultMethods = ["relevancy", "dexar", "gradcam", "occlusion", "attention", "rollout", "logit-lens", "head-contribution", "input-x-gradient", "random", "center"];

    /// <summary>Parses the arguments after "explainers pointing", runs, prints a table; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        string? model = null;
        int limit = 100, seed = 0;
        var methods = DefaultMethods;
        for (int i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value. Usage: {Usage}");
            int Int() { var v = Next(); return int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{args[i - 1]} takes a positive integer, got '{v}'."); }
            switch (args[i])
            {
                case "--model": model = Next(); break;
                case "--limit": limit = Int(); break;
                case "--seed": seed = Int(); break;
                case "--methods": methods = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'. Usage: {Usage}");
            }
        }
        if (model is null) throw new ArgumentException($"--model is required. Usage: {Usage}");
        var results = Evaluate(LlavaModel.Load(model), methods, limit, seed);
        output.WriteLine($"pointing game, Shapes test split, {results[0].Samples} questions with evidence, model {model}");
        output.WriteLine($"{"method",-20} {"hit rate",9} {"chance",8} {"top share",10} {"chance",8} {"ms/sample",10}");
        foreach (var r in results)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Method,-20} {r.Accuracy,9:P1} {r.Chance,8:P1} {r.TopPatchShare,10:P1} {r.TopPatchShareChance,8:P1} {r.MeanMilliseconds,10:F1}"));
        return 0;
    }

    /// <summary>Pointing-game accuracy of each method over the first <paramref name="limit"/> Shapes test questions that have evidence.</summary>
    public static IReadOnlyList<PointingResult> Evaluate(LlavaModel model, IReadOnlyList<string> methods, int limit, int seed = 0)
    {
        var explainers = methods.Select(m => ExplainerRegistry.Create(m)).ToArray();
        foreach (var e in explainers) e.Validate(model);
        var metric = new PointingGameMetric(new ParameterSet("metric 'pointing-game'",
            new Dictionary<string, object?> { ["upsample"] = "nearest", ["per_token"] = false }));
        var hits = new double[explainers.Length];
        var chance = new double[explainers.Length];
        var share = new double[explainers.Length];
        var shareChance = new double[explainers.Length];
        var time = new double[explainers.Length];
        int samples = 0;
        var options = new DatasetOptions { Root = "", Split = "test", Settings = new Dictionary<string, string> { ["seed"] = seed.ToString(CultureInfo.InvariantCulture) } };
        foreach (var pending in new ShapesLoader().Index(options))
        {
            if (samples >= limit) break;
            var sample = pending.Build();
            if (sample.Evidence is null) continue;
            var image = sample.Image.Load();
            var prepared = model.Prepare(image, sample.Prompt);
            var answer = model.Generate(prepared, maxNewTokens: 4);
            if (answer.TokenIds.Length == 0) continue;
            var request = new ExplainRequest { Model = model, Prepared = prepared, AnswerIds = answer.TokenIds, Seed = samples, Traces = new TraceCache() };
            bool scored = false;
            for (int m = 0; m < explainers.Length; m++)
            {
                var explanation = explainers[m].Explain(request);
                var context = new MetricContext
                {
                    Model = model, Prepared = prepared, Image = image, Sample = sample, AnswerIds = answer.TokenIds, AnswerText = answer.Text,
                    Explanation = explanation, Seed = samples,
                };
                var rows = metric.Compute(context).Rows.Where(r => r.TokenIndex == -1).ToDictionary(r => r.Metric, r => r.Value);
                if (rows.Count == 0) break;
                scored = true;
                hits[m] += rows["pointing_game"];
                chance[m] += rows["pointing_game_chance"];
                share[m] += rows["top_patch_evidence_share"];
                shareChance[m] += rows["top_patch_evidence_share_chance"];
                time[m] += explanation.Cost.WallTime.TotalMilliseconds;
            }
            if (scored) samples++;
        }
        if (samples == 0) throw new InvalidOperationException("No Shapes test question with visible evidence was explained.");
        return methods.Select((m, i) => new PointingResult(m, samples, hits[i] / samples, time[i] / samples, chance[i] / samples,
            share[i] / samples, shareChance[i] / samples)).ToArray();
    }
}
