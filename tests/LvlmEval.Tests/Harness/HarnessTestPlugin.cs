using LvlmEval.Explainers;
using LvlmEval.Common;
using LvlmEval.Common.Registries;
using LvlmEval.Harness.Plugins;
using LvlmEval.Metrics;
using LvlmEval.Models.Tracing;
using LvlmEval.Tensors;

namespace LvlmEval.Tests.Harness;

/// <summary>
/// Registers small real methods for harness tests: "test-gradient" (|input × gradient| of each answer token's logit pooled
/// per patch), "test-random" (seeded noise, to check per-sample seeds), "test-deletion" (patches zeroed in order of the map,
/// answer log-prob curve and AUC, one batched forward) and "test-blank" (sample level: log-prob change with a blank image).
/// </summary>
public sealed class HarnessTestPlugin : IPlugin
{
    /// <summary>Removes what <see cref="Register"/> added.</summary>
    public static void Unregister()
    {
        foreach (var name in new[] { "test-gradient", "test-random" }) ExplainerRegistry.All.Unregister(name);
        foreach (var name in new[] { "test-deletion", "test-blank" }) MetricRegistry.All.Unregister(name);
    }

    /// <inheritdoc/>
    public void Register()
    {
        const Granularity maps = Granularity.Token | Granularity.Sequence;
        ExplainerRegistry.All.Register(new(new Descriptor("test-gradient", "|input × gradient| per patch", "test", "1 forward + 1 backward per token", maps),
            p => new GradientExplainer(p.Int("scale", 1, 1, 100))));
        ExplainerRegistry.All.Register(new(new Descriptor("test-random", "seeded noise", "test", "none", maps), _ => new RandomExplainer()));
        MetricRegistry.All.Register(new(new Descriptor("test-deletion", "patch deletion", "test", "1 batched forward", Granularity.Sequence,
            [new RowDescriptor("test_deletion_auc", Direction.LowerIsBetter, double.NegativeInfinity, 0, Granularity.Sequence, "AUC of the answer log-prob")]),
            p => new DeletionMetric(p.Int("steps", 4, 1, 16))));
        MetricRegistry.All.Register(new(new Descriptor("test-blank", "log-prob change with a blank image", "test", "1 forward", Granularity.Sample,
            [new RowDescriptor("reliance_blank_logprob_delta", Direction.Neither, double.NegativeInfinity, double.PositiveInfinity, Granularity.Sample, "log-prob change")]),
            _ => new BlankMetric()));
    }

