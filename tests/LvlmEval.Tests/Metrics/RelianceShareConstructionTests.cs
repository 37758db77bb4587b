using LvlmEval.Common;
using LvlmEval.Datasets;
using LvlmEval.Explainers;
using LvlmEval.Imaging;
using LvlmEval.Metrics;
using LvlmEval.Metrics.Reliance;
using LvlmEval.Models.Llava;
using LvlmEval.Tensors;
using LvlmEval.Tests.Explainers;
using LvlmEval.Tests.Infrastructure;
using LvlmEval.Tests.Models;

namespace LvlmEval.Tests.Metrics;

/// <summary>
/// The image share of relevance on models whose attention is built to ignore the image, or to see nothing else. Weights
/// (Qwen2 decoder, biased projections): dimension 0 of the residual stream is a flag, +1 on text embeddings and −1 on
/// image features (the projector's last bias), kept through every layer because no attention or MLP output writes it.
/// Queries are a constant bias B on one slowly rotating RoPE pair, keys read the flag with weight c on the same pair, so
/// every query scores key j as B·c·flag_j·cos(Δθ)/√d_head: with B·c = ±500 the disfavoured keys trail by tens of nats
/// and receive attention below e⁻²⁰. Expected (stated before measuring): a model whose every query prefers text keys
/// gives an image share ≈ 0, one whose queries prefer image keys ≈ 1 (tolerance 10⁻³, far above the e⁻²⁰ leakage), for
/// relevancy (R − I) and for rollout without its residual. Counting R's identity or rollout's α·I mass, which sits on the
/// explained (text) position, would pull the image-only model's share below 1.
/// </summary>
public sealed class RelianceShareConstructionTests
{
    private const float QueryBias = 50, KeyWeight = 10;

    [TestCase(+1, 0.0, TestName = "Attention that ignores the image gives an image share near 0")]
    [TestCase(-1, 1.0, TestName = "Attention only on the image gives an image share near 1")]
    public void ImageShareFollowsTheConstructedAttention(int sign, double expected)
    {
        var arch = new TinyLlava { Text = "qwen2", TextLayers = 3, Seed = 71 };
        using var dir = new TempDir("reliance-construction");
        var folder = dir.File("model");
        arch.Save(folder, Constructed(arch, sign * QueryBias));
        ExplainerFixture.WritePreprocessor(folder, arch.ImageSize);
        var model = LlavaModel.Load(folder);
        var prompt = arch.PromptIds(3, 4, arch.Seed + 5);
        var pixels = Tensor.Randn(new Random(arch.Seed + 10), 1, 3, arch.ImageSize, arch.ImageSize);
        var prepared = model.FromTokenIds(prompt, pixels);
        var request = new ExplainRequest { Model = model, Prepared = prepared, AnswerIds = [5, 9, 13], Seed = 0 };
        var sample = new Sample
        {
            Id = "s", Dataset = "test", Split = "test", Prompt = "p", Question = "q", Answers = ["a"],
            Image = ImageReference.FromFactory("blank", () => new RgbImage(arch.ImageSize, arch.ImageSize)),
        };
        var metric = new RelevanceShareMetric(new ParameterSet("metric 'relevance-share'", new Dictionary<string, object?>()));
        foreach (var name in new[] { "relevancy", "rollout" })
        {
            var explanation = ExplainerFixture.Create(name).Explain(request);
            var context = new MetricContext
            {
                Model = model, Prepared = prepared, Image = new RgbImage(arch.ImageSize, arch.ImageSize), Sample = sample,
                AnswerIds = request.AnswerIds, AnswerText = "", Explanation = explanation,
            };
            var rows = metric.Compute(context).Rows.Where(r => r.Metric == RelevanceShareMetric.ImageShareRow).ToList();
            Assert.That(rows.Select(r => r.TokenIndex), Is.EquivalentTo(new[] { -1, 0, 1, 2 }), $"{name}: every token has positive relevance");
            foreach (var row in rows) Assert.That(row.Value, Is.EqualTo(expected).Within(1e-3), $"{name}, token {row.TokenIndex}");
        }
    }

    /// <summary>The seeded tiny checkpoint with the flag and attention construction described above; <paramref name="queryBias"/> &gt; 0 prefers text keys.</summary>
    private static List<(string Name, Tensor Tensor)> Constructed(TinyLlava arch, float queryBias)
    {
        int d = TinyLlava.TextHidden, hd = d / arch.Heads, pair = hd / 2 - 1; // the lowest RoPE frequency: cos(Δθ) > 0.98 over the prompt
        var weights = arch.Weights();
        Tensor Get(string suffix) => weights.Single(w => w.Name.EndsWith(suffix, StringComparison.Ordinal)).Tensor;
        var embed = Get("embed_tokens.weight");
        for (int v = 0; v < TinyLlava.VocabSize; v++) embed.Data[v * d] = 1;
        var projWeight = Get("multi_modal_projector.linear_2.weight");
        projWeight.Data.Slice(0, d).Clear();
        Get("multi_modal_projector.linear_2.bias").Data[0] = -1;
        for (int l = 0; l < arch.TextLayers; l++)
        {
            string p = $"language_model.model.layers.{l}.";
            Get(p + "self_attn.o_proj.weight").Data.Slice(0, arch.Heads * hd).Clear();  // row 0: no attention output on the flag
            Get(p + "mlp.down_proj.weight").Data.Slice(0, 96).Clear();                   // row 0: no MLP output on the flag
            Get(p + "self_attn.q_proj.weight").Data.Clear();
            var qBias = Get(p + "self_attn.q_proj.bias").Data;
            qBias.Clear();
            for (int h = 0; h < arch.Heads; h++) qBias[h * hd + pair] = queryBias;
            var kWeight = Get(p + "self_attn.k_proj.weight").Data;
            var kBias = Get(p + "self_attn.k_proj.bias").Data;
            for (int g = 0; g < arch.KvHeads; g++)
                foreach (int row in new[] { g * hd + pair, g * hd + pair + hd / 2 })
                {
                    kWeight.Slice(row * d, d).Clear();
                    kBias[row] = 0;
                    if (row == g * hd + pair) kWeight[row * d] = KeyWeight;
                }
        }
        return weights;
    }
}
