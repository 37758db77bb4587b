using System.Globalization;
using LvlmEval.Datasets;
using LvlmEval.Datasets.Shapes;
using LvlmEval.Explainers;
using LvlmEval.Common;
using LvlmEval.Metrics;
using LvlmEval.Metrics.Localisation;
using LvlmEval.Metrics.Pipeline;
using LvlmEval.Models.Llava;

namespace LvlmEval.Tools;

/// <summary>
/// One method's result over a run of samples: the published pointing game's hit rate (<see cref="Accuracy"/>) with its
/// mean analytic chance level, and the top patch's evidence share with its chance level.
/// </summary>
public sealed record PointingResult(string Method, int Samples, double Accuracy, double MeanMilliseconds, double Chance = double.NaN,
    double TopPatchShare = double.NaN, double TopPatchShareChance = double.NaN);

/// <summary>
/// <c>explainers pointing --model DIR [--limit N] [--methods a,b] [--seed N] [--max-new-tokens N]</c>: the pointing game on the Shapes test split —
/// for each question with an evidence mask, the model's greedy answer is explained and the sequence map's maximum
/// (nearest upsampling of the patch map, tied maximal pixels drawn with the question's seed) hits when it lies within the
/// metric's tolerance (15 px at 224 px, scaled to the input) of an evidence pixel, as published (Zhang et al. 2016).
/// The evidence share of the top patch is reported next to it.
/// </summary>
public static class ExplainersPointingCommand
{
    public const string Usage = "explainers pointing --model DIR [--limit N] [--methods relevancy,dexar,…] [--seed N] [--max-new-tokens N]";

    /// <summary>Longest answer by default: Shapes answers are a word or two.</summary>
    public const int DefaultMaxNewTokens = 4;

    /// <summary>The dataset name the questions' seeds derive from (as in an experiment naming its Shapes dataset "shapes").</summary>
    public const string Dataset = "shapes";

    /// <summary>The methods compared by default.</summary>
    public static readonly string[] DefaultMethods = ["relevancy", "dexar", "gradcam", "occlusion", "attention", "rollout", "logit-lens", "head-contribution", "input-x-gradient", "random", "center"];

    /// <summary>Parses the arguments after "explainers pointing", runs, prints a table; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        string? model = null;
        int limit = 100, seed = 0, maxNewTokens = DefaultMaxNewTokens;
        var methods = DefaultMethods;
        for (int i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value. Usage: {Usage}");
            int Int() { var v = Next(); return int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{args[i - 1]} takes a positive integer, got '{v}'."); }
            int Tokens() { var v = Next(); return !int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? throw new ArgumentException($"--max-new-tokens takes an integer, got '{v}'.") : n >= 1 ? n : throw new ArgumentException("--max-new-tokens must be ≥ 1"); }
            switch (args[i])
            {
                case "--model": model = Next(); break;
                case "--limit": limit = Int(); break;
                case "--seed": seed = Int(); break;
                case "--max-new-tokens": maxNewTokens = Tokens(); break;
                case "--methods": methods = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'. Usage: {Usage}");
            }
        }
        if (model is null) throw new ArgumentException($"--model is required. Usage: {Usage}");
        var results = Evaluate(LlavaModel.Load(model), ModelName(model), methods, limit, seed, maxNewTokens);
        output.WriteLine($"pointing game, Shapes test split, {results[0].Samples} questions with evidence, model {model}");
        output.WriteLine($"{"method",-20} {"hit rate",9} {"chance",8} {"top share",10} {"chance",8} {"ms/sample",10}");
        foreach (var r in results)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Method,-20} {r.Accuracy,9:P1} {r.Chance,8:P1} {r.TopPatchShare,10:P1} {r.TopPatchShareChance,8:P1} {r.MeanMilliseconds,10:F1}"));
        return 0;
    }

    /// <summary>The name an experiment gives a model folder listed without <c>name:</c> (the folder's name), which the questions' seeds derive from.</summary>
    public static string ModelName(string modelDir) => Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(modelDir)));

    /// <summary>
    /// Pointing-game accuracy of each method over the first <paramref name="limit"/> Shapes test questions that have
    /// evidence. Each question goes through the sample pipeline as a sample of a run would: the Shapes scenes generated
    /// with <paramref name="seed"/>, the question's seed derived from <paramref name="seed"/> and the key (model
    /// <paramref name="modelName"/>, dataset "shapes", sample id), answers of at most <paramref name="maxNewTokens"/>
    /// tokens; so the numbers are a run's over the same questions with experiment seed <paramref name="seed"/>.
    /// </summary>
    public static IReadOnlyList<PointingResult> Evaluate(LlavaModel model, string modelName, IReadOnlyList<string> methods, int limit, int seed = 0,
        int maxNewTokens = DefaultMaxNewTokens)
    {
        var explainers = methods.Select(m => ExplainerRegistry.All.Create(m)).ToArray();
        var metric = new PointingGameMetric(new ParameterSet("metric 'pointing-game'",
            new Dictionary<string, object?> { ["upsample"] = "nearest", ["per_token"] = false }));
        var pipeline = new SamplePipeline(new SampleRunOptions
        {
            MaxNewTokens = maxNewTokens, Explainers = explainers, Metrics = [metric], Errors = SampleErrorPolicy.Throw,
        });
        pipeline.Options.Validate(model);
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
            var outcome = pipeline.Run(model, SampleInput.InRun(sample, seed, modelName, Dataset));
            if (outcome.Generation!.TokenIds.Length == 0) continue;
            bool scored = false;
            for (int m = 0; m < explainers.Length; m++)
            {
                var explained = outcome.Explanations[m];
                var rows = explained.Metrics.SelectMany(r => r.Result.Rows).Where(r => r.TokenIndex == -1).ToDictionary(r => r.Metric, r => r.Value);
                if (rows.Count == 0) break;
                scored = true;
                hits[m] += rows["pointing_game"];
                chance[m] += rows["pointing_game_chance"];
                share[m] += rows["top_patch_evidence_share"];
                shareChance[m] += rows["top_patch_evidence_share_chance"];
                time[m] += explained.Explanation.Cost.WallTime.TotalMilliseconds;
            }
            if (scored) samples++;
        }
        if (samples == 0) throw new InvalidOperationException("No Shapes test question with visible evidence was explained.");
        return methods.Select((m, i) => new PointingResult(m, samples, hits[i] / samples, time[i] / samples, chance[i] / samples,
            share[i] / samples, shareChance[i] / samples)).ToArray();
    }
}
