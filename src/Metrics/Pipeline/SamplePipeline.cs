using System.Diagnostics;
using LvlmEval.Explainers;
using LvlmEval.Imaging;
using LvlmEval.Metrics.Hallucination;
using LvlmEval.Models.Editing;
using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;

namespace LvlmEval.Metrics.Pipeline;

/// <summary>
/// The one path from a sample to its scores: load the image, prepare the prompt, build the edits' hooks, generate the
/// greedy answer once, run the sample-level metrics, then each explainer (all sharing one traced forward) and the
/// explanation-level metrics on its explanation. <c>run</c>, <c>explain</c>, the explorer's <c>POST /api/explain</c> and
/// the tools' studies all call it and differ only in <see cref="SampleRunOptions"/> and the seed of <see cref="SampleInput"/>.
/// </summary>
public sealed class SamplePipeline(SampleRunOptions options)
{
    /// <summary>The options every sample runs with.</summary>
    public SampleRunOptions Options { get; } = options;

    /// <summary>
    /// Runs <paramref name="input"/> on <paramref name="model"/>. Under <see cref="SampleErrorPolicy.Collect"/> each failure
    /// is recorded and the sample continues where it can (a failed explainer skips its metrics; a failed metric skips
    /// itself); under <see cref="SampleErrorPolicy.Throw"/> the first failure is thrown. An empty answer has nothing to
    /// explain: explainers are skipped (collected as one failure each, never thrown).
    /// </summary>
    public SampleOutcome Run(LlavaModel model, SampleInput input)
    {
        var outcome = new SampleOutcome { Input = input };
        var sample = input.Sample;
        try
        {
            outcome.Image = sample.Image.Load();
            outcome.Prepared = model.Prepare(outcome.Image, sample.Prompt, Options.Template);
        }
        catch (Exception e) when (Collecting(e))
        {
            return Failed(outcome, "load", null, e);
        }

        var prepared = outcome.Prepared;
        string? subject = ObjectQuestion.ObjectOf(sample);
        try
        {
            outcome.Hooks = Options.Edits.Select(e => (IHiddenStateHook)ProjectAway.Hook(model, prepared, subject is null ? [] : [subject], e)).ToList();
        }
        catch (Exception e) when (Collecting(e))
        {
            return Failed(outcome, "edit", null, e);
        }

        var clock = Stopwatch.StartNew();
        try
        {
            outcome.Generation = model.Generate(prepared, Options.MaxNewTokens, outcome.Hooks);
        }
        catch (Exception e) when (Collecting(e))
        {
            return Failed(outcome, "generate", null, e);
        }
        outcome.GenerationTime = clock.Elapsed;
        var answer = outcome.Generation;

        RgbImage? otherImage = null;
        if (input.SampleMetrics && input.OtherImage is { } other)
        {
            try
            {
                otherImage = other.Load();
            }
            catch (Exception e) when (Collecting(e))
            {
                Failed(outcome, "load-other-image", null, e);
            }
        }
        var context = new MetricContext
        {
            Model = model, Prepared = prepared, Image = outcome.Image, Sample = sample,
            AnswerIds = answer.TokenIds, AnswerText = answer.Text, Seed = input.Seed, Hooks = outcome.Hooks, OtherImage = otherImage,
        };
        if (input.SampleMetrics) outcome.SampleMetrics.AddRange(Score(context, null, MetricScope.Sample, outcome));

        // Generate once, trace once: one traced forward recording what every pending explainer reads serves them all.
        var explainers = input.Explainers ?? Options.Explainers;
        var traces = outcome.Traces = TraceCache.For(explainers);
        foreach (var explainer in explainers)
        {
            if (answer.TokenIds.Length == 0)
            {
                outcome.Failures.Add(Failure("explain", explainer.Name,
                    new InvalidOperationException("the model's answer is empty (end of sequence first); there is no token to explain")));
                continue;
            }
            Explanation explanation;
            clock.Restart();
            try
            {
                explanation = explainer.Explain(new ExplainRequest
                {
                    Model = model, Prepared = prepared, AnswerIds = answer.TokenIds, Seed = input.Seed, Traces = traces, Subject = subject,
                });
            }
            catch (Exception e) when (Collecting(e))
            {
                Failed(outcome, "explain", explainer.Name, e);
                continue;
            }
            finally
            {
                outcome.ExplainingTime += clock.Elapsed;
            }
            var time = clock.Elapsed;
            var metrics = Score(context with { Explanation = explanation }, explainer.Name, MetricScope.Explanation, outcome);
            outcome.Explanations.Add(new ExplainerOutcome(explainer.Name, explanation, time, metrics));
        }
        return outcome;
    }

    private List<MetricOutcome> Score(MetricContext context, string? explainer, MetricScope scope, SampleOutcome outcome)
    {
        var clock = Stopwatch.StartNew();
        var results = new List<MetricOutcome>();
        foreach (var metric in Options.Metrics)
        {
            if (metric.Scope != scope) continue;
            try
            {
                if (metric.AppliesTo(context)) results.Add(new MetricOutcome(metric.Name, metric.Compute(context)));
            }
            catch (Exception e) when (Collecting(e))
            {
                outcome.Failures.Add(new SampleFailure("metric", explainer, $"metric '{metric.Name}': {Describe(e)}", e));
            }
        }
        outcome.ScoringTime += clock.Elapsed;
        return results;
    }

    // Out of memory is never a per-sample failure: the run's memory budget decides what happens next.
    private bool Collecting(Exception e) => Options.Errors == SampleErrorPolicy.Collect && e is not OutOfMemoryException;

    private static SampleOutcome Failed(SampleOutcome outcome, string stage, string? explainer, Exception e)
    {
        outcome.Failures.Add(Failure(stage, explainer, e));
        return outcome;
    }

    private static SampleFailure Failure(string stage, string? explainer, Exception e) => new(stage, explainer, Describe(e), e);

    private static string Describe(Exception e) => $"{e.GetType().Name}: {e.Message}";
}
