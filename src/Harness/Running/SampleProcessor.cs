using System.Diagnostics;
using System.Text.Json;
using LvlmEval.Datasets;
using LvlmEval.Explainers;
using LvlmEval.Harness.Configuration;
using LvlmEval.Results;
using LvlmEval.Metrics;
using LvlmEval.Metrics.Hallucination;
using LvlmEval.Models.Editing;
using LvlmEval.Models.Tracing;
using LvlmEval.Metrics.Reliance;
using LvlmEval.Models.Llava;

namespace LvlmEval.Harness.Running;

/// <summary>
/// One (model, dataset, sample): load the image, generate once, score the answer, run the sample-level metrics, then each
/// pending explainer (sharing one traced forward) and the metrics on its explanation. Every failure becomes an error row; nothing here ends a run.
/// </summary>
internal sealed class SampleProcessor(ExperimentConfig config, string runId, RunTimings timings)
{
    public SampleResult Process(LlavaModel model, ModelSpec modelSpec, DatasetSpec dataset, Sample sample, bool needSampleRow,
        IReadOnlyList<ComponentSpec<IExplainer>> explainers, OtherImagePool? otherImages)
    {
        string modelName = modelSpec.Name;
        string? edit = modelSpec.EditLabel;
        var scores = new List<ScoreRecord>();
        var curves = new List<CurveRecord>();
        var maps = new List<MapRecord>();
        var errors = new List<ErrorRecord>();
        ErrorRecord Error(string? explainer, string stage, Exception e) =>
            new(modelName, dataset.Name, sample.Id, explainer, stage, $"{e.GetType().Name}: {e.Message}", 0, 0);
        SampleResult Result(SampleRecord? row) => new(row, scores, curves, maps, errors);

        RgbImageAndInput input;
        try
        {
            var image = sample.Image.Load();
            input = new RgbImageAndInput(image, model.Prepare(image, sample.Prompt, config.Generation.Template));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            errors.Add(Error(null, "load", e));
            return Result(null);
        }

        string? subject = ObjectQuestion.ObjectOf(sample);
        IReadOnlyList<IHiddenStateHook> hooks;
        try
        {
            hooks = modelSpec.Edits.Select(e => (IHiddenStateHook)ProjectAway.Hook(model, input.Prepared, subject is null ? [] : [subject], e)).ToList();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            errors.Add(Error(null, "edit", e));
            return Result(null);
        }

        GenerationResult generation;
        var clock = Stopwatch.StartNew();
        try
        {
            generation = model.Generate(input.Prepared, config.Generation.MaxNewTokens, hooks);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            errors.Add(Error(null, "generate", e));
            return Result(null);
        }
        var generationTime = clock.Elapsed;
        timings.AddGeneration(generationTime);
        int seed = SampleSeeds.For(config.Seed, modelName, dataset.Name, sample.Id);
        LvlmEval.Imaging.RgbImage? otherImage = null;
        if (needSampleRow && otherImages?.ImageFor(sample, SampleSeeds.ForEveryModel(config.Seed, dataset.Name, sample.Id)) is { } other)
        {
            try
            {
                otherImage = other.Load();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                errors.Add(Error(null, "load-other-image", e));
            }
        }
        var context = new MetricContext
        {
            Model = model, Prepared = input.Prepared, Image = input.Image, Sample = sample,
            AnswerIds = generation.TokenIds, AnswerText = generation.Text, Seed = seed, Hooks = hooks, OtherImage = otherImage,
        };

        SampleRecord? row = null;
        if (needSampleRow)
        {
            RunMetrics(context, "", MetricScope.Sample, modelName, dataset.Name, edit, scores, curves, errors);
            var blank = scores.FirstOrDefault(s => s.Explainer.Length == 0 && s.Metric == BehaviouralRelianceMetric.BlankLogProbabilityDeltaRow && s.TokenIndex == -1);
            row = new SampleRecord(runId, modelName, dataset.Name, sample.Split, sample.Id, sample.Question, sample.QuestionType,
                JsonSerializer.Serialize(sample.Answers), generation.Text, JsonSerializer.Serialize(generation.TokenIds),
                LvlmEval.Metrics.Task.TaskScorer.For(dataset.Format, dataset.Settings).Score(generation.Text, sample), blank is null ? null : BehaviouralRelianceMetric.ImageReliance(blank.Value), generationTime.TotalMilliseconds, edit, sample.ImageId);
        }

        // Generate once, trace once: one traced forward recording what every pending explainer reads serves them all.
        var traces = TraceCache.For(explainers.Select(e => e.Instance));
        foreach (var explainer in explainers)
        {
            Explanation explanation;
            clock.Restart();
            try
            {
                if (generation.TokenIds.Length == 0)
                    throw new InvalidOperationException("the model's answer is empty (end of sequence first); there is no token to explain");
                explanation = explainer.Instance.Explain(new ExplainRequest { Model = model, Prepared = input.Prepared, AnswerIds = generation.TokenIds, Seed = seed, Traces = traces, Subject = subject });
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                errors.Add(Error(explainer.Name, "explain", e));
                continue;
            }
            finally
            {
                timings.AddExplaining(clock.Elapsed);
            }
            AddMaps(explanation, model, modelName, dataset.Name, sample.Id, explainer.Name, generation.Text, maps);
            foreach (var effect in explanation.Effects)
                curves.Add(new CurveRecord(runId, modelName, dataset.Name, sample.Id, explainer.Name, effect.Name, effect.Step, effect.Fraction, effect.Value));
            RunMetrics(context with { Explanation = explanation }, explainer.Name, MetricScope.Explanation, modelName, dataset.Name, edit, scores, curves, errors);
        }
        return Result(row);
    }

