using LvlmEval.Tests.Infrastructure;
using LvlmEval.Tests.Models;

namespace LvlmEval.Tests.Explainers;

/// <summary>
/// Attention, rollout and logit-lens maps recomputed here, with full matrices in double precision, from the attention
/// maps and logit-lens logits of the float64 PyTorch LLaVA reference (tests/oracles/llava_oracle.py).
/// </summary>
public sealed class ExplainerReferenceTests
{
    private const double Tolerance = 1e-4;

    [Test]
    public void AttentionRolloutAndLogitLensMatchTheReferenceForward()
    {
        using var fx = new ExplainerFixture(new TinyLlava { TextLayers = 3, Seed = 41, KvHeads = 2 });
        int[] ids = [.. fx.PromptIds, .. fx.AnswerIds];
        var reference = LlavaOracle.Run(fx.ModelDir, fx.File("oracle"), ids, fx.Pixels);
        int s = ids.Length, heads = fx.Arch.Heads, layers = fx.Arch.TextLayers, patches = fx.Prepared.GridHeight * fx.Prepared.GridWidth;
        int patchStart = fx.Prepared.PatchTokenStart, vocab = TinyLlava.VocabSize;
        var attention = Enumerable.Range(0, layers).Select(l => reference.Read($"lm_attn_{l}")).ToArray();

        var attentionMaps = ExplainerFixture.Create("attention").Explain(fx.Request());
        var rollout = ExplainerFixture.Create("rollout").Explain(fx.Request());
        var lens = ExplainerFixture.Create("logit-lens").Explain(fx.Request());
        for (int t = 0; t < fx.AnswerIds.Length; t++)
        {
            int p = fx.PromptIds.Length + t - 1;
            var mean = new double[patches];
            for (int l = 0; l < layers; l++)
            for (int h = 0; h < heads; h++)
            for (int j = 0; j < patches; j++) mean[j] += attention[l][(h * s + p) * s + patchStart + j] / (layers * heads);
            TensorAssert.Close(attentionMaps.Tokens[t].Map.Values, mean, Tolerance, $"attention map, token {t}");

            // Rollout: R = Â_L ⋯ Â_1 as full matrices, Â = ½(mean_h A) + ½I.
            var r = Identity(s);
            for (int l = 0; l < layers; l++)
            {
                var a = new double[s * s];
                for (int h = 0; h < heads; h++)
                for (int i = 0; i < s * s; i++) a[i] += 0.5 * attention[l][h * s * s + i] / heads;
                for (int i = 0; i < s; i++) a[i * s + i] += 0.5;
                r = Multiply(a, r, s);
            }
            TensorAssert.Close(rollout.Tokens[t].Map.Values, Enumerable.Range(0, patches).Select(j => r[p * s + patchStart + j]).ToArray(), Tolerance, $"rollout map, token {t}");

            // Logit lens: max over layer outputs (hidden states 1 … L) of softmax(lens logits)[token].
            var best = Enumerable.Repeat(double.NegativeInfinity, patches).ToArray();
            for (int k = 1; k <= layers; k++)
            {
                var logits = reference.Read($"lens_{k}");
                for (int j = 0; j < patches; j++)
                {
                    var row = logits.AsSpan((patchStart + j) * vocab, vocab);
                    double max = double.NegativeInfinity, sum = 0;
                    foreach (var v in row) max = Math.Max(max, v);
                    foreach (var v in row) sum += Math.Exp(v - max);
                    best[j] = Math.Max(best[j], Math.Exp(row[fx.AnswerIds[t]] - max) / sum);
                }
            }
            TensorAssert.Close(lens.Tokens[t].Map.Values, best, Tolerance, $"logit-lens map, token {t}");
        }
    }

    private static double[] Identity(int n)
    {
        var m = new double[n * n];
        for (int i = 0; i < n; i++) m[i * n + i] = 1;
        return m;
    }

    private static double[] Multiply(double[] a, double[] b, int n)
    {
        var c = new double[n * n];
        for (int i = 0; i < n; i++)
        for (int k = 0; k < n; k++)
        {
            double v = a[i * n + k];
            if (v == 0) continue;
            for (int j = 0; j < n; j++) c[i * n + j] += v * b[k * n + j];
        }
        return c;
    }
}
