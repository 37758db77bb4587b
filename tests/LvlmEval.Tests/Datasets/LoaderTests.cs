using LvlmEval.Datasets;
using LvlmEval.Datasets.Voc;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Datasets;

/// <summary>Each loader on a fixture written in the real layout: counts, ids, prompts, answers, evidence, and per-sample errors.</summary>
public sealed class LoaderTests
{
    private static (List<Sample> Samples, List<SampleError> Errors) Load(string format, string root, string? split = null, Dictionary<string, string>? settings = null)
    {
        var entries = DatasetReader.Read(DatasetRegistry.Create(format), new DatasetOptions { Root = root, Split = split, Settings = settings ?? new() }).ToList();
        return (entries.Where(e => e.Sample is not null).Select(e => e.Sample!).ToList(), entries.Where(e => e.Error is not null).Select(e => e.Error!).ToList());
    }

    [TestCase(false)]
    [TestCase(true)]
    public void MmvpReadsQuestionsPairsAndCorrections(bool misspelled)
    {
        using var dir = new TempDir();
        DatasetFixtures.Mmvp(dir.Path, misspelled);
        var (samples, errors) = Load("mmvp", dir.Path);
        Assert.That(samples.Select(s => s.Id), Is.EqualTo(new[] { "1", "2", "3", "4", "99", "100", "279", "280" }));
        var s3 = samples[2];
        Assert.That(s3.Question, Is.EqualTo("Are there \"two\" dogs, or one?"));
        Assert.That(s3.Prompt, Is.EqualTo("Are there \"two\" dogs, or one? (a) Two (b) One\nAnswer with the option's letter from the given choices directly."));
        Assert.That(s3.Answers, Is.EqualTo(new[] { "(b)" }));
        Assert.That(samples.Select(s => s.PairId), Is.EqualTo(new[] { "1", "1", "2", "2", "50", "50", "140", "140" }));
        Assert.That(samples.Where(s => s.Id is "99" or "100" or "279" or "280").Select(s => s.Answers[0]), Is.EqualTo(new[] { "(b)", "(a)", "(b)", "(a)" }));
        Assert.That(samples[0].Image.Load().Width, Is.EqualTo(16));

        Assert.That(errors, Has.Count.EqualTo(2));
        Assert.That(errors[0].Record, Is.EqualTo("line 10"));
        Assert.That(errors[0].Message, Does.Contain("3 columns"));
        Assert.That(errors[1].SampleId, Is.EqualTo("5"));
        Assert.That(errors[1].Message, Does.Contain("5.jpg").And.Contain("does not exist"));
    }

    [Test]
    public void MmvpCorrectionsCanBeSwitchedOff()
    {
        using var dir = new TempDir();
        DatasetFixtures.Mmvp(dir.Path);
        var (samples, _) = Load("mmvp", dir.Path, settings: new() { ["label_corrections"] = "false" });
        Assert.That(samples.Where(s => s.Id is "99" or "100" or "279" or "280").Select(s => s.Answers[0]), Is.EqualTo(new[] { "(a)", "(b)", "(a)", "(b)" }));
    }

    [Test]
    public void VqaV2ReadsQuestionsAnswersAndImages()
    {
        using var dir = new TempDir();
        DatasetFixtures.VqaV2(dir.Path);
        var (samples, errors) = Load("vqav2", dir.Path);
        Assert.That(samples.Select(s => s.Id), Is.EqualTo(new[] { "4201", "4202" }));
        var first = samples[0];
        Assert.That(first.Prompt, Is.EqualTo("What color is the cat?\nAnswer the question using a single word or phrase."));
        Assert.That(first.Answers, Is.EqualTo(DatasetFixtures.VqaAnswers4201));
        Assert.That(first.QuestionType, Is.EqualTo("other"));
        Assert.That(first.Metadata["image_id"], Is.EqualTo("42"));
        Assert.That(first.Metadata["question_type"], Is.EqualTo("what color is the"));
        Assert.That(first.Image.Path, Does.EndWith(Path.Combine("val2014", "COCO_val2014_000000000042.jpg")));
        Assert.That(samples[1].QuestionType, Is.EqualTo("number"));

        Assert.That(errors.Select(e => (e.SampleId, e.Field)), Is.EqualTo(new[] { ("4203", "question"), ("4204", "image_id"), ("4205", "annotations") }));
        Assert.That(errors[0].File, Does.EndWith("v2_OpenEnded_mscoco_val2014_questions.json"));
        Assert.That(errors[0].Record, Is.EqualTo("questions[2]"));
        Assert.That(errors[1].Message, Does.Contain("COCO_val2014_000000000099.jpg"));
    }

