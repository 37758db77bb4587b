using LvlmEval.Datasets;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Datasets;

public sealed class PopeTests
{
    [Test]
    public void OriginalLayoutReadsTheThreeStrategiesInPaperOrder()
    {
        using var dir = new TempDir();
        HubFixtures.PopeOriginal(dir.Path);
        var samples = SampleAssert.Samples("pope", new DatasetOptions { Root = dir.Path });
        Assert.That(samples.Select(s => s.Id), Is.EqualTo(new[] { "random-1", "random-2", "random-3", "popular-1", "popular-2", "adversarial-1", "adversarial-2", "adversarial-3" }));
        var first = samples[0];
        Assert.That(first.Prompt, Is.EqualTo("Is there a snowboard in the image?\nAnswer the question using a single word or phrase."));
        Assert.That(first.Answers, Is.EqualTo(new[] { "yes" }));
        Assert.That(first.QuestionType, Is.EqualTo("random"));
        Assert.That(first.Metadata["image_source"], Is.EqualTo("COCO_val2014_000000310196"));
        Assert.That(first.Image.Path, Does.EndWith(Path.Combine("val2014", "COCO_val2014_000000310196.jpg")));
        var popular = SampleAssert.Samples("pope", new DatasetOptions { Root = dir.Path, Split = "popular" });
        Assert.That(popular.Select(s => s.Id), Is.EqualTo(new[] { "popular-1", "popular-2" }));
    }

    [TestCase("all", 1)]
    [TestCase("adversarial", 2)]
    [TestCase("random", 100)]
    public void HubSnapshotGivesTheSameSamplesAsTheOriginalFiles(string split, int rowGroupSize)
    {
        using var original = new TempDir();
        using var hub = new TempDir();
        HubFixtures.PopeOriginal(original.Path);
        HubFixtures.PopeHub(original.Path, hub.Path, rowGroupSize);
        var expected = SampleAssert.Samples("pope", new DatasetOptions { Root = original.Path, Split = split });
        var actual = SampleAssert.Samples("pope", new DatasetOptions { Root = hub.Path, Split = split });
        Assert.That(actual, Has.Count.EqualTo(split == "all" ? 8 : 3));
        SampleAssert.Identical(expected, actual);
        Assert.That(actual[0].Image.Path, Is.Null, "the hub image is read from the shard, not extracted");
    }

    [Test]
    public void LayoutSettingForcesTheHubReaderAndSaysWhereItLooked()
    {
        using var original = new TempDir();
        HubFixtures.PopeOriginal(original.Path);
        var options = new DatasetOptions { Root = original.Path, Settings = new Dictionary<string, string> { ["layout"] = "hub" } };
        var e = Assert.Throws<DatasetLayoutException>(() => DatasetReader.Read(DatasetRegistry.Create("pope"), options).ToList());
        Assert.That(e!.Message, Does.Contain("no Parquet shards of split 'test'").And.Contain(original.Path).And.Contain("data/test-0000N-of-0000M.parquet"));
    }
}
