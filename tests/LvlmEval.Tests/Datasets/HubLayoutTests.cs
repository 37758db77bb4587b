using LvlmEval.Datasets;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Datasets;

/// <summary>Hub Parquet snapshots written by DuckDB in the dataset cards' schemas give the same samples as the original layouts.</summary>
public sealed class HubLayoutTests
{
    private static List<Sample> Good(string format, DatasetOptions options) =>
        DatasetReader.Read(DatasetRegistry.Create(format), options).Where(e => e.Sample is not null).Select(e => e.Sample!).ToList();

    [TestCase(1)]
    [TestCase(100)]
    public void VqaV2HubMatchesTheOriginalJson(int rowGroupSize)
    {
        using var original = new TempDir();
        using var hub = new TempDir();
        DatasetFixtures.VqaV2(original.Path);
        HubFixtures.VqaV2Hub(original.Path, hub.Path, rowGroupSize);
        var expected = Good("vqav2", new DatasetOptions { Root = original.Path });
        var actual = SampleAssert.Samples("vqav2", new DatasetOptions { Root = hub.Path });
        // The original fixture's good questions: 4201 and 4202 (4203 lacks its question, 4204 its image, 4205 its annotation).
        Assert.That(expected.Select(s => s.Id), Is.EqualTo(new[] { "4201", "4202" }));
        Assert.That(actual[0].Answers, Is.EqualTo(DatasetFixtures.VqaAnswers4201));
        SampleAssert.Identical(expected, actual);
    }

    [Test]
    public void ImageNetHubMapsClassIndicesToSynsetsInStandardOrder()
    {
        using var original = new TempDir();
        using var hub = new TempDir();
        DatasetFixtures.ImageNetFlat(original.Path);
        HubFixtures.ImageNetHub(original.Path, hub.Path);
        var expected = Good("imagenet", new DatasetOptions { Root = original.Path });
        // Without the mapping file the class indices cannot be named.
        var missing = Assert.Throws<DatasetLayoutException>(() => DatasetReader.Read(DatasetRegistry.Create("imagenet"), new DatasetOptions { Root = hub.Path }).ToList());
        Assert.That(missing!.Message, Does.Contain("LOC_synset_mapping.txt").And.Contain("setting `synsets`"));
        File.Copy(Path.Combine(original.Path, "LOC_synset_mapping.txt"), Path.Combine(hub.Path, "LOC_synset_mapping.txt"));
        File.Copy(Path.Combine(original.Path, "LOC_val_solution.csv"), Path.Combine(hub.Path, "LOC_val_solution.csv"));
        var actual = SampleAssert.Samples("imagenet", new DatasetOptions { Root = hub.Path });
        Assert.That(expected.Select(s => s.Id), Is.EqualTo(new[] { "ILSVRC2012_val_00000001", "ILSVRC2012_val_00000002" }));
        Assert.That(actual[1].Answers, Is.EqualTo(new[] { "sea snake" }));
        // Image 3's CSV row is malformed, which in the flat layout loses the sample; the hub row still has its label.
        Assert.That(actual.Select(s => s.Id), Is.EqualTo(new[] { "ILSVRC2012_val_00000001", "ILSVRC2012_val_00000002", "ILSVRC2012_val_00000003" }));
        Assert.That(actual[2].Evidence, Is.Null);
        SampleAssert.Identical(expected, actual.Take(2).ToList());
    }

    [Test]
    public void KaggleImageNetLayoutLoadsWithoutSettings()
    {
        using var flat = new TempDir();
        using var dir = new TempDir();
        DatasetFixtures.ImageNetFlat(flat.Path);
        DatasetFixtures.ImageNetFlat(dir.Path);
        var expected = Good("imagenet", new DatasetOptions { Root = flat.Path });
        // Kaggle's ImageNet Object Localization Challenge: the same CSVs at the root, images under ILSVRC/Data/CLS-LOC/val/.
        string images = Path.Combine(dir.Path, "ILSVRC", "Data", "CLS-LOC", "val");
        Directory.CreateDirectory(images);
        foreach (var f in Directory.GetFiles(dir.Path, "*.JPEG")) File.Move(f, Path.Combine(images, Path.GetFileName(f)));
        var actual = Good("imagenet", new DatasetOptions { Root = dir.Path });
        Assert.That(actual, Has.Count.EqualTo(2));
        SampleAssert.Identical(expected, actual);
        Assert.That(actual[0].Image.Path, Does.Contain(Path.Combine("ILSVRC", "Data", "CLS-LOC", "val")));
    }

