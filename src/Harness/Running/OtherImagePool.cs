using LvlmEval.Datasets;

namespace LvlmEval.Harness.Running;

/// <summary>
/// The replacement images of the behavioural-reliance <c>other_image</c> condition for one dataset. The rule: the
/// candidates are the distinct <see cref="Sample.ImageId"/>s of the run's whole selection of the dataset (all shards),
/// sorted ordinally, without the sample's own image id; the sample gets candidate number <c>seed mod count</c>, where
/// the seed is the sample's seed (<see cref="SampleSeeds"/>). Each image id's image is that of its sample with the
/// ordinally smallest id. The choice thus depends only on the selection and the key, never on the shard or the order
/// samples are processed in, and is never the sample's own image.
/// </summary>
public sealed class OtherImagePool
{
    private readonly string[] _imageIds;
    private readonly Dictionary<string, ImageReference> _images;

    /// <summary>A pool over <paramref name="samples"/> (the dataset's selection across all shards).</summary>
    public OtherImagePool(IEnumerable<Sample> samples)
    {
        _images = new Dictionary<string, ImageReference>(StringComparer.Ordinal);
        foreach (var sample in samples.OrderBy(s => s.Id, StringComparer.Ordinal))
            _images.TryAdd(sample.ImageId, sample.Image);
        _imageIds = [.. _images.Keys.Order(StringComparer.Ordinal)];
    }

    /// <summary>The image id chosen for <paramref name="sample"/> with <paramref name="seed"/>, or null when the dataset holds no other image.</summary>
    public string? ImageIdFor(Sample sample, int seed)
    {
        string own = sample.ImageId;
        var candidates = _imageIds.Where(id => !string.Equals(id, own, StringComparison.Ordinal)).ToArray();
        return candidates.Length == 0 ? null : candidates[(int)((uint)seed % (uint)candidates.Length)];
    }

    /// <summary>The image chosen for <paramref name="sample"/> with <paramref name="seed"/>, or null when the dataset holds no other image.</summary>
    public ImageReference? ImageFor(Sample sample, int seed) => ImageIdFor(sample, seed) is { } id ? _images[id] : null;
}
