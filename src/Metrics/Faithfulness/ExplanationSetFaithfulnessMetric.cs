using LvlmEval.Common.Registries;
using LvlmEval.Common;
using LvlmEval.Models.Tracing;
using LvlmEval.Tensors;

namespace LvlmEval.Metrics.Faithfulness;

/// <summary>
/// Faithfulness of an explanation set (CLEANN's minimal set, Rohekar et al. 2023, or any explainer's top-k patches):
/// remove the set's image patches (replaced by the configured substrate) and measure the answer's change — the drop of
/// the teacher-forced answer's total log-probability and whether the first answer token stops being the argmax (a flip)
/// — against removing random sets of as many patches (<c>draws</c> sets, seeded per sample). All images of a sample
/// go through the model as one batch. With <c>top_k</c> = 0 the explanation's own set of the first answer token is
/// used (samples whose explanation has none, or whose set holds no patch, are skipped); with <c>top_k</c> &gt; 0 the
/// k highest patches of the sequence map, for every explainer alike. Text tokens of a set are not removed.
/// Rows (token −1): <c>set_size</c>, <c>set_logprob_drop</c>, <c>set_flip</c>, <c>random_logprob_drop</c> (mean),
/// <c>random_flip_rate</c>, <c>set_minus_random_logprob_drop</c> (higher = more faithful).
/// </summary>
public sealed class ExplanationSetFaithfulnessMetric : IMetric
{
    /// <summary>Reads <c>top_k</c> (0), <c>draws</c> (8) and the substrate parameters.</summary>
    public ExplanationSetFaithfulnessMetric(ParameterSet parameters)
    {
        TopK = parameters.Int("top_k", 0, 0, 100_000);
        Draws = parameters.Int("draws", 8, 1, 1000);
        Substrate = new SubstrateChoice(parameters);
    }

    /// <summary>0: the explanation's own set; k &gt; 0: the top-k patches of the sequence map.</summary>
    public int TopK { get; }

    /// <summary>Random sets per sample.</summary>
    public int Draws { get; }

    /// <summary>What removed patches are replaced with.</summary>
    public SubstrateChoice Substrate { get; }

    /// <summary>Registry entry: name, summary, paper, cost, scope and the rows it writes.</summary>
    public static Registration<IMetric> Registration { get; } = new(
        new Descriptor("explanation-set-faithfulness", "answer change when the explanation set's patches are removed, against random sets", "Rohekar, Gurwicz & Nisimov 2023 (CLEANN)", "1 + draws forwards per explanation, one batch", Granularity.Sequence,
        [
            new RowDescriptor("set_size", Direction.Neither, 0, double.PositiveInfinity, Granularity.Sequence, "patches in the removed set"),
            new RowDescriptor("set_logprob_drop", Direction.HigherIsBetter, double.NegativeInfinity, double.PositiveInfinity, Granularity.Sequence, "drop of the answer log-probability when the set is removed"),
            new RowDescriptor("set_flip", Direction.HigherIsBetter, 0, 1, Granularity.Sequence, "1 when the first answer token stops being the argmax"),
            new RowDescriptor("random_logprob_drop", Direction.Neither, double.NegativeInfinity, double.PositiveInfinity, Granularity.Sequence, "mean drop for random sets of the same size"),
            new RowDescriptor("random_flip_rate", Direction.Neither, 0, 1, Granularity.Sequence, "flip rate of random sets of the same size"),
            new RowDescriptor("set_minus_random_logprob_drop", Direction.HigherIsBetter, double.NegativeInfinity, double.PositiveInfinity, Granularity.Sequence, "set drop minus random drop; higher is more faithful"),
        ]),
        p => new ExplanationSetFaithfulnessMetric(p));

    /// <inheritdoc />
    public string Name => Registration.Descriptor.Name;

    /// <inheritdoc />
    public MetricScope Scope => MetricScope.Explanation;

    /// <inheritdoc />
    public bool AppliesTo(MetricContext context) =>
        context.Explanation is { } e && context.AnswerIds.Length > 0 && (TopK > 0 || e.Tokens[0].ExplanationSet is not null);

