using System.Text.Json.Nodes;
using LvlmEval.Models.Editing;
using LvlmEval.Models.Tracing;
using LvlmEval.Tensors;
using LvlmEval.Tests.Infrastructure;
using LvlmEval.Tests.Models;

namespace LvlmEval.Tests.Hallucination;

/// <summary>
/// ProjectAway against a PyTorch transcription of the authors' <c>subtract_projections</c> hook and
/// <c>get_hidden_text_embedding</c>, on random tiny checkpoints of both families, and by its defining property.
/// </summary>
public sealed class ProjectAwayOracleTests
{
    private const double Tolerance = 1e-4;

    private static TinyLlava Family(string family) => family == "llama"
        ? new TinyLlava { Seed = 31, TextLayers = 3 }
        : new TinyLlava { Vision = "siglip_vision_model", Text = "qwen2", CurrentLayout = true, KvHeads = 2, Seed = 32, TextLayers = 3 };

    [TestCase("llama", 1, 1, 1.0, TestName = "Llama/CLIP: direction from hidden state 1, edit block 1's output, weight 1")]
    [TestCase("qwen2", 2, 0, 1.5, TestName = "Qwen2/SigLIP: direction from hidden state 2, edit block 0's output, weight 1.5")]
    [TestCase("llama", 3, 0, 2.0, TestName = "Llama/CLIP: direction from the last (normed) hidden state, weight 2")]
    public void EditedForwardMatchesTorch(string family, int textLayer, int imageLayer, double weight)
    {
        var arch = Family(family);
        using var dir = new TempDir("project-away");
        var model = arch.SaveAndLoad(dir);
        var ids = arch.PromptIds(2, 3, 6);
        var pixels = Tensor.Randn(new Random(8), 1, 3, arch.ImageSize, arch.ImageSize);
        var prepared = model.FromTokenIds(ids, pixels);
        int[][] names = [[1, 17, 23], [1, 45]];
        var directions = names.Select(n => ProjectAway.TextDirection(model, n, textLayer)).ToList();
        for (int i = 0; i < names.Length; i++)
            TensorAssert.Close(directions[i], HallucinationOracle.Direction(dir.File("model"), dir.File($"direction-{i}"), names[i], textLayer), Tolerance, $"text direction {i}");

        int[] answer = [9, 14];
        var hook = new ProjectAwayHook(imageLayer + 1, directions, prepared.ImageTokenPositions, (float)weight);
        var trace = model.Forward(prepared, answer, new TraceOptions { LanguageHiddenStates = true, Hooks = [hook] });
        var edit = new JsonObject
        {
            ["layer"] = imageLayer + 1,
            ["project_away"] = new JsonObject
            {
                ["directions"] = new JsonArray(directions.Select(d => (JsonNode)new JsonArray(d.Select(v => (JsonNode)(double)v).ToArray())).ToArray()),
                ["positions"] = new JsonArray(prepared.ImageTokenPositions.Select(p => (JsonNode)p).ToArray()),
                ["weight"] = weight,
            },
        };
        int[] full = [.. ids, .. answer];
        var reference = LlavaOracle.Run(dir.File("model"), dir.File("oracle"), full, pixels, edit: edit,
            targetSpec: new JsonObject { ["kind"] = "answer", ["answer_start"] = ids.Length });
        for (int k = 0; k < trace.LanguageHiddenStates.Count; k++)
            TensorAssert.Close(trace.LanguageHiddenStates[k].Data, reference.Read($"lm_hidden_{k}"), Tolerance, $"hidden state {k} after the edit");
        double answerLogProb = trace.AnswerLogProbability().Item();
        Assert.That(Math.Abs(answerLogProb - reference.TargetValue) / Math.Abs(reference.TargetValue), Is.LessThan(Tolerance), "answer log-probability after the edit");
        var plain = model.Forward(prepared, answer);
        Assert.That(Math.Abs(plain.AnswerLogProbability().Item() - reference.TargetValue), Is.GreaterThan(1e-4), "the edit changes the answer's log-probability");
    }

    /// <summary>
    /// The defining property with weight 1 (the authors' rule removes positive projections only): after the edit every
    /// image token's component along the direction is ≤ 0; tokens that had a positive one are exactly orthogonal
    /// (|h·t| / (‖h‖‖t‖) below float rounding), the others unchanged; text tokens are untouched.
    /// </summary>
    [TestCase("llama")]
    [TestCase("qwen2")]
    public void WeightOneLeavesImageTokensOrthogonalToTheDirection(string family)
    {
        var arch = Family(family);
        using var dir = new TempDir("project-away-orthogonal");
        var model = arch.SaveAndLoad(dir);
        var prepared = model.FromTokenIds(arch.PromptIds(2, 3, 7), Tensor.Randn(new Random(9), 1, 3, arch.ImageSize, arch.ImageSize));
        var text = ProjectAway.TextDirection(model, [1, 30, 31], 2);
        const int block = 0;
        var before = model.Forward(prepared, [], new TraceOptions { LanguageHiddenStates = true }).LanguageHiddenStates[block + 1];
        int d = TinyLlava.TextHidden, positives = 0;
        var image = prepared.ImageTokenPositions.ToHashSet();
        // The direction and its opposite: whichever side the image tokens lie on, one of the two has positive projections to remove.
        foreach (var direction in new[] { text, text.Select(v => -v).ToArray() })
        {
            var after = model.Forward(prepared, [], new TraceOptions { LanguageHiddenStates = true, Hooks = [new ProjectAwayHook(block + 1, [direction], prepared.ImageTokenPositions, 1f)] }).LanguageHiddenStates[block + 1];
            for (int p = 0; p < prepared.TokenIds.Length; p++)
            {
                var h0 = before.Data.Slice(p * d, d).ToArray();
                var h1 = after.Data.Slice(p * d, d).ToArray();
                double p0 = Dot(h0, direction), cosine = Dot(h1, direction) / Math.Sqrt(Dot(h1, h1) * Dot(direction, direction));
                if (image.Contains(p) && p0 > 0)
                {
                    positives++;
                    Assert.That(Math.Abs(cosine), Is.LessThan(1e-5), $"image token {p} is orthogonal to the direction after the edit");
                }
                else Assert.That(h1, Is.EqualTo(h0), $"token {p} (image token with a non-positive projection, or text) is unchanged");
            }
        }
        Assert.That(positives, Is.GreaterThan(0), "some image tokens had a positive projection to remove");
    }

    private static double Dot(float[] a, float[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += (double)a[i] * b[i];
        return s;
    }
}
