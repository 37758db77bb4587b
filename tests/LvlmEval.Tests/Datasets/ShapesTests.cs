using LvlmEval.Datasets;
using LvlmEval.Datasets.Shapes;

namespace LvlmEval.Tests.Datasets;

/// <summary>
/// Shapes: determinism, and properties checked against the rendered pixels (an independent reading of the scene):
/// masks are exactly the connected pixels of the evidence objects, counts equal colour components, colours and
/// positions agree with what is drawn; the colour prior and minimal pairs behave as specified.
/// </summary>
public sealed class ShapesTests
{
    private static List<Sample> Load(string split, int seed, int images, Dictionary<string, string>? extra = null)
    {
        var settings = new Dictionary<string, string> { ["seed"] = seed.ToString(), ["images"] = images.ToString() };
        foreach (var (k, v) in extra ?? new()) settings[k] = v;
        return DatasetReader.Read(new ShapesLoader(), new DatasetOptions { Root = "", Split = split, Settings = settings })
            .Select(e => e.Sample ?? throw new AssertionException(e.Error!.ToString())).ToList();
    }

    [Test]
    public void SameSeedSameDatasetDifferentSeedDifferentDataset()
    {
        var a = Load("test", 3, 20);
        var b = Load("test", 3, 20);
        var c = Load("test", 4, 20);
        Assert.That(a.Select(s => (s.Id, s.Prompt, s.Answers[0])), Is.EqualTo(b.Select(s => (s.Id, s.Prompt, s.Answers[0]))));
        for (int i = 0; i < a.Count; i++) Assert.That(a[i].Image.Load().Pixels, Is.EqualTo(b[i].Image.Load().Pixels));
        Assert.That(a.Select(s => s.Prompt), Is.Not.EqualTo(c.Select(s => s.Prompt)));
        // Scene i does not depend on how many scenes the split has.
        var longer = Load("test", 3, 40);
        Assert.That(longer.Take(a.Count).Select(s => s.Prompt), Is.EqualTo(a.Select(s => s.Prompt)));
    }

    [TestCase(0, SceneLayout.Grid)]
    [TestCase(1, SceneLayout.Grid)]
    [TestCase(2, SceneLayout.Free)]
    [TestCase(3, SceneLayout.Free)]
    public void MasksAreExactlyThePixelsOfTheEvidenceObjects(int seed, SceneLayout layout)
    {
        foreach (var item in ShapesDataset.Generate("val", new ShapesSettings { Seed = seed, Images = 40, Scenes = new() { Layout = layout } }))
        {
            var rendered = SceneRenderer.Render(item.Scene);
            var image = rendered.Image;
            var expected = new bool[image.Width * image.Height];
            foreach (var k in item.Question.EvidenceObjects)
                foreach (var p in Component(image, item.Scene.Objects[k])) expected[p] = true;
            var mask = rendered.MaskOf(item.Question.EvidenceObjects);
            Assert.That(mask.Inside, Is.EqualTo(expected), $"{item.Id}: {item.Question.Text}");
            if (item.Question.EvidenceObjects.Count > 0) Assert.That(mask.Area, Is.GreaterThan(0), item.Id);
        }
    }

    [TestCase(10)]
    [TestCase(11)]
    public void AnswersAgreeWithTheRenderedPixels(int seed)
    {
        int checkedCount = 0;
        foreach (var item in ShapesDataset.Generate("test", ShapesSettings.ForSplit("test", seed) with { Images = 60 }))
        {
            var image = SceneRenderer.Render(item.Scene).Image;
            var q = item.Question;
            var objs = item.Scene.Objects;
            switch (q.Type)
            {
                case "count":
                {
                    string colorName = q.Text.Split(' ')[2];
                    int components = Components(image, ShapeVocabulary.ColorIndex(colorName)).Count;
                    Assert.That(q.Answer, Is.EqualTo(ShapeVocabulary.Numbers[components]), $"{item.Id}: {q.Text}");
                    break;
                }
                case "color" or "color_counterprior":
                {
                    var o = objs[q.EvidenceObjects[0]];
                    var (r, g, b) = Pixel(image, (int)o.CenterX, (int)o.CenterY);
                    var (_, er, eg, eb) = ShapeVocabulary.Colors[ShapeVocabulary.ColorIndex(q.Answer)];
                    Assert.That((r, g, b), Is.EqualTo((er, eg, eb)), $"{item.Id}: {q.Text} → {q.Answer}");
                    Assert.That(q.Type == "color_counterprior", Is.EqualTo(o.Shape == ShapeKind.Star && q.Answer != "yellow"));
                    break;
                }
                case "position":
                {
                    var centroids = q.EvidenceObjects.Select(k => Centroid(Component(image, objs[k]), image.Width)).ToList();
                    bool left = q.Text.Contains("left");
                    int winner = left ? (centroids[0].X < centroids[1].X ? 0 : 1) : (centroids[0].Y < centroids[1].Y ? 0 : 1);
                    Assert.That(objs[q.EvidenceObjects[winner]].ShapeName, Is.EqualTo(q.Answer), $"{item.Id}: {q.Text}");
                    break;
                }
                case "largest":
                {
                    int biggest = Enumerable.Range(0, objs.Count).MaxBy(k => Component(image, objs[k]).Count);
                    Assert.That(objs[biggest].ShapeName, Is.EqualTo(q.Answer), $"{item.Id}: {q.Text}");
                    break;
                }
                case "exists" or "pair" when q.Answer == "no":
                    Assert.That(q.EvidenceObjects, Is.Empty);
                    break;
            }
            checkedCount++;
        }
        Assert.That(checkedCount, Is.GreaterThan(100));
    }