    private void RunMetrics(MetricContext context, string explainer, MetricScope scope, string model, string dataset, string? edit,
        List<ScoreRecord> scores, List<CurveRecord> curves, List<ErrorRecord> errors)
    {
        var clock = Stopwatch.StartNew();
        foreach (var metric in config.Metrics)
        {
            if (metric.Instance.Scope != scope) continue;
            try
            {
                if (!metric.Instance.AppliesTo(context)) continue;
                var result = metric.Instance.Compute(context);
                foreach (var r in result.Rows)
                    scores.Add(new ScoreRecord(runId, model, dataset, context.Sample.Id, explainer, r.Metric, r.TokenIndex, r.Value, edit));
                foreach (var c in result.Curves)
                    curves.Add(new CurveRecord(runId, model, dataset, context.Sample.Id, explainer, c.Metric, c.Step, c.Fraction, c.Score));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                errors.Add(new ErrorRecord(model, dataset, context.Sample.Id, explainer.Length == 0 ? null : explainer, "metric",
                    $"metric '{metric.Name}': {e.GetType().Name}: {e.Message}", 0, 0));
            }
        }
        timings.AddScoring(clock.Elapsed);
    }

    private void AddMaps(Explanation explanation, LlavaModel model, string modelName, string dataset, string sampleId, string explainer, string answer, List<MapRecord> maps)
    {
        foreach (var token in explanation.Tokens)
            maps.Add(Map(modelName, dataset, sampleId, explainer, token.Index, model.Tokenizer?.Decode([token.TokenId]) ?? token.TokenId.ToString(System.Globalization.CultureInfo.InvariantCulture), token.Map));
        maps.Add(Map(modelName, dataset, sampleId, explainer, -1, answer, explanation.SequenceMap));
    }

    private MapRecord Map(string model, string dataset, string sampleId, string explainer, int tokenIndex, string token, PatchMap map) =>
        new(runId, model, dataset, sampleId, explainer, tokenIndex, token, map.GridHeight, map.GridWidth, map.Values.ToArray());

    private readonly record struct RgbImageAndInput(LvlmEval.Imaging.RgbImage Image, PreparedInput Prepared);
}
