using LvlmEval.Datasets;

namespace LvlmEval.Tests.Datasets;

/// <summary>Deterministic subsampling, offset/limit, and shards that partition the selection.</summary>
public sealed class SelectionTests
{
    private static DatasetOptions Options(int? sample = null, int seed = 0, int offset = 0, int? limit = null, int shard = 0, int shards = 1) =>
        new() { Root = "/unused", SampleCount = sample, Seed = seed, Offset = offset, Limit = limit, ShardIndex = shard, ShardCount = shards };

    [Test]
    public void OffsetAndLimitSliceInOrder() =>
        Assert.That(DatasetReader.Select(10, Options(offset: 3, limit: 4)), Is.EqualTo(new[] { 3, 4, 5, 6 }));

    [Test]
    public void SamplingIsDeterministicOrderedAndSeedDependent()
    {
        var a = DatasetReader.Select(1000, Options(sample: 50, seed: 7));
        var b = DatasetReader.Select(1000, Options(sample: 50, seed: 7));
        var c = DatasetReader.Select(1000, Options(sample: 50, seed: 8));
        Assert.That(a, Is.EqualTo(b));
        Assert.That(a, Is.Not.EqualTo(c));
        Assert.That(a, Has.Count.EqualTo(50).And.Ordered.And.Unique);
        Assert.That(a.All(i => i is >= 0 and < 1000));
    }

    [TestCase(17, 3)]
    [TestCase(5, 8)]
    [TestCase(100, 1)]
    public void ShardsCoverEverySampleExactlyOnce(int count, int shards)
    {
        var whole = DatasetReader.Select(count, Options(sample: count - 1, seed: 3, offset: 1, limit: count));
        var parts = Enumerable.Range(0, shards).SelectMany(i => DatasetReader.Select(count, Options(sample: count - 1, seed: 3, offset: 1, limit: count, shard: i, shards: shards))).ToList();
        Assert.That(parts.Order(), Is.EqualTo(whole.Order()));
        Assert.That(parts, Is.Unique);
    }

    [Test]
    public void InvalidShardIsRejected() =>
        Assert.Throws<ArgumentException>(() => DatasetReader.Select(10, Options(shard: 3, shards: 3)));
}