    [Test]
    public void TrainCarriesTheStarPriorAndTestContradictsIt()
    {
        double YellowShare(string split)
        {
            var stars = ShapesDataset.Generate(split, ShapesSettings.ForSplit(split, 0) with { Images = 600 })
                .Select(i => i.Scene).Distinct().SelectMany(s => s.Objects).Where(o => o.Shape == ShapeKind.Star).ToList();
            return stars.Count(o => o.ColorName == "yellow") / (double)stars.Count;
        }
        Assert.That(YellowShare("train"), Is.InRange(0.85, 0.95));
        Assert.That(YellowShare("test"), Is.InRange(0.4, 0.6));
        var test = Load("test", 0, 300);
        Assert.That(test.Count(s => s.QuestionType == "color_counterprior"), Is.GreaterThan(5));
    }

    [Test]
    public void MinimalPairsShareTheQuestionHaveOppositeAnswersAndDifferInOneObject()
    {
        var pairs = Load("test", 5, 100).Where(s => s.PairId is not null).GroupBy(s => s.PairId).ToList();
        Assert.That(pairs, Has.Count.GreaterThan(10));
        foreach (var pair in pairs)
        {
            var (a, b) = (pair.First(), pair.Last());
            Assert.That(a.Prompt, Is.EqualTo(b.Prompt));
            Assert.That(new[] { a.Answers[0], b.Answers[0] }, Is.EqualTo(new[] { "yes", "no" }));
            var pa = a.Image.Load().Pixels; var pb = b.Image.Load().Pixels;
            int changed = Enumerable.Range(0, pa.Length / 3).Count(p => pa[3 * p] != pb[3 * p] || pa[3 * p + 1] != pb[3 * p + 1] || pa[3 * p + 2] != pb[3 * p + 2]);
            var mask = a.Evidence!.ToMask(0, 0);
            Assert.That(changed, Is.EqualTo(mask.Area), $"pair {pair.Key}: only the recoloured object changes");
        }
    }

    [TestCase(3)]
    [TestCase(4)]
    public void GridLayoutDrawsEachObjectInsideItsOwnCell(int cells)
    {
        var options = new SceneOptions { GridCells = cells };
        var rng = new Random(cells);
        for (int i = 0; i < 200; i++)
        {
            var scene = SceneGenerator.Generate(rng, options);
            var rendered = SceneRenderer.Render(scene);
            double cellW = (double)scene.Width / cells, cellH = (double)scene.Height / cells;
            var used = new HashSet<(int, int)>();
            for (int k = 0; k < scene.Objects.Count; k++)
            {
                // The cell is read off the drawn pixels: every pixel of object k lies in one cell, and no two objects share one.
                var pixels = Enumerable.Range(0, rendered.ObjectAt.Length).Where(p => rendered.ObjectAt[p] == k).ToList();
                Assert.That(pixels, Is.Not.Empty, $"scene {i}: object {k} is drawn");
                var cellsHit = pixels.Select(p => ((int)((p % scene.Width + 0.5) / cellW), (int)((p / scene.Width + 0.5) / cellH))).Distinct().ToList();
                Assert.That(cellsHit, Has.Count.EqualTo(1), $"scene {i}: object {k} ({scene.Objects[k]}) stays in one cell of {scene.Width}×{scene.Height}");
                Assert.That(used.Add(cellsHit[0]), Is.True, $"scene {i}: cell {cellsHit[0]} holds one object");
                double radiusShare = scene.Objects[k].Radius / Math.Min(cellW, cellH);
                Assert.That(radiusShare, Is.InRange(options.ResolvedMinRadiusFraction - 1e-9, options.ResolvedMaxRadiusFraction + 1e-9)
                    .Or.EqualTo((Math.Min(cellW, cellH) / 2 - 1) / Math.Min(cellW, cellH)).Within(1e-9), $"scene {i}: radius share");
            }
        }
    }

