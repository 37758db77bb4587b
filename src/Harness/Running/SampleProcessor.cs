using System.Text.Json;
using LvlmEval.Datasets;
using LvlmEval.Explainers;
using LvlmEval.Harness.Configuration;
using LvlmEval.Results;
using LvlmEval.Metrics;
using LvlmEval.Metrics.Pipeline;
using LvlmEval.Metrics.Reliance;
using LvlmEval.Models.Llava;

namespace LvlmEval.Harness.Running;

/// <summary>
/// One (model, dataset, sample) of a run: <see cref="SamplePipeline"/> with the experiment's token limit, template, edits,
/// explainers and metrics, collecting failures; its outcome becomes the rows of the results tables (every failure an
/// error row; nothing here ends a run).
/// </summary>
internal sealed class SampleProcessor(ExperimentConfig config, string runId, RunTimings timings)
{
    /// <summary>The pipeline options of <paramref name="modelSpec"/> in this experiment.</summary>
    public SampleRunOptions Options(ModelSpec modelSpec) => new()
    {
        MaxNewTokens = config.Generation.MaxNewTokens, Template = config.Generation.Template, Edits = modelSpec.Edits,
        Explainers = config.Explainers.Select(e => e.Instance).ToList(), Metrics = config.Metrics.Select(m => m.Instance).ToList(),
        Errors = SampleErrorPolicy.Collect,
    };

    public SampleResult Process(LlavaModel model, ModelSpec modelSpec, DatasetSpec dataset, Sample sample, bool needSampleRow,
        IReadOnlyList<ComponentSpec<IExplainer>> explainers, OtherImagePool? otherImages)
    {
        string modelName = modelSpec.Name;
        string? edit = modelSpec.EditLabel;
        var input = SampleInput.InRun(sample, config.Seed, modelName, dataset.Name) with
        {
            SampleMetrics = needSampleRow, Explainers = explainers.Select(e => e.Instance).ToList(),
            OtherImage = needSampleRow ? otherImages?.ImageFor(sample, SampleSeeds.ForEveryModel(config.Seed, dataset.Name, sample.Id)) : null,
        };
        var outcome = new SamplePipeline(Options(modelSpec)).Run(model, input);
        timings.AddGeneration(outcome.GenerationTime);
        timings.AddExplaining(outcome.ExplainingTime);
        timings.AddScoring(outcome.ScoringTime);

        var scores = new List<ScoreRecord>();
        var curves = new List<CurveRecord>();
        var maps = new List<MapRecord>();
        var errors = outcome.Failures.Select(f => new ErrorRecord(modelName, dataset.Name, sample.Id, f.Explainer, f.Stage, f.Message, 0, 0)).ToList();
        if (outcome.Generation is not { } generation) return new SampleResult(null, scores, curves, maps, errors);

        SampleRecord? row = null;
        if (needSampleRow)
        {
            AddScores(outcome.SampleMetrics, "", modelName, dataset.Name, sample.Id, edit, scores, curves);
            var blank = scores.FirstOrDefault(s => s.Explainer.Length == 0 && s.Metric == BehaviouralRelianceMetric.BlankLogProbabilityDeltaRow && s.TokenIndex == -1);
            row = new SampleRecord(runId, modelName, dataset.Name, sample.Split, sample.Id, sample.Question, sample.QuestionType,
                JsonSerializer.Serialize(sample.Answers), generation.Text, JsonSerializer.Serialize(generation.TokenIds),
                LvlmEval.Metrics.Task.TaskScorer.For(dataset.Format, dataset.Settings).Score(generation.Text, sample), blank is null ? null : BehaviouralRelianceMetric.ImageReliance(blank.Value),
                outcome.GenerationTime.TotalMilliseconds, edit, sample.ImageId, input.Seed);
        }
        foreach (var explained in outcome.Explanations)
        {
            AddMaps(explained.Explanation, model, modelName, dataset.Name, sample.Id, explained.Explainer, generation.Text, maps);
            foreach (var effect in explained.Explanation.Effects)
                curves.Add(new CurveRecord(runId, modelName, dataset.Name, sample.Id, explained.Explainer, effect.Name, effect.Step, effect.Fraction, effect.Value));
            AddScores(explained.Metrics, explained.Explainer, modelName, dataset.Name, sample.Id, edit, scores, curves);
        }
        return new SampleResult(row, scores, curves, maps, errors);
    }

    private void AddScores(IEnumerable<MetricOutcome> metrics, string explainer, string model, string dataset, string sampleId, string? edit,
        List<ScoreRecord> scores, List<CurveRecord> curves)
    {
        foreach (var (_, result) in metrics)
        {
            foreach (var r in result.Rows)
                scores.Add(new ScoreRecord(runId, model, dataset, sampleId, explainer, r.Metric, r.TokenIndex, r.Value, edit));
            foreach (var c in result.Curves)
                curves.Add(new CurveRecord(runId, model, dataset, sampleId, explainer, c.Metric, c.Step, c.Fraction, c.Score));
        }
    }

    private void AddMaps(Explanation explanation, LlavaModel model, string modelName, string dataset, string sampleId, string explainer, string answer, List<MapRecord> maps)
    {
        foreach (var token in explanation.Tokens)
            maps.Add(Map(modelName, dataset, sampleId, explainer, token.Index, model.Tokenizer?.Decode([token.TokenId]) ?? token.TokenId.ToString(System.Globalization.CultureInfo.InvariantCulture), token.Map));
        maps.Add(Map(modelName, dataset, sampleId, explainer, -1, answer, explanation.SequenceMap));
    }

    private MapRecord Map(string model, string dataset, string sampleId, string explainer, int tokenIndex, string token, PatchMap map) =>
        new(runId, model, dataset, sampleId, explainer, tokenIndex, token, map.GridHeight, map.GridWidth, map.Values.ToArray());
}
