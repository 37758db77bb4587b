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
/// used (samples whose explanation has none, or whose set is empty, are skipped); with <c>top_k</c> &gt; 0 the
/// k highest patches of the sequence map and the <c>top_k_words</c> most relevant prompt text positions of the first
/// answer token's position relevance, for every explainer alike. A set's words (prompt text positions) are removed by
/// <c>words</c>: <c>attention</c> (no later position may attend to them in any layer), <c>embedding</c> (their merged
/// embeddings set to zero) or <c>keep</c>; random sets draw as many words from the prompt's text positions (position 0
/// and image tokens excepted) as well as as many patches.
/// Rows (token −1): <c>set_size</c> (patches), <c>set_words</c>, <c>set_logprob_drop</c>, <c>set_flip</c>,
/// <c>random_logprob_drop</c> (mean), <c>random_flip_rate</c>, <c>set_minus_random_logprob_drop</c> (higher = more faithful).
/// </summary>
public sealed class ExplanationSetFaithfulnessMetric : IMetric
{
    /// <summary>Reads <c>top_k</c> (0), <c>draws</c> (8) and the substrate parameters.</summary>
    public ExplanationSetFaithfulnessMetric(ParameterSet parameters)
    {
        TopK = parameters.Int("top_k", 0, 0, 100_000);
        TopKWords = parameters.Int("top_k_words", 0, 0, 100_000);
        Words = parameters.Choice("words", "attention", "attention", "embedding", "keep");
        Draws = parameters.Int("draws", 8, 1, 1000);
        Substrate = new SubstrateChoice(parameters);
    }

    /// <summary>0: the explanation's own set; k &gt; 0: the top-k patches of the sequence map.</summary>
    public int TopK { get; }

    /// <summary>With <see cref="TopK"/> &gt; 0: prompt text positions taken from the first token's position relevance.</summary>
    public int TopKWords { get; }

    /// <summary>How a set's words are removed: attention, embedding or keep.</summary>
    public string Words { get; }

    /// <summary>Random sets per sample.</summary>
    public int Draws { get; }

    /// <summary>What removed patches are replaced with.</summary>
    public SubstrateChoice Substrate { get; }

    /// <summary>Registry entry: name, summary, paper, cost, scope and the rows it writes.</summary>
    public static Registration<IMetric> Registration { get; } = new(
        new Descriptor("explanation-set-faithfulness", "answer change when the explanation set's patches are removed, against random sets", "Rohekar, Gurwicz & Nisimov 2023 (CLEANN)", "1 + draws forwards per explanation, one batch", Granularity.Sequence,
        [
            new RowDescriptor("set_size", Direction.Neither, 0, double.PositiveInfinity, Granularity.Sequence, "patches in the removed set"),
            new RowDescriptor("set_words", Direction.Neither, 0, double.PositiveInfinity, Granularity.Sequence, "prompt text positions in the removed set"),
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

    /// <summary>
    /// The prompt text positions removed (ascending): the first token's set members among <see cref="WordCandidates"/>,
    /// or with <see cref="TopK"/> &gt; 0 the <see cref="TopKWords"/> candidates of highest position relevance; none with <c>words: keep</c>.
    /// </summary>
    public int[] SetWords(MetricContext context)
    {
        var explanation = context.Explanation ?? throw new ArgumentException($"{Name} scores an explanation; none was given.", nameof(context));
        if (Words == "keep") return [];
        var candidates = WordCandidates(context.Prepared);
        if (TopK == 0) return (explanation.Tokens[0].ExplanationSet ?? []).Where(candidates.Contains).Order().ToArray();
        if (TopKWords == 0 || explanation.Tokens[0].PositionRelevance is not { } relevance) return [];
        return candidates.Where(p => p < relevance.Length).OrderByDescending(p => relevance[p]).ThenBy(p => p).Take(TopKWords).Order().ToArray();
    }

    /// <summary>Prompt positions a word removal may touch: text positions except position 0 (as text perturbation).</summary>
    public static int[] WordCandidates(Models.Llava.PreparedInput prepared) => TextPerturbationMetric.Candidates(prepared);

    /// <inheritdoc />
    public MetricResult Compute(MetricContext context)
    {
        var set = SetPatches(context);
        var words = SetWords(context);
        if (set.Length == 0 && words.Length == 0) return MetricResult.Empty;
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
        var wordSets = new List<int[]> { Array.Empty<int>(), words };
        var candidates = WordCandidates(prepared);
        for (int d = 0; d < Draws; d++)
        {
            sets.Add(Enumerable.Range(0, patches).OrderBy(_ => random.Next()).Take(set.Length).ToArray());
            wordSets.Add(words.Length == 0 ? [] : candidates.OrderBy(_ => random.Next()).Take(words.Length).Order().ToArray());
        }
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
        var (logProbability, firstIsArgmax) = Score(context, batch, wordSets);
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
            new MetricRow("set_words", -1, words.Length),
            new MetricRow("set_logprob_drop", -1, setDrop),
            new MetricRow("set_flip", -1, firstIsArgmax[1] ? 0 : 1),
            new MetricRow("random_logprob_drop", -1, randomDrop),
            new MetricRow("random_flip_rate", -1, randomFlips),
            new MetricRow("set_minus_random_logprob_drop", -1, setDrop - randomDrop),
        ], []);
    }

    /// <summary>Per image b, with the words wordSets[b] removed: Σ_t log p(answer token t) teacher-forced, and whether answer token 0 is the argmax.</summary>
    private (double[] LogProbability, bool[] FirstIsArgmax) Score(MetricContext context, Tensor pixels, List<int[]> wordSets)
    {
        var prepared = context.Prepared with { Pixels = pixels };
        int promptLength = prepared.TokenIds.Length, length = promptLength + context.AnswerIds.Length;
        var blocks = new List<AttentionBlock>();
        var hooks = new List<IHiddenStateHook>();
        for (int b = 0; b < wordSets.Count; b++)
        {
            var removed = wordSets[b];
            if (removed.Length == 0) continue;
            if (Words == "embedding")
                hooks.Add(new PatchHook(0, new Tensor(1, length, context.Model.Config.Text.HiddenSize), removed, [b]));
            else
            {
                // Every later position loses its edges to the removed words in every layer; the words' own rows are left as they are.
                var queries = Enumerable.Range(removed[0] + 1, length - removed[0] - 1).Except(removed).ToArray();
                for (int layer = 0; layer < context.Model.Language.NumLayers; layer++) blocks.Add(new AttentionBlock(layer, queries, removed, [b]));
            }
        }
        var trace = context.Model.Forward(prepared, context.AnswerIds, new TraceOptions { LogitsFrom = promptLength - 1, Hooks = hooks, AttentionBlocks = blocks });
        var logits = trace.Logits;
        int batch = logits.Dim(0), rows = logits.Dim(1), vocabulary = logits.Dim(2);
        var total = new double[batch];
        var argmax = new bool[batch];
        for (int b = 0; b < batch; b++)
        {
            total[b] = trace.AnswerTokenLogProbabilities(b).Sum();
            var first = logits.Data.Slice(b * rows * vocabulary, vocabulary);
            int best = 0;
            for (int v = 1; v < vocabulary; v++) if (first[v] > first[best]) best = v;
            argmax[b] = best == context.AnswerIds[0];
        }
        return (total, argmax);
    }
}