    [Test]
    public void MissingImagesSayWhereTheLoaderLookedAndWhichSettingPointsElsewhere()
    {
        using var dir = new TempDir();
        DatasetFixtures.ImageNetFlat(dir.Path);
        foreach (var f in Directory.GetFiles(dir.Path, "*.JPEG")) File.Delete(f);
        var errors = DatasetReader.Read(DatasetRegistry.Create("imagenet"), new DatasetOptions { Root = dir.Path }).Where(e => e.Error is not null).Select(e => e.Error!.Message).ToList();
        Assert.That(errors, Has.Count.EqualTo(3));
        Assert.That(errors[0], Does.Contain("does not exist").And.Contain($"looked in '{Path.GetFullPath(dir.Path)}").And.Contain("setting `images`").And.Contain("ILSVRC/Data/CLS-LOC/val"));
    }

    [Test]
    public void CorruptShardsMissingColumnsAndUndecodableImagesAreOneErrorEachAndTheRestLoads()
    {
        using var original = new TempDir();
        using var hub = new TempDir();
        HubFixtures.PopeOriginal(original.Path);
        HubFixtures.PopeHub(original.Path, hub.Path, rowGroupSize: 1);
        // A third shard that is not Parquet, and a fourth without the question column.
        File.WriteAllText(Path.Combine(hub.Path, "data", "test-00002-of-00004.parquet"), "PAR1 this is not a parquet file");
        HubFixtures.Copy(hub.Path, "data/test-00003-of-00004.parquet", "SELECT '9' AS id, '9' AS question_id, 'yes' AS answer, 'x' AS image_source, {'bytes': 'abc'::BLOB, 'path': 'x.jpg'} AS image, 'random' AS category");
        var entries = DatasetReader.Read(DatasetRegistry.Create("pope"), new DatasetOptions { Root = hub.Path }).ToList();
        var errors = entries.Where(e => e.Error is not null).Select(e => e.Error!.ToString()).ToList();
        Assert.That(errors, Has.Count.EqualTo(2));
        Assert.That(errors[0], Does.Contain("test-00002-of-00004.parquet").And.Contain("cannot read the Parquet file"));
        Assert.That(errors[1], Does.Contain("test-00003-of-00004.parquet").And.Contain("'question'"));
        Assert.That(entries.Count(e => e.Sample is not null), Is.EqualTo(8), "the readable shards still load");

        // Undecodable image bytes: the error names the file, row group and row.
        using var bad = new TempDir();
        HubFixtures.Copy(bad.Path, "data/test-00000-of-00001.parquet",
            "SELECT * FROM (VALUES ('1', '1', 'Is there a cat in the image?', 'yes', 'COCO_val2014_000000000001', {'bytes': 'not an image'::BLOB, 'path': 'a.jpg'}, 'random')," +
            " ('2', '2', 'Is there a dog in the image?', 'no', 'COCO_val2014_000000000001', {'bytes': 'not an image'::BLOB, 'path': 'a.jpg'}, 'random')) t(id, question_id, question, answer, image_source, image, category)", 1);
        var samples = SampleAssert.Samples("pope", new DatasetOptions { Root = bad.Path, Split = "random" });
        var e = Assert.Throws<LvlmEval.Imaging.ImageDecodeException>(() => samples[1].Image.Load());
        Assert.That(e!.Message, Does.Contain("test-00000-of-00001.parquet, row group 0, row 1"));
    }

    [Test]
    public void ChartQaHubMatchesTheOriginalJsonInSubsetOrder()
    {
        using var original = new TempDir();
        using var hub = new TempDir();
        DatasetFixtures.ChartQa(original.Path);
        HubFixtures.ChartQaHub(original.Path, hub.Path);
        var expected = Good("chartqa", new DatasetOptions { Root = original.Path });
        var actual = SampleAssert.Samples("chartqa", new DatasetOptions { Root = hub.Path });
        Assert.That(expected.Select(s => s.Id), Is.EqualTo(new[] { "human-0", "augmented-0" }));
        SampleAssert.Identical(expected, actual);
    }

    [Test]
    public void MmvpHubMatchesTheCsvWithPairsAndCorrections()
    {
        using var original = new TempDir();
        using var hub = new TempDir();
        DatasetFixtures.Mmvp(original.Path);
        HubFixtures.MmvpHub(original.Path, hub.Path);
        var expected = Good("mmvp", new DatasetOptions { Root = original.Path }).OrderBy(s => int.Parse(s.Id)).ToList();
        var actual = SampleAssert.Samples("mmvp", new DatasetOptions { Root = hub.Path });
        Assert.That(expected.Select(s => s.Id), Is.EqualTo(new[] { "1", "2", "3", "4", "99", "100", "279", "280" }));
        Assert.That(actual.Single(s => s.Id == "99").Metadata["label_corrected"], Is.EqualTo("true"));
        SampleAssert.Identical(expected, actual);
    }
}