    private static PatchMap Pool(Tensor pixelsGrad, Tensor pixels, int gh, int gw)
    {
        int h = pixels.Dim(2), w = pixels.Dim(3), ph = h / gh, pw = w / gw;
        var g = pixelsGrad.Data;
        var x = pixels.Data;
        var values = new float[gh * gw];
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < h; y++)
                for (int xx = 0; xx < w; xx++)
                {
                    int i = (c * h + y) * w + xx;
                    values[Math.Min(y / ph, gh - 1) * gw + Math.Min(xx / pw, gw - 1)] += MathF.Abs(g[i] * x[i]);
                }
        return new PatchMap(gh, gw, values);
    }

    private sealed class GradientExplainer(int scale) : IExplainer
    {
        public string Name => "test-gradient";

        public Explanation Explain(ExplainRequest r)
        {
            var trace = r.Model.Forward(r.Prepared, r.AnswerIds, new TraceOptions { Gradients = true });
            int start = r.Prepared.TokenIds.Length;
            var tokens = new List<TokenExplanation>();
            var sequence = new float[r.Prepared.GridHeight * r.Prepared.GridWidth];
            for (int t = 0; t < r.AnswerIds.Length; t++)
            {
                trace.Backward(trace.Logit(start - 1 + t, r.AnswerIds[t]));
                var map = Pool(trace.Pixels.Grad!, trace.Pixels, r.Prepared.GridHeight, r.Prepared.GridWidth);
                for (int i = 0; i < sequence.Length; i++) sequence[i] += map.Values[i] *= scale;
                tokens.Add(new TokenExplanation(t, r.AnswerIds[t], map, null));
            }
            return new Explanation
            {
                Explainer = Name, Tokens = tokens, SequenceMap = new PatchMap(r.Prepared.GridHeight, r.Prepared.GridWidth, sequence),
                Cost = new ExplainerCost(1, r.AnswerIds.Length, TimeSpan.Zero),
            };
        }
    }

    private sealed class RandomExplainer : IExplainer
    {
        public string Name => "test-random";

        public Explanation Explain(ExplainRequest r)
        {
            var rng = new Random(r.Seed);
            int n = r.Prepared.GridHeight * r.Prepared.GridWidth;
            PatchMap Draw() => new(r.Prepared.GridHeight, r.Prepared.GridWidth, Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble()).ToArray());
            var tokens = r.AnswerIds.Select((id, t) => new TokenExplanation(t, id, Draw(), null)).ToList();
            return new Explanation { Explainer = Name, Tokens = tokens, SequenceMap = Draw(), Cost = ExplainerCost.None };
        }
    }

    private sealed class DeletionMetric(int steps) : IMetric
    {
        public string Name => "test-deletion";
        public MetricScope Scope => MetricScope.Explanation;
        public bool AppliesTo(MetricContext context) => context.Explanation is not null && context.AnswerIds.Length > 0;

        public MetricResult Compute(MetricContext context)
        {
            var p = context.Prepared;
            var map = context.Explanation!.SequenceMap;
            var order = Enumerable.Range(0, map.Values.Length).OrderByDescending(i => map.Values[i]).ThenBy(i => i).ToArray();
            int size = p.Pixels.Dim(2), patch = size / p.GridHeight;
            var batch = new float[(steps + 1) * 3 * size * size];
            for (int k = 0; k <= steps; k++)
            {
                var image = batch.AsSpan(k * 3 * size * size, 3 * size * size);
                p.Pixels.Data.CopyTo(image);
                int removed = order.Length * k / steps;
                for (int j = 0; j < removed; j++)
                {
                    int r = order[j] / p.GridWidth, c = order[j] % p.GridWidth;
                    for (int ch = 0; ch < 3; ch++)
                        for (int y = r * patch; y < (r + 1) * patch; y++)
                            image.Slice((ch * size + y) * size + c * patch, patch).Clear();
                }
            }
            var prepared = p with { Pixels = new Tensor(batch, steps + 1, 3, size, size) };
            var trace = context.Model.Forward(prepared, context.AnswerIds);
            var curve = new List<CurvePoint>();
            for (int k = 0; k <= steps; k++) curve.Add(new CurvePoint("test_deletion", k, (double)k / steps, trace.AnswerLogProbability(k).Item()));
            double auc = 0;
            for (int k = 1; k <= steps; k++) auc += (curve[k].Fraction - curve[k - 1].Fraction) * (curve[k].Score + curve[k - 1].Score) / 2;
            return new MetricResult([new MetricRow("test_deletion_auc", -1, auc), new MetricRow("test_top_patch", 0, order[0])], curve);
        }
    }

    private sealed class BlankMetric : IMetric
    {
        public string Name => "test-blank";
        public MetricScope Scope => MetricScope.Sample;
        public bool AppliesTo(MetricContext context) => context.AnswerIds.Length > 0;

        public MetricResult Compute(MetricContext context)
        {
            var p = context.Prepared;
            var both = new Tensor([.. p.Pixels.Data, .. new float[p.Pixels.Length]], 2, 3, p.Pixels.Dim(2), p.Pixels.Dim(3));
            var trace = context.Model.Forward(p with { Pixels = both }, context.AnswerIds);
            double original = trace.AnswerLogProbability(0).Item(), blank = trace.AnswerLogProbability(1).Item();
            return new MetricResult([new MetricRow("reliance_blank_logprob_delta", -1, blank - original)], []);
        }
    }
}
