using LvlmEval.Common.Registries;
using LvlmEval.Common;
using LvlmEval.Imaging.Perturbations;
using LvlmEval.Metrics.Faithfulness;
using LvlmEval.Models.Llava;
using LvlmEval.Tensors;

namespace LvlmEval.Metrics.Reliance;

/// <summary>
/// Behavioural reliance: how the model's own answer fares when the input changes. For each condition — the image
/// blanked to the normalisation mean colour (<c>blank</c>), replaced by another image of the dataset
/// (<c>other_image</c>, supplied by the runner), the question behind a fixed prefix (<c>prefix</c>: "Look at the image
/// and tell me: {question}" — a fixed rewording of the prompt, not a paraphrase) — it reports the change in
/// the teacher-forced answer log-probability Σ_t log p(y_t | x′, q′, y_&lt;t) − Σ_t log p(y_t | x, q, y_&lt;t)
/// (row <c>reliance_{condition}_logprob_delta</c>) and whether the first T greedy tokens differ from the answer
/// (row <c>reliance_{condition}_answer_changed</c>, 0 or 1).
/// </summary>
public sealed class BehaviouralRelianceMetric(ParameterSet parameters) : IMetric
{
    /// <summary>Whether the blank-image condition runs.</summary>
    public bool Blank { get; } = parameters.Bool("blank", true);

    /// <summary>Whether the other-image condition runs (when the runner supplies an image).</summary>
    public bool OtherImage { get; } = parameters.Bool("other_image", true);

    /// <summary>Whether the prefix condition runs.</summary>
    public bool Prefix { get; } = parameters.Bool("prefix", true);

    /// <summary>The question as the prefix condition asks it; <c>{question}</c> is replaced by the question.</summary>
    public string PrefixTemplate { get; } = parameters.String("prefix_template", "Look at the image and tell me: {question}");

    /// <summary>The row whose value, negated, is the sample's <c>samples.image_reliance</c>: the blank-image condition's log-probability change.</summary>
    public const string BlankLogProbabilityDeltaRow = "reliance_blank_logprob_delta";

    /// <summary>
    /// <c>samples.image_reliance</c> from the blank condition's row: the answer log-probability the image is worth,
    /// log p(y | x, q) − log p(y | blank, q) in nats. Positive when blanking the image makes the answer less likely
    /// (the answer rests on the image), near 0 when the question alone carries it, negative when the image argues against it.
    /// </summary>
    public static double ImageReliance(double blankLogProbabilityDelta) => -blankLogProbabilityDelta;

    /// <summary>Registry entry: name, summary, paper, cost, scope and the rows it writes.</summary>
    public static Registration<IMetric> Registration { get; } = new(
        new Descriptor("behavioural-reliance", "change of the answer log-probability when the image is blanked or swapped or the question paraphrased", "behavioural image reliance (input ablation)", "2 forwards and a short generation per condition", Granularity.Sample,
        [
            new RowDescriptor("reliance_{blank|other_image|prefix}_logprob_delta", Direction.Neither, double.NegativeInfinity, double.PositiveInfinity, Granularity.Sample, "answer log-probability under the condition minus under the original input"),
            new RowDescriptor("reliance_{blank|other_image|prefix}_answer_changed", Direction.Neither, 0, 1, Granularity.Sample, "1 when the greedy answer changes under the condition"),
        ]),
        p => new BehaviouralRelianceMetric(p));

    /// <inheritdoc />
    public string Name => Registration.Descriptor.Name;

    /// <inheritdoc />
    public MetricScope Scope => MetricScope.Sample;

    /// <inheritdoc />
    public bool AppliesTo(MetricContext context) => context.AnswerIds.Length > 0;

    /// <inheritdoc />
    public MetricResult Compute(MetricContext context)
    {
        var model = context.Model;
        var prepared = context.Prepared with { Pixels = Ops.Narrow(context.Prepared.Pixels, 0, 0, 1) };
        var answer = context.AnswerIds;
        var conditions = new List<(string Name, PreparedInput Input)>();
        var image = Ops.Select(prepared.Pixels, 0, 0);
        if (Blank)
            conditions.Add(("blank", prepared with { Pixels = Batch(Perturbation.SubstrateImage(image, ConstantColor.NormalizationMean)) }));
        if (OtherImage && context.OtherImage is { } other)
        {
            var processor = model.ImageProcessor ?? throw new ArgumentException($"{Name}: the model has no image processor for the replacement image.", nameof(context));
            conditions.Add(("other_image", prepared with { Pixels = Batch(processor.Preprocess(other)) }));
        }
        if (Prefix)
            conditions.Add(("prefix", model.PrepareTokens(PrefixedPrompt(context.Sample.Prompt, context.Sample.Question), PromptTemplate.Auto, prepared.Pixels)));
        double baseline = Sum(model.AnswerLogProbabilities(prepared, answer)[0]);
        var rows = new List<MetricRow>();
        foreach (var (name, input) in conditions)
        {
            double changedLogProbability = Sum(model.AnswerLogProbabilities(input, answer)[0]);
            var generated = model.Generate(input, answer.Length).TokenIds;
            bool changed = !generated.AsSpan().SequenceEqual(answer);
            rows.Add(new MetricRow($"reliance_{name}_logprob_delta", -1, changedLogProbability - baseline));
            rows.Add(new MetricRow($"reliance_{name}_answer_changed", -1, changed ? 1 : 0));
        }
        return new MetricResult(rows, []);
    }

    /// <summary>The sample's prompt with its question put through <see cref="PrefixTemplate"/> (the reworded question alone when the prompt does not contain it).</summary>
    public string PrefixedPrompt(string prompt, string question)
    {
        string reworded = PrefixTemplate.Replace("{question}", question, StringComparison.Ordinal);
        return prompt.Contains(question, StringComparison.Ordinal) ? prompt.Replace(question, reworded, StringComparison.Ordinal) : reworded;
    }

    private static Tensor Batch(Tensor image) => Ops.Reshape(image, [1, .. image.Shape]);

    private static double Sum(double[] values)
    {
        double sum = 0;
        foreach (double v in values) sum += v;
        return sum;
    }
}
