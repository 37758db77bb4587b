using System.Text.RegularExpressions;
using LvlmEval.Models.Tracing;
using LvlmEval.Tensors;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Models;

/// <summary>
/// The one answer-scoring API (<c>LlavaModel.AnswerLogProbabilities</c>, <c>Trace.AnswerTokenLogProbabilities</c> and
/// its graph forms) against log-softmax of the PyTorch reference's float64 logits; and no module outside Models (and the
/// tensor kernels) computes answer log-probabilities with a log-softmax of its own.
/// </summary>
public sealed class AnswerLogProbabilityTests
{
    [Test]
    public void AnswerLogProbabilitiesMatchTorchForEveryImageOfABatch()
    {
        var arch = new TinyLlava { Seed = 9 };
        using var dir = new TempDir("answer-logprob");
        var model = arch.SaveAndLoad(dir);
        var prompt = arch.PromptIds(2, 3, 11);
        int[] answer = [5, 17, 42, 8];
        var pixels = Tensor.Randn(new Random(12), 2, 3, arch.ImageSize, arch.ImageSize);
        var reference = LlavaOracle.Run(dir.File("model"), dir.File("oracle"), [.. prompt, .. answer], pixels);
        var logits = reference.Read("logits"); // [2, S, V] float64
        int s = prompt.Length + answer.Length, v = TinyLlava.VocabSize;
        double Truth(int b, int t)
        {
            return ReferenceLogSoftmax.At(logits.AsSpan((b * s + prompt.Length - 1 + t) * v, v), answer[t]);
        }

        var prepared = model.FromTokenIds(prompt, pixels);
        var scores = model.AnswerLogProbabilities(prepared, answer);
        var graph = model.Forward(prepared, answer, new TraceOptions { Gradients = true });
        for (int b = 0; b < 2; b++)
        {
            Assert.That(scores[b], Has.Length.EqualTo(answer.Length));
            for (int t = 0; t < answer.Length; t++)
            {
                Assert.That(scores[b][t], Is.EqualTo(Truth(b, t)).Within(1e-4), $"image {b}, token {t}");
                Assert.That(graph.AnswerTokenLogProbability(t, b).Item(), Is.EqualTo(Truth(b, t)).Within(1e-4), $"graph form, image {b}, token {t}");
            }
            double total = Enumerable.Range(0, answer.Length).Sum(t => Truth(b, t));
            Assert.That(graph.AnswerLogProbability(b).Item(), Is.EqualTo(total).Within(1e-4), $"answer sum, image {b}");
        }
        Assert.That(scores[0], Is.Not.EqualTo(scores[1]), "the two images score the answer differently");
    }

    /// <summary>Files that take a log-softmax for something other than scoring the model's answer.</summary>
    private static readonly string[] OtherLogSoftmaxes =
    [
        "src/Explainers/Core/LensScores.cs",   // logit lens: intermediate hidden states through the head
        "src/Explainers/Hallucination/InternalConfidence.cs", // logit lens at image tokens (object names, not the answer)
        "src/Probing/Probes/SoftmaxProbe.cs",  // the probe's own classifier
        "src/Training/TinyLlavaTrainer.cs",    // the training loss
    ];

    [Test]
    public void NoModuleOutsideModelsScoresAnswersWithItsOwnLogSoftmax()
    {
        var pattern = new Regex(@"LogSoftmax|CrossEntropy|Math\.Log\(\s*sum\s*\)", RegexOptions.CultureInvariant);
        var offenders = Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RepoPaths.Root, f).Replace('\\', '/'))
            .Where(f => !f.Contains("/obj/") && !f.Contains("/bin/") && !f.StartsWith("src/Models/", StringComparison.Ordinal) && !f.StartsWith("src/Tensors/", StringComparison.Ordinal))
            .Where(f => !OtherLogSoftmaxes.Contains(f) && pattern.IsMatch(File.ReadAllText(Path.Combine(RepoPaths.Root, f))))
            .ToList();
        Assert.That(offenders, Is.Empty, "answer log-probabilities come from LlavaModel.AnswerLogProbabilities / Trace.AnswerTokenLogProbabilities");
    }
}
