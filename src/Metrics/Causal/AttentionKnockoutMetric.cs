using LvlmEval.Common;
using LvlmEval.Common.Registries;
using LvlmEval.Explainers.Causal;
using LvlmEval.Metrics.Faithfulness;
using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;
using LvlmEval.Tensors;

namespace LvlmEval.Metrics.Causal;

/// <summary>
/// Attention knockout (Geva, Bastings, Filippova &amp; Globerson, EMNLP 2023, "Dissecting recall of factual associations
/// in auto-regressive language models"; on LLaVA: Yu &amp; Ananiadou 2024): block the attention edges of one information
/// flow in a window of <c>window</c> decoder layers centred on layer l (<see cref="LayerWindows"/>) and measure the
/// change of the answer's teacher-forced log-probability, Σ_t log p(y_t | knocked out) − Σ_t log p(y_t). Flows:
/// <c>image_to_answer</c> (the positions predicting answer tokens — the last prompt position and the answer tokens but
/// the last — may not read the image tokens), <c>question_to_answer</c> (nor the prompt text after the image), and
/// <c>image_to_question</c> (the prompt text after the image, but the last position, may not read the image). Curves
/// <c>knockout_{flow}</c>: step l, fraction l / (L − 1), score the change; rows <c>knockout_{flow}_min_logprob_delta</c>
/// (the most harmful window). The clean forward and every (flow, window) run go through the model in batches.
/// </summary>
public sealed class AttentionKnockoutMetric(ParameterSet parameters) : IMetric
{
    /// <summary>The three flows, in the order runs and rows are produced.</summary>
    public static readonly string[] Flows = ["image_to_answer", "question_to_answer", "image_to_question"];

    /// <summary>The curve metric of a flow: <c>knockout_{flow}</c>.</summary>
    public static string CurveName(string flow) => $"knockout_{flow}";

    /// <summary>Layers per window (default 1).</summary>
    public int Window { get; } = parameters.Int("window", 1, 1, 1000);

    /// <summary>Runs per forward (default 16).</summary>
    public int BatchSize { get; } = parameters.Int("batch_size", 16, 1, 4096);

    /// <summary>Registry entry: name, summary, paper, cost, scope and the rows it writes.</summary>
    public static Registration<IMetric> Registration { get; } = new(
        new Descriptor("attention-knockout", "answer log-probability change when image→answer, question→answer or image→question attention is blocked in a window of layers",
            "Geva, Bastings, Filippova & Globerson, EMNLP 2023 (attention knockout)", "1 + 3 × layers forwards, batched", Granularity.Sample,
        [
            new RowDescriptor("knockout_{image_to_answer|question_to_answer|image_to_question}_min_logprob_delta", Direction.Neither, double.NegativeInfinity, double.PositiveInfinity, Granularity.Sample,
                "the lowest answer log-probability change over the layer windows (the most harmful window)"),
        ]),
        p => new AttentionKnockoutMetric(p));

    /// <inheritdoc />
    public string Name => Registration.Descriptor.Name;

    /// <inheritdoc />
    public MetricScope Scope => MetricScope.Sample;

    /// <inheritdoc />
    public bool AppliesTo(MetricContext context) => context.AnswerIds.Length > 0;

    /// <summary>Query and key positions of a flow: answer = predicting positions, question = prompt text after the image but the last position.</summary>
    public static (int[] Queries, int[] Keys) Edges(PreparedInput prepared, int answerLength, string flow)
    {
        int promptLength = prepared.TokenIds.Length;
        var image = prepared.ImageTokenPositions.ToArray();
        var answer = Enumerable.Range(promptLength - 1, answerLength).ToArray();
        int questionStart = prepared.ImageTokenStart + prepared.ImageTokenCount;
        var question = Enumerable.Range(questionStart, Math.Max(0, promptLength - 1 - questionStart)).ToArray();
        return flow switch
        {
            "image_to_answer" => (answer, image),
            "question_to_answer" => (answer, question),
            "image_to_question" => (question, image),
            _ => throw new ArgumentException($"unknown flow '{flow}'; expected one of {string.Join(", ", Flows)}", nameof(flow)),
        };
    }

    /// <summary>Answer log-probability changes [flow][layer] for the flows and every window of <see cref="Window"/> layers.</summary>
    public double[][] Effects(LlavaModel model, PreparedInput prepared, int[] answerIds)
    {
        var single = prepared with { Pixels = Ops.Narrow(prepared.Pixels, 0, 0, 1) };
        int layers = model.Language.NumLayers;
        var windows = LayerWindows.Around(layers, Window);
        // Run 0 is the clean forward; run 1 + f·L + l blocks flow f in window l.
        int runs = 1 + Flows.Length * layers;
        var logProbability = new double[runs];
        for (int start = 0; start < runs; start += BatchSize)
        {
            int n = Math.Min(BatchSize, runs - start);
            var blocks = new List<AttentionBlock>();
            for (int b = 0; b < n; b++)
            {
                int run = start + b;
                if (run == 0) continue;
                var (queries, keys) = Edges(single, answerIds.Length, Flows[(run - 1) / layers]);
                if (queries.Length == 0 || keys.Length == 0) continue;
                foreach (int layer in windows[(run - 1) % layers]) blocks.Add(new AttentionBlock(layer, queries, keys, [b]));
            }
            var pixels = Ops.Concat(Enumerable.Repeat(single.Pixels, n).ToArray(), 0);
            var scores = model.AnswerLogProbabilities(single with { Pixels = pixels }, answerIds, blocks);
            for (int b = 0; b < n; b++) logProbability[start + b] = scores[b].Sum();
        }
        return Enumerable.Range(0, Flows.Length)
            .Select(f => Enumerable.Range(0, layers).Select(l => logProbability[1 + f * layers + l] - logProbability[0]).ToArray()).ToArray();
    }

    /// <inheritdoc />
    public MetricResult Compute(MetricContext context)
    {
        var effects = Effects(context.Model, context.Prepared, context.AnswerIds);
        int layers = context.Model.Language.NumLayers;
        var rows = new List<MetricRow>();
        var points = new List<CurvePoint>();
        for (int f = 0; f < Flows.Length; f++)
        {
            rows.Add(new MetricRow($"knockout_{Flows[f]}_min_logprob_delta", -1, effects[f].Min()));
            for (int l = 0; l < layers; l++) points.Add(new CurvePoint(CurveName(Flows[f]), l, LayerWindows.Depth(l, layers), effects[f][l]));
        }
        return new MetricResult(rows, points);
    }
}
