using System.Runtime.CompilerServices;
using LvlmEval.Common;
using LvlmEval.Common.Registries;
using LvlmEval.Explainers.Hallucination;
using LvlmEval.Metrics.Task;
using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;
using LvlmEval.Tensors;

namespace LvlmEval.Metrics.Hallucination;

/// <summary>
/// Object hallucination on object-presence questions (POPE, Li et al. 2023; the VOC and Shapes <c>prompt: pope</c>
/// questions): per sample, the object's internal confidence (Jiang et al. 2024, <see cref="InternalConfidence"/>), the
/// model's own probability of answering yes at the first answer token (the baseline detector), whether it said yes
/// (POPE's answer parsing) and whether the object is present. One forward over the prompt (under the run's edits)
/// gives both scores; <see cref="HallucinationSummary"/> turns the rows into AUROC, average precision, hallucination
/// rate and recall per run.
/// </summary>
public sealed class ObjectHallucinationMetric(ParameterSet parameters) : IMetric
{
    private static readonly ConditionalWeakTable<LlavaModel, int[]> YesTokens = new();
    private readonly InternalConfidenceOptions _options = InternalConfidenceParameters.Read(parameters);

    /// <summary>Row: internal confidence of the question's object.</summary>
    public const string ConfidenceRow = "internal_confidence";

    /// <summary>Row: the model's probability of a yes token at the first answer position.</summary>
    public const string YesProbabilityRow = "answer_yes_probability";

    /// <summary>Row: 1 when the model's answer parses as yes.</summary>
    public const string AnsweredYesRow = "answer_yes";

    /// <summary>Row: 1 when the object is in the image (the label).</summary>
    public const string PresentRow = "object_present";

    /// <summary>Registry entry: name, summary, paper, cost, scope and the rows it writes.</summary>
    public static Registration<IMetric> Registration { get; } = new(
        new Descriptor("object-hallucination", "internal confidence of the question's object and the model's own yes-probability, for detecting hallucinated objects", "Jiang et al. 2024 (internal confidence); Li et al. 2023 (POPE)", "1 forward over the prompt + (layers × image tokens) head products", Granularity.Sample,
        [
            new RowDescriptor(ConfidenceRow, Direction.Neither, 0, 1, Granularity.Sample, "max over image tokens and layers of the logit-lens probability of the object's name"),
            new RowDescriptor(YesProbabilityRow, Direction.Neither, 0, 1, Granularity.Sample, "the model's probability of a 'yes' token as its first answer token"),
            new RowDescriptor(AnsweredYesRow, Direction.Neither, 0, 1, Granularity.Sample, "1 when the answer parses as yes (POPE's rule)"),
            new RowDescriptor(PresentRow, Direction.Neither, 0, 1, Granularity.Sample, "1 when the object is in the image"),
        ]),
        p => new ObjectHallucinationMetric(p));

    /// <inheritdoc />
    public string Name => Registration.Descriptor.Name;

    /// <inheritdoc />
    public MetricScope Scope => MetricScope.Sample;

    /// <inheritdoc />
    public bool AppliesTo(MetricContext context) => ObjectQuestion.ObjectOf(context.Sample) is not null && ObjectQuestion.Present(context.Sample) is not null;

    /// <inheritdoc />
    public MetricResult Compute(MetricContext context)
    {
        var model = context.Model;
        var subject = ObjectQuestion.ObjectOf(context.Sample) ?? throw new ArgumentException($"{Name}: sample '{context.Sample.Id}' names no object.", nameof(context));
        bool present = ObjectQuestion.Present(context.Sample) ?? throw new ArgumentException($"{Name}: sample '{context.Sample.Id}' has no yes/no label.", nameof(context));
        var prepared = context.Prepared;
        var trace = model.Forward(prepared, [], new TraceOptions { LanguageHiddenStates = true, Hooks = context.Hooks, LogitsFrom = prepared.TokenIds.Length - 1 });
        var confidence = InternalConfidence.Compute(model, prepared, trace, subject, _options);
        var logits = Ops.Select(Ops.Select(trace.Logits, 0, 0), 0, 0);
        var probabilities = Ops.Softmax(logits).Data;
        double yes = 0;
        foreach (int id in YesTokens.GetValue(model, FindYesTokens)) yes += probabilities[id];
        return new MetricResult(
        [
            new MetricRow(ConfidenceRow, -1, confidence.Value),
            new MetricRow(YesProbabilityRow, -1, Math.Min(1, yes)),
            new MetricRow(AnsweredYesRow, -1, PopeAnswer.Parse(context.AnswerText) == "yes" ? 1 : 0),
            new MetricRow(PresentRow, -1, present ? 1 : 0),
        ], []);
    }

    // Every vocabulary entry that decodes to "yes" in any case, with or without a leading space or word-start mark.
    private static int[] FindYesTokens(LlavaModel model)
    {
        var tokenizer = model.Tokenizer ?? throw new InvalidOperationException($"{model.Folder}: tokenizer.json is missing; the yes-probability needs it.");
        int vocabulary = Math.Min(model.Language.LmHead.Rows, tokenizer.VocabularySize);
        var ids = new List<int>();
        for (int id = 0; id < vocabulary; id++)
            if (string.Equals(tokenizer.Decode([id], skipSpecialTokens: true).Trim(), "yes", StringComparison.OrdinalIgnoreCase)) ids.Add(id);
        if (ids.Count == 0) throw new InvalidOperationException($"{model.Folder}: no token of the vocabulary decodes to 'yes'.");
        return ids.ToArray();
    }
}
