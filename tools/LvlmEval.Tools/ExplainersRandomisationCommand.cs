using System.Globalization;
using LvlmEval.Datasets;
using LvlmEval.Datasets.Shapes;
using LvlmEval.Explainers;
using LvlmEval.Metrics.Pipeline;
using LvlmEval.Metrics.Sanity;
using LvlmEval.Models.Llava;

namespace LvlmEval.Tools;

/// <summary>One method after one cascade step: mean similarities with the trained model's map over the compared samples, and the failed ones.</summary>
public sealed record RandomisationSummary(string Method, string Group, int Compared, int Failed, double Spearman, double SpearmanAbsolute, double Ssim);

/// <summary>
/// <c>explainers randomisation --model DIR [--limit N] [--methods a,b] [--seed N] [--max-new-tokens N]</c>: the cascading model-parameter
/// randomisation test (Adebayo et al. 2018) with real explainers on a trained checkpoint. For each of the first N Shapes
/// test questions the trained model answers once; then, per method, a fresh copy of the model is randomised group by group
/// from the top (<see cref="ParameterRandomisation"/>) and the sequence map recomputed and compared with the trained map.
/// A step whose map is constant or non-finite is a failure (counted), never a similarity.
/// </summary>
public static class ExplainersRandomisationCommand
{
    public const string Usage = "explainers randomisation --model DIR [--limit N] [--methods relevancy,dexar,…] [--seed N] [--max-new-tokens N]";

    /// <summary>The methods run by default (the random map is the floor: it is unrelated to the model from the start).</summary>
    public static readonly string[] DefaultMethods = ["relevancy", "dexar", "gradcam", "input-x-gradient", "integrated-gradients", "occlusion", "attention", "rollout", "logit-lens", "random"];

    /// <summary>Parses the arguments after "explainers randomisation", runs, prints one table per statistic; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        string? model = null;
        int limit = 10, seed = 0, maxNewTokens = ExplainersPointingCommand.DefaultMaxNewTokens;
        var methods = DefaultMethods;
        for (int i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value. Usage: {Usage}");
            int Int() { var v = Next(); return int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : throw new ArgumentException($"{args[i - 1]} takes a non-negative integer, got '{v}'."); }
            int Tokens() { var v = Next(); return !int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? throw new ArgumentException($"--max-new-tokens takes an integer, got '{v}'.") : n >= 1 ? n : throw new ArgumentException("--max-new-tokens must be ≥ 1"); }
            switch (args[i])
            {
                case "--model": model = Next(); break;
                case "--limit": limit = Math.Max(1, Int()); break;
                case "--seed": seed = Int(); break;
                case "--max-new-tokens": maxNewTokens = Tokens(); break;
                case "--methods": methods = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'. Usage: {Usage}");
            }
        }
        if (model is null) throw new ArgumentException($"--model is required. Usage: {Usage}");
        var results = Evaluate(model, methods, limit, seed, maxNewTokens);
        int samples = results.Where(r => r.Method == methods[0]).Select(r => r.Compared + r.Failed).DefaultIfEmpty(0).Max();
        output.WriteLine($"cascading randomisation, Shapes test split, {samples} questions, model {model}; cells: mean over compared samples (failed in parentheses when any)");
        foreach (var (title, pick) in new (string, Func<RandomisationSummary, double>)[]
                 { ("Spearman with the trained map", r => r.Spearman), ("Spearman of |values|", r => r.SpearmanAbsolute), ("SSIM", r => r.Ssim) })
        {
            output.WriteLine();
            output.WriteLine(title);
            output.WriteLine($"{"randomised down to",-22}" + string.Concat(methods.Select(m => $" {m,21}")));
            foreach (var group in results.Select(r => r.Group).Distinct())
            {
                var line = $"{group,-22}";
                foreach (var m in methods)
                {
                    var r = results.Single(x => x.Method == m && x.Group == group);
                    var cell = r.Compared == 0 ? "nan" : pick(r).ToString("0.000", CultureInfo.InvariantCulture);
                    if (r.Failed > 0) cell += $" ({r.Failed})";
                    line += $" {cell,21}";
                }
                output.WriteLine(line);
            }
        }
        return 0;
    }

    /// <summary>
    /// The cascade for each method over the first <paramref name="limit"/> Shapes test questions, answered with at most
    /// <paramref name="maxNewTokens"/> tokens; each question's seed is a run's (<see cref="SampleInput.InRun"/>).
    /// </summary>
    public static IReadOnlyList<RandomisationSummary> Evaluate(string modelDir, IReadOnlyList<string> methods, int limit, int seed = 0,
        int maxNewTokens = ExplainersPointingCommand.DefaultMaxNewTokens)
    {
        var trained = LlavaModel.Load(modelDir);
        var explainers = methods.Select(m => ExplainerRegistry.All.Create(m)).ToArray();
        var steps = methods.ToDictionary(m => m, _ => new List<RandomisationStep>());
        var options = new DatasetOptions { Root = "", Split = "test", Settings = new Dictionary<string, string> { ["seed"] = seed.ToString(CultureInfo.InvariantCulture) } };
        // The trained model answers through the sample pipeline (as a run's sample would, seeds included); the cascade
        // then explains that answer on randomised copies, which only the explainer itself can do step by step.
        var answering = new SamplePipeline(new SampleRunOptions { MaxNewTokens = maxNewTokens, Errors = SampleErrorPolicy.Throw });
        // The pipeline only answers; the explainers the cascade runs are checked against the model as a pipeline's own would be.
        (answering.Options with { Explainers = explainers }).Validate(trained);
        string modelName = ExplainersPointingCommand.ModelName(modelDir);
        int samples = 0;
        foreach (var pending in new ShapesLoader().Index(options))
        {
            if (samples >= limit) break;
            var input = SampleInput.InRun(pending.Build(), seed, modelName, ExplainersPointingCommand.Dataset);
            var outcome = answering.Run(trained, input);
            var answer = outcome.Generation!;
            if (answer.TokenIds.Length == 0) continue;
            for (int m = 0; m < explainers.Length; m++)
            {
                // The cascade randomises in place: a fresh copy per method and sample.
                var copy = LlavaModel.Load(modelDir);
                var request = new ExplainRequest { Model = copy, Prepared = outcome.Prepared!, AnswerIds = answer.TokenIds, Seed = input.Seed };
                steps[methods[m]].AddRange(ParameterRandomisation.Cascade(copy, () => explainers[m].Explain(request).SequenceMap, seed: 1000 + samples));
            }
            samples++;
        }
        if (samples == 0) throw new InvalidOperationException("No Shapes test question was answered.");
        return methods.SelectMany(m => steps[m].GroupBy(s => s.Group).Select(g =>
        {
            var ok = g.Where(s => s.Compared).ToList();
            double Mean(Func<RandomisationStep, double> f) => ok.Count == 0 ? double.NaN : ok.Average(f);
            return new RandomisationSummary(m, g.Key, ok.Count, g.Count() - ok.Count, Mean(s => s.Spearman), Mean(s => s.SpearmanAbsolute), Mean(s => s.Ssim));
        })).ToArray();
    }
}
