using LvlmEval.Datasets;
using LvlmEval.Datasets.Voc;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Datasets;

/// <summary><c>prompt: pope</c> on VOC and Shapes: POPE's balanced yes/no questions with its three negative samplings.</summary>
public sealed class PopePromptTests
{
    private static List<DatasetEntry> Voc(string root, string sampling) =>
        DatasetReader.Read(DatasetRegistry.Create("voc"), new DatasetOptions
        {
            Root = root, Settings = new Dictionary<string, string> { ["prompt"] = "pope", ["sampling"] = sampling, ["seed"] = "3" },
        }).ToList();

    // The fixture's split: image 1 holds dog and person, image 2 two potted plants; image 3's box is outside the image and
    // image 4 has no annotation, so each is one error. Each class is in one image and nothing co-occurs across images but
    // dog–person, so by POPE's definitions: popular negatives of image 1 are the most frequent absent classes (pottedplant,
    // then the first class in devkit order, aeroplane); image 2's are dog then person. Adversarial ranks by co-occurrence
    // with the present classes first: image 1's present classes co-occur only with each other, so it falls back to frequency.
    [TestCase("popular", new[] { "2008_000001/dog", "2008_000001/person", "2008_000001/no-pottedplant", "2008_000001/no-aeroplane", "2008_000002/pottedplant", "2008_000002/no-dog" })]
    [TestCase("adversarial", new[] { "2008_000001/dog", "2008_000001/person", "2008_000001/no-pottedplant", "2008_000001/no-aeroplane", "2008_000002/pottedplant", "2008_000002/no-dog" })]
    public void VocNegativesFollowPopesSampling(string sampling, string[] expectedIds)
    {
        using var dir = new TempDir();
        DatasetFixtures.Voc(dir.Path);
        var entries = Voc(dir.Path, sampling);
        Assert.That(entries.Count(e => e.Error is not null), Is.EqualTo(2));
        var samples = entries.Where(e => e.Sample is not null).Select(e => e.Sample!).ToList();
        Assert.That(samples.Select(s => s.Id), Is.EqualTo(expectedIds));
        Assert.That(samples.Select(s => s.Answers[0]), Is.EqualTo(new[] { "yes", "yes", "no", "no", "yes", "no" }));
        Assert.That(samples[4].Prompt, Is.EqualTo("Is there a potted plant in the image?\nAnswer the question using a single word or phrase."));
        Assert.That(samples.All(s => s.QuestionType == sampling));
        // Present classes carry the class's exact mask (class index pixels of the palette PNG); absent ones no evidence.
        var dogMask = samples[0].Evidence!.ToMask(20, 16);
        var expected = VocLoader.ClassMask(Path.Combine(dir.Path, "VOCdevkit", "VOC2012", "SegmentationClass", "2008_000001.png"), (byte)VocClasses.IndexOf("dog"));
        Assert.That(dogMask.Inside, Is.EqualTo(expected.Inside));
        Assert.That(dogMask.Area, Is.GreaterThan(0));
        Assert.That(samples[2].Evidence, Is.Null);
    }

    [Test]
    public void PopularTakesTheMostFrequentAndAdversarialTheMostCoOccurringAbsentObject()
    {
        // a is in 3 images (twice with c, once with b), d in 4, always alone. For an image holding only b, the most frequent
        // absent objects are d then a; the most co-occurring with b is a, then (no co-occurrence) the most frequent, d.
        // For d nothing co-occurs, so adversarial falls back to frequency (a); for a, c co-occurs twice and b once.
        string[][] images = [["a", "b"], ["a", "c"], ["a", "c"], ["d"], ["d"], ["d"], ["d"]];
        var sampler = new LvlmEval.Datasets.Pope.ObjectPresenceSampler(images, ["a", "b", "c", "d", "e"]);
        var rng = new Random(0);
        Assert.That(sampler.Negatives(["b"], 2, "popular", rng), Is.EqualTo(new[] { "d", "a" }));
        Assert.That(sampler.Negatives(["b"], 2, "adversarial", rng), Is.EqualTo(new[] { "a", "d" }));
        Assert.That(sampler.Negatives(["d"], 1, "adversarial", rng), Is.EqualTo(new[] { "a" }));
        Assert.That(sampler.Negatives(["a"], 2, "adversarial", rng), Is.EqualTo(new[] { "c", "b" }));
        Assert.That(sampler.Negatives(["a", "b", "c", "d"], 3, "random", rng), Is.EqualTo(new[] { "e" }));
    }