    /// <summary>The patches removed: the first token's set restricted to image patches, or the sequence map's top k.</summary>
    public int[] SetPatches(MetricContext context)
    {
        var explanation = context.Explanation ?? throw new ArgumentException($"{Name} scores an explanation; none was given.", nameof(context));
        var map = explanation.SequenceMap;
        int patches = map.Values.Length;
        if (TopK > 0) return PerturbationCurves.RankDescending(map.MissingAsMinimum().Values).Take(Math.Min(TopK, patches)).Order().ToArray();
        return (explanation.Tokens[0].ExplanationSet ?? []).Select(context.Prepared.PositionPatch).Where(p => p >= 0).ToArray();
    }

    /// <inheritdoc />
    public MetricResult Compute(MetricContext context)
    {
        var set = SetPatches(context);
        if (set.Length == 0) return MetricResult.Empty;
        var prepared = context.Prepared;
        var map = context.Explanation!.SequenceMap;
        int patches = map.Values.Length;
        var pixels = Ops.Narrow(prepared.Pixels, 0, 0, 1);
        int height = pixels.Dim(2), width = pixels.Dim(3);
        var image = Ops.Reshape(pixels, 3, height, width);
        var substrate = Substrate.ImageFor(image, context.Model.ImageProcessor);
        var units = PerturbationCurves.PatchUnits(map.GridHeight, map.GridWidth, height, width);

        // Image 0: the original; 1: the set removed; 2 …: random sets of the same size.
        var random = new Random(context.Seed);
        var sets = new List<int[]> { Array.Empty<int>(), set };
        for (int d = 0; d < Draws; d++)
            sets.Add(Enumerable.Range(0, patches).OrderBy(_ => random.Next()).Take(set.Length).ToArray());
        var batch = new Tensor(sets.Count, 3, height, width);
        int plane = height * width;
        for (int b = 0; b < sets.Count; b++)
        {
            var removed = new bool[patches];
            foreach (int p in sets[b]) removed[p] = true;
            var target = batch.Data.Slice(b * 3 * plane, 3 * plane);
            for (int c = 0; c < 3; c++)
                for (int i = 0; i < plane; i++)
                    target[c * plane + i] = removed[units[i]] ? substrate.Data[c * plane + i] : image.Data[c * plane + i];
        }
        var (logProbability, firstIsArgmax) = Score(context, batch);
        double setDrop = logProbability[0] - logProbability[1];
        double randomDrop = 0, randomFlips = 0;
        for (int b = 2; b < sets.Count; b++)
        {
            randomDrop += logProbability[0] - logProbability[b];
            randomFlips += firstIsArgmax[b] ? 0 : 1;
        }
        randomDrop /= Draws;
        randomFlips /= Draws;
        return new MetricResult(
        [
            new MetricRow("set_size", -1, set.Length),
            new MetricRow("set_logprob_drop", -1, setDrop),
            new MetricRow("set_flip", -1, firstIsArgmax[1] ? 0 : 1),
            new MetricRow("random_logprob_drop", -1, randomDrop),
            new MetricRow("random_flip_rate", -1, randomFlips),
            new MetricRow("set_minus_random_logprob_drop", -1, setDrop - randomDrop),
        ], []);
    }

    /// <summary>Per image: Σ_t log p(answer token t) teacher-forced, and whether answer token 0 is the argmax.</summary>
    private static (double[] LogProbability, bool[] FirstIsArgmax) Score(MetricContext context, Tensor pixels)
    {
        var prepared = context.Prepared with { Pixels = pixels };
        int promptLength = prepared.TokenIds.Length;
        var logits = context.Model.Forward(prepared, context.AnswerIds, new TraceOptions { LogitsFrom = promptLength - 1 }).Logits;
        int batch = logits.Dim(0), rows = logits.Dim(1), vocabulary = logits.Dim(2);
        var total = new double[batch];
        var argmax = new bool[batch];
        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < context.AnswerIds.Length; t++)
                total[b] += AnswerLikelihood.LogSoftmaxAt(logits.Data.Slice((b * rows + t) * vocabulary, vocabulary), context.AnswerIds[t]);
            var first = logits.Data.Slice(b * rows * vocabulary, vocabulary);
            int best = 0;
            for (int v = 1; v < vocabulary; v++) if (first[v] > first[best]) best = v;
            argmax[b] = best == context.AnswerIds[0];
        }
        return (total, argmax);
    }
}
