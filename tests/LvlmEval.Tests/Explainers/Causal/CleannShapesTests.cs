using LvlmEval.Datasets;
using LvlmEval.Datasets.Shapes;
using LvlmEval.Explainers;
using LvlmEval.Metrics.Localisation;
using LvlmEval.Models.Llava;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Explainers.Causal;

/// <summary>
/// On the shipped Shapes model, CLEANN's explanation set of a colour answer should hold a patch of the queried object
/// more often than a random set of as many image patches would. Expected effect, stated before measuring: the answer
/// position attends to the object it names, so the excess hit rate (hit − chance, chance = 1 − C(P−e, k)/C(P, k) for k
/// set patches and e evidence patches out of P) is positive; asserted as the lower end of its 95 % normal interval
/// over the colour questions being above 0.
/// </summary>
public sealed class CleannShapesTests
{
    private const int Questions = 40;

    [Test]
    public void ColourAnswerSetsHoldTheObjectMoreOftenThanRandomSets()
    {
        var folder = Path.Combine(RepoPaths.Root, "models", "tiny-llava-shapes");
        if (!File.Exists(Path.Combine(folder, "config.json"))) Assert.Ignore($"{folder} is not present.");
        var model = LlavaModel.Load(folder);
        var explainer = ExplainerRegistry.Create("cleann");
        explainer.Validate(model);
        var excess = new List<double>();
        double hits = 0, chance = 0, sizes = 0, totalSizes = 0;
        var options = new DatasetOptions { Root = "", Split = "test", Settings = new Dictionary<string, string> { ["seed"] = "0" } };
        foreach (var pending in new ShapesLoader().Index(options))
        {
            if (excess.Count >= Questions) break;
            var sample = pending.Build();
            if (sample.QuestionType != "color" || sample.Evidence is null) continue;
            var image = sample.Image.Load();
            var prepared = model.Prepare(image, sample.Prompt);
            var answer = model.Generate(prepared, maxNewTokens: 4);
            if (answer.TokenIds.Length == 0) continue;
            var explanation = explainer.Explain(new ExplainRequest { Model = model, Prepared = prepared, AnswerIds = answer.TokenIds });
            int patches = prepared.GridHeight * prepared.GridWidth;
            var evidence = EvidencePatches(EvidenceProjection.ToModelInput(sample, image, model.ImageProcessor!), prepared.GridHeight, prepared.GridWidth);
            int e = evidence.Count(v => v);
            var set = explanation.Tokens[0].ExplanationSet!
                .Where(p => p >= prepared.PatchTokenStart && p < prepared.PatchTokenStart + patches)
                .Select(p => p - prepared.PatchTokenStart).ToArray();
            // Output form: the map is the set's membership (1 inside, 0 outside), the strength a fraction of heads.
            var token = explanation.Tokens[0];
            Assert.That(Enumerable.Range(0, patches).Select(p => token.Map.Values[p] == 1f), Is.EqualTo(Enumerable.Range(0, patches).Select(p => set.Contains(p))));
            Assert.That(token.SetStrength!.Values.Select((v, p) => v > 0), Is.EqualTo(token.Map.Values.Select(v => v == 1f)));
            int k = set.Length;
            sizes += k;
            totalSizes += explanation.Tokens[0].ExplanationSet!.Length;
            double hit = set.Any(p => evidence[p]) ? 1 : 0;
            double p0 = 1 - MissProbability(patches, e, k);
            hits += hit;
            chance += p0;
            excess.Add(hit - p0);
        }
        Assert.That(excess, Has.Count.GreaterThanOrEqualTo(20), "colour questions with evidence");
        double mean = excess.Average();
        double sd = Math.Sqrt(excess.Sum(x => (x - mean) * (x - mean)) / (excess.Count - 1));
        double low = mean - 1.96 * sd / Math.Sqrt(excess.Count);
        TestContext.Out.WriteLine($"CLEANN colour sets: hit rate {hits / excess.Count:P1}, random same-size sets {chance / excess.Count:P1}, excess {mean:F3} (95% CI low {low:F3}) over {excess.Count} questions; mean set {totalSizes / excess.Count:F1} positions, {sizes / excess.Count:F1} patches of {model.Config.Vision.GridSide * model.Config.Vision.GridSide}");
        Assert.That(low, Is.GreaterThan(0), $"hit rate {hits / excess.Count:P1} vs chance {chance / excess.Count:P1}");
    }

    /// <summary>Patches holding at least one evidence pixel of the model input.</summary>
    internal static bool[] EvidencePatches(EvidenceGrid evidence, int gridHeight, int gridWidth)
    {
        var inside = new bool[gridHeight * gridWidth];
        for (int y = 0; y < evidence.Height; y++)
            for (int x = 0; x < evidence.Width; x++)
                if (evidence.Inside[y * evidence.Width + x])
                    inside[y * gridHeight / evidence.Height * gridWidth + x * gridWidth / evidence.Width] = true;
        return inside;
    }

    /// <summary>Probability that k patches drawn without replacement from P miss all e evidence patches: C(P−e, k)/C(P, k).</summary>
    private static double MissProbability(int total, int evidence, int k)
    {
        double p = 1;
        for (int i = 0; i < k; i++) p *= (double)(total - evidence - i) / (total - i);
        return Math.Max(p, 0);
    }
}
