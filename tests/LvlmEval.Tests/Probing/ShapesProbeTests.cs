using LvlmEval.Datasets;
using LvlmEval.Datasets.Shapes;
using LvlmEval.Models.Llava;
using LvlmEval.Probing.Extraction;
using LvlmEval.Probing.Probes;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Probing;

/// <summary>
/// Probes on the shipped Shapes models. Expected before measuring: the projector's mean image feature carries the queried
/// object's colour for both models (the blind variant was trained on real images half the time, so its tower still sees
/// colour), so a probe beats the control task by a clear margin (selectivity's 95 % CI above 0.1); yet the blind model's
/// answers to counter-prior star questions do not carry the colour (it says "yellow"), so their accuracy is below what
/// the probe decodes from its image features.
/// </summary>
public sealed class ShapesProbeTests
{
    private static readonly Lazy<List<Sample>> Samples = new(() => DatasetReader.Read(new ShapesLoader(), new DatasetOptions
    {
        Root = "", Split = "test", Settings = new Dictionary<string, string> { ["images"] = "240", ["pair_every"] = "0" },
    }).Select(e => e.Sample!).ToList());

    private static List<ActivationRecord> Extract(string modelName)
    {
        var model = LlavaModel.Load(Path.Combine(RepoPaths.Root, "models", modelName));
        var extractor = new ActivationExtractor(model, LayerCatalog.Resolve(model.Config, [LayerCatalog.Projector]), [Pooling.ImageMean]);
        return Samples.Value.Select(s =>
        {
            var result = extractor.Extract(model.Prepare(s.Image.Load(), s.Prompt), s.Answers[0]);
            return ActivationExtraction.ToRecord("test", modelName, "shapes", s, result, result.Vectors.Single());
        }).ToList();
    }

    private static IReadOnlyList<FoldResult> ColourProbe(List<ActivationRecord> rows)
    {
        var labelled = rows.Where(r => r.Colour is not null).ToList();
        int d = labelled[0].Dim;
        var x = new float[labelled.Count * d];
        for (int i = 0; i < labelled.Count; i++) labelled[i].Vector.CopyTo(x, i * d);
        var data = new ProbeData(x, d, labelled.Select(r => r.Colour!).ToList(), labelled.Select(r => r.ImageId).ToList(), labelled.Select(r => r.Question).ToList());
        return new ProbeTrainer(folds: 5, seed: 0).Run(data);
    }

    [TestCase("tiny-llava-shapes")]
    [TestCase("tiny-llava-shapes-blind")]
    public void ColourOfTheQueriedObjectIsDecodableFromTheProjectorWellAboveControl(string modelName)
    {
        var folds = ColourProbe(Extract(modelName));
        var (selectivity, half) = ProbeReferenceTests.MeanInterval(folds.Select(f => f.Selectivity));
        TestContext.Out.WriteLine($"{modelName}: accuracy {folds.Average(f => f.Accuracy):0.000}, control {folds.Average(f => f.ControlAccuracy):0.000}, selectivity {selectivity:0.000} ± {half:0.000}");
        Assert.That(selectivity - half, Is.GreaterThan(0.1));
    }

    [Test]
    public void BlindModelsImageFeaturesCarryColourItsCounterPriorAnswersDoNot()
    {
        var rows = Extract("tiny-llava-shapes-blind");
        var folds = ColourProbe(rows);
        var (accuracy, half) = ProbeReferenceTests.MeanInterval(folds.Select(f => f.Accuracy));
        var counterPrior = rows.Where(r => r.QuestionType == "color_counterprior").ToList();
        int right = counterPrior.Count(r => r.Correct == true);
        var (_, upper) = Wilson(right, counterPrior.Count);
        TestContext.Out.WriteLine($"probe accuracy {accuracy:0.000} ± {half:0.000}; counter-prior answers {right}/{counterPrior.Count} right (95 % upper {upper:0.000})");
        Assert.That(counterPrior, Is.Not.Empty);
        Assert.That(upper, Is.LessThan(accuracy - half));
    }

    // Wilson score interval for a binomial proportion (95 %).
    private static (double Lower, double Upper) Wilson(int successes, int n)
    {
        const double z = 1.959964;
        double p = (double)successes / n, denominator = 1 + z * z / n;
        double centre = (p + z * z / (2 * n)) / denominator;
        double half = z * Math.Sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / denominator;
        return (centre - half, centre + half);
    }
}