    [Test]
    public void VocGivesOneSamplePerImageAndClassWithExactMasks()
    {
        using var dir = new TempDir();
        DatasetFixtures.Voc(dir.Path);
        var (samples, errors) = Load("voc", dir.Path);
        Assert.That(samples.Select(s => s.Id), Is.EqualTo(new[] { "2008_000001/dog", "2008_000001/person", "2008_000002/pottedplant" }));
        var plant = samples[2];
        Assert.That(plant.Prompt, Is.EqualTo("Is there a potted plant in the image? Answer the question using a single word or phrase."));
        Assert.That(plant.Answers, Is.EqualTo(new[] { "yes" }));
        // Boxes come back 0-based and end-exclusive; the float coordinate stays a float.
        Assert.That(plant.Evidence!.Boxes, Is.EqualTo(new[] { new BoundingBox(2.5, 1, 9, 7), new BoundingBox(10, 7, 15, 13) }));

        foreach (var s in samples)
        {
            var (id, w, h, objects) = DatasetFixtures.VocImages.Single(i => i.Id == s.Metadata["image_id"]);
            var mask = s.Evidence!.ToMask(w, h);
            // The fixture paints each box with the class index, except its first row and column (void).
            int expected = objects.Where(o => o.Name == s.Metadata["class"])
                .Sum(o => (Math.Min((int)o.XMax, w) - (int)o.XMin) * (Math.Min((int)o.YMax, h) - (int)o.YMin));
            Assert.That(mask.Area, Is.EqualTo(expected), s.Id);
            var box = objects.First(o => o.Name == s.Metadata["class"]);
            Assert.That(mask.Inside[((int)box.YMin - 1) * w + (int)box.XMin - 1], Is.False, "void border pixels are not evidence");
        }

        Assert.That(errors.Select(e => e.SampleId), Is.EqualTo(new[] { "2008_000003", "2008_000004" }));
        Assert.That(errors[0].Field, Is.EqualTo("bndbox"));
        Assert.That(errors[0].Message, Does.Contain("outside the 16×16 image"));
        Assert.That(errors[1].Message, Does.Contain("2008_000004.xml"));
    }

    [Test]
    public void VocDescribePromptAndTrainSplit()
    {
        using var dir = new TempDir();
        DatasetFixtures.Voc(dir.Path);
        var (samples, _) = Load("voc", Path.Combine(dir.Path, "VOCdevkit"), "train", new() { ["prompt"] = "describe" });
        Assert.That(samples.Select(s => (s.Prompt, s.Answers[0])), Is.EqualTo(new[] { ("Describe the dog in the image.", "dog"), ("Describe the person in the image.", "person") }));
    }

    [Test]
    public void VocPaletteIsTheDevkitColormap()
    {
        var p = VocClasses.Palette();
        // Devkit colours: background black, aeroplane (128,0,0), person (192,128,128), void (224,224,192).
        Assert.That(p[..3], Is.EqualTo(new byte[] { 0, 0, 0 }));
        Assert.That(p[3..6], Is.EqualTo(new byte[] { 128, 0, 0 }));
        Assert.That(p[(15 * 3)..(15 * 3 + 3)], Is.EqualTo(new byte[] { 192, 128, 128 }));
        Assert.That(p[(255 * 3)..], Is.EqualTo(new byte[] { 224, 224, 192 }));
    }