    [Test]
    public void VocRandomNegativesAreAbsentBalancedAndSeeded()
    {
        using var dir = new TempDir();
        DatasetFixtures.Voc(dir.Path);
        var a = Voc(dir.Path, "random").Where(e => e.Sample is not null).Select(e => e.Sample!).ToList();
        var b = Voc(dir.Path, "random").Where(e => e.Sample is not null).Select(e => e.Sample!).ToList();
        Assert.That(a.Select(s => s.Id), Is.EqualTo(b.Select(s => s.Id)));
        Assert.That(a.Count(s => s.Answers[0] == "yes"), Is.EqualTo(a.Count(s => s.Answers[0] == "no")));
        foreach (var s in a.Where(s => s.Answers[0] == "no"))
        {
            var image = s.Metadata["image_id"];
            var objects = DatasetFixtures.VocImages.Single(i => i.Id == image).Objects.Select(o => o.Name);
            Assert.That(objects, Does.Not.Contain(s.Metadata["class"]), s.Id);
        }
    }

    [TestCase("random")]
    [TestCase("popular")]
    [TestCase("adversarial")]
    public void ShapesQuestionsAgreeWithTheSceneAndIncludeThePriorTraps(string sampling)
    {
        var options = new DatasetOptions
        {
            Root = "", Split = "test",
            Settings = new Dictionary<string, string> { ["prompt"] = "pope", ["sampling"] = sampling, ["images"] = "40", ["layout"] = "free" },
        };
        var samples = SampleAssert.Samples("shapes", options);
        int traps = 0;
        foreach (var s in samples)
        {
            string kind = s.Metadata["object"], scene = s.Metadata["scene"];
            bool inScene = scene.Split("; ").Any(o => o.StartsWith(kind + " (", StringComparison.Ordinal));
            Assert.That(s.Answers[0], Is.EqualTo(inScene ? "yes" : "no"), s.Id);
            Assert.That(s.Question, Is.EqualTo($"Is there a {kind} in the image?"));
            if (s.QuestionType == "prior_trap")
            {
                traps++;
                Assert.That(kind, Is.EqualTo("yellow star"));
                Assert.That(scene, Does.Contain(" star (").And.Not.Contain("yellow star"));
            }
            else Assert.That(s.QuestionType, Is.EqualTo(sampling));
            if (!inScene) { Assert.That(s.Evidence, Is.Null); continue; }
            // The evidence mask is exactly the pixels of the named colour (objects are drawn without anti-aliasing).
            var image = s.Image.Load();
            var mask = s.Evidence!.ToMask(image.Width, image.Height);
            var rgb = LvlmEval.Datasets.Shapes.ShapeVocabulary.Colors[LvlmEval.Datasets.Shapes.ShapeVocabulary.ColorIndex(kind.Split(' ')[0])];
            for (int p = 0; p < mask.Inside.Length; p++)
                if (mask.Inside[p])
                    Assert.That((image.Pixels[3 * p], image.Pixels[3 * p + 1], image.Pixels[3 * p + 2]), Is.EqualTo((rgb.R, rgb.G, rgb.B)), s.Id);
            Assert.That(mask.Area, Is.GreaterThan(0));
        }
        Assert.That(samples.Count(s => s.Answers[0] == "no" && s.QuestionType != "prior_trap"), Is.EqualTo(samples.Count(s => s.Answers[0] == "yes")));
        // The test split's stars are yellow only half the time, so some scenes with a star of another colour are asked about
        // a yellow star and the answer is no: as the trap question under random sampling, as a popular or co-occurring
        // absent object otherwise.
        var trapped = samples.Where(s => s.Metadata["object"] == "yellow star" && s.Answers[0] == "no" && s.Metadata["scene"].Contains(" star (")).ToList();
        Assert.That(trapped, Is.Not.Empty);
        if (sampling == "random") Assert.That(traps, Is.GreaterThan(0));
    }
}
