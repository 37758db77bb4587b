using LvlmEval.Models.Tracing;
using LvlmEval.Tensors;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Models;

/// <summary>
/// Captured value vectors and per-head attention outputs: the values equal W_V applied to the normalised layer input
/// recorded in the residual stream, and each head's output equals its attention row times its key/value head's values
/// (grouped-query mapping included); a plain trace records none.
/// </summary>
public sealed class ValueCaptureTests
{
    [Test]
    public void ValuesAndHeadOutputsFollowFromTheRecordedStreamAndAttention()
    {
        var arch = new TinyLlava { KvHeads = 2, Seed = 8 };
        using var dir = new TempDir("llava-values");
        var model = arch.SaveAndLoad(dir);
        var ids = arch.PromptIds(2, 4, 7);
        var input = model.FromTokenIds(ids, Tensor.Randn(new Random(4), 1, 3, arch.ImageSize, arch.ImageSize));
        var trace = model.Forward(input, [], new TraceOptions { LanguageAttentions = true, LanguageHiddenStates = true, LanguageValues = true });
        Assert.That(model.Forward(input, [], TraceOptions.Plain).LanguageValues, Is.Empty);

        int layers = model.Language.NumLayers, s = ids.Length;
        Assert.That((trace.LanguageValues.Count, trace.LanguageHeadOutputs.Count), Is.EqualTo((layers, layers)));
        for (int l = 0; l < layers; l++)
        {
            var decoder = model.Language.Layers[l];
            int heads = decoder.Attention.Heads, kv = decoder.Attention.KeyValueHeads, d = decoder.Attention.HeadDim;
            var expectedValues = decoder.Attention.Values(decoder.InputNorm.Forward(trace.LanguageHiddenStates[l])).ToArray();
            var values = trace.LanguageValues[l].ToArray();
            TensorAssert.Close(values, expectedValues.Select(v => (double)v).ToArray(), 1e-5, $"layer {l} values");

            var attention = trace.LanguageAttentions[l].ToArray();
            var outputs = trace.LanguageHeadOutputs[l];
            Assert.That(outputs.Shape, Is.EqualTo(new[] { 1, heads, s, d }));
            var expected = new float[heads * s * d];
            for (int h = 0; h < heads; h++)
            {
                int g = h / (heads / kv);
                for (int p = 0; p < s; p++)
                    for (int j = 0; j < s; j++)
                        for (int c = 0; c < d; c++)
                            expected[(h * s + p) * d + c] += attention[(h * s + p) * s + j] * values[(g * s + j) * d + c];
            }
            TensorAssert.Close(outputs.ToArray(), expected.Select(v => (double)v).ToArray(), 1e-5, $"layer {l} head outputs");
        }
    }
}