    [TestCase("layout", "diagonal", "'layout' is grid or free")]
    [TestCase("grid", "1", "'grid' (cells per side) must be 2 to 8")]
    [TestCase("star_yellow", "1.5", "'star_yellow' must be a probability")]
    public void BadSceneSettingsAreRefusedNamingTheSetting(string key, string value, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => Load("test", 0, 5, new() { [key] = value }));
        Assert.That(error!.Message, Does.Contain(message).And.Contain(value));
    }

    [Test]
    public void FreeLayoutIsSelectableFromSettings()
    {
        var grid = Load("test", 5, 10);
        var free = Load("test", 5, 10, new() { ["layout"] = "free" });
        Assert.That(free.Select(s => s.Metadata["scene"]), Is.Not.EqualTo(grid.Select(s => s.Metadata["scene"])));
    }

    [Test]
    public void EveryQuestionTypeAppearsAndAnswersAreSingleWords()
    {
        var samples = Load("val", 0, 300);
        Assert.That(samples.Select(s => s.QuestionType).Distinct(), Is.SupersetOf(QuestionGenerator.Types));
        Assert.That(samples.All(s => !s.Answers[0].Contains(' ')));
        Assert.That(samples.All(s => s.Prompt.EndsWith("\nAnswer with a single word.")));
    }

    // ---- pixel analysis (independent of the scene-graph logic) ----

    private static (byte, byte, byte) Pixel(LvlmEval.Imaging.RgbImage image, int x, int y)
    {
        int p = (y * image.Width + x) * 3;
        return (image.Pixels[p], image.Pixels[p + 1], image.Pixels[p + 2]);
    }

    private static bool HasColor(LvlmEval.Imaging.RgbImage image, int p, int color)
    {
        var (_, r, g, b) = ShapeVocabulary.Colors[color];
        return image.Pixels[3 * p] == r && image.Pixels[3 * p + 1] == g && image.Pixels[3 * p + 2] == b;
    }

    /// <summary>8-connected pixels of the object's colour reachable from its centre (star tips touch only diagonally).</summary>
    private static List<int> Component(LvlmEval.Imaging.RgbImage image, SceneObject o) =>
        Flood(image, (int)o.CenterY * image.Width + (int)o.CenterX, o.Color, new bool[image.Width * image.Height]);

    private static List<List<int>> Components(LvlmEval.Imaging.RgbImage image, int color)
    {
        var seen = new bool[image.Width * image.Height];
        var result = new List<List<int>>();
        for (int p = 0; p < seen.Length; p++)
            if (!seen[p] && HasColor(image, p, color)) result.Add(Flood(image, p, color, seen));
        return result;
    }

    private static List<int> Flood(LvlmEval.Imaging.RgbImage image, int start, int color, bool[] seen)
    {
        var pixels = new List<int>();
        if (!HasColor(image, start, color)) return pixels;
        var stack = new Stack<int>([start]);
        seen[start] = true;
        while (stack.Count > 0)
        {
            int p = stack.Pop();
            pixels.Add(p);
            int x = p % image.Width, y = p / image.Width;
            foreach (var (nx, ny) in new[] { (x - 1, y), (x + 1, y), (x, y - 1), (x, y + 1), (x - 1, y - 1), (x + 1, y - 1), (x - 1, y + 1), (x + 1, y + 1) })
            {
                if (nx < 0 || ny < 0 || nx >= image.Width || ny >= image.Height) continue;
                int n = ny * image.Width + nx;
                if (!seen[n] && HasColor(image, n, color)) { seen[n] = true; stack.Push(n); }
            }
        }
        return pixels;
    }

    private static (double X, double Y) Centroid(List<int> pixels, int width) =>
        (pixels.Average(p => p % width), pixels.Average(p => p / width));
}