    [Test]
    public void ImageNetFlatLayoutUsesSolutionBoxesOfTheLabel()
    {
        using var dir = new TempDir();
        DatasetFixtures.ImageNetFlat(dir.Path);
        var (samples, errors) = Load("imagenet", dir.Path);
        Assert.That(samples.Select(s => s.Id), Is.EqualTo(new[] { "ILSVRC2012_val_00000001", "ILSVRC2012_val_00000002" }));
        Assert.That(samples[0].Answers, Is.EqualTo(new[] { "tench", "Tinca tinca" }));
        Assert.That(samples[1].Answers, Is.EqualTo(new[] { "sea snake" }));
        Assert.That(samples[1].Evidence!.Boxes, Is.EqualTo(new[] { new BoundingBox(1, 2, 10, 12), new BoundingBox(12, 12, 19, 19) }));
        var mask = samples[1].Evidence!.ToMask(20, 20);
        Assert.That(mask.Area, Is.EqualTo(9 * 10 + 7 * 7));
        Assert.That(errors.Single().Field, Is.EqualTo("PredictionString"));
    }

    [Test]
    public void ImageNetImageFolderLayout()
    {
        using var dir = new TempDir();
        DatasetFixtures.ImageNetFolder(dir.Path);
        var (samples, errors) = Load("imagenet", dir.Path);
        Assert.That(errors, Is.Empty);
        Assert.That(samples.Select(s => (s.Id, s.Metadata["wnid"])), Is.EqualTo(new[]
        {
            ("ILSVRC2012_val_00000001", "n01440764"), ("ILSVRC2012_val_00000009", "n01440764"), ("ILSVRC2012_val_00000002", "n01751748"),
        }));
        Assert.That(samples.All(s => s.Evidence is null));
    }

    [Test]
    public void ChartQaReadsBothSubsetsAndRejectsEscapingPaths()
    {
        using var dir = new TempDir();
        DatasetFixtures.ChartQa(dir.Path);
        var (samples, errors) = Load("chartqa", dir.Path);
        Assert.That(samples.Select(s => (s.Id, s.QuestionType, s.Answers[0])), Is.EqualTo(new[] { ("human-0", "human", "24.5"), ("augmented-0", "augmented", "112") }));
        Assert.That(samples[0].Prompt, Is.EqualTo("What is the value of Japan?\nAnswer the question with a single word."));
        Assert.That(errors.Select(e => (e.SampleId, e.Field)), Is.EqualTo(new[] { ("human-1", "imgname"), ("augmented-1", "label") }));
        Assert.That(errors[0].Message, Does.Contain("outside the dataset root"));
    }

    [TestCase("mmvp", "Questions.csv")]
    [TestCase("vqav2", "v2_OpenEnded_mscoco_{split}_questions.json")]
    [TestCase("voc", "VOCdevkit/VOC2012/")]
    [TestCase("imagenet", "LOC_synset_mapping.txt")]
    [TestCase("chartqa", "ChartQA Dataset/")]
    public void MissingRootOrIndexFailsFastWithTheExpectedLayout(string format, string layoutFragment)
    {
        using var dir = new TempDir();
        var missingRoot = Assert.Throws<DatasetLayoutException>(() => Load(format, Path.Combine(dir.Path, "nope")));
        Assert.That(missingRoot!.Message, Does.Contain("does not exist").And.Contain(layoutFragment));
        var emptyRoot = Assert.Throws<DatasetLayoutException>(() => Load(format, dir.Path));
        Assert.That(emptyRoot!.Message, Does.Contain(layoutFragment));
    }

    [Test]
    public void MalformedJsonNamesTheFileAndLine()
    {
        using var dir = new TempDir();
        DatasetFixtures.VqaV2(dir.Path);
        File.WriteAllText(Path.Combine(dir.Path, "v2_mscoco_val2014_annotations.json"), "{\"annotations\": [\n{\"question_id\": 1,,}");
        var ex = Assert.Throws<DatasetLayoutException>(() => Load("vqav2", dir.Path));
        Assert.That(ex!.Message, Does.Contain("v2_mscoco_val2014_annotations.json").And.Contain("line 2"));
    }

    [Test]
    public void UnknownFormatListsTheValidOnes()
    {
        var ex = Assert.Throws<ArgumentException>(() => DatasetRegistry.Create("coco"));
        Assert.That(ex!.Message, Does.Contain("chartqa, imagenet, mmvp, pope, shapes, voc, vqav2"));
    }
}
