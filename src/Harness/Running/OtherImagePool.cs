using LvlmEval.Datasets;
using LvlmEval.Metrics.Pipeline;

namespace LvlmEval.Harness.Running;

/// <summary>
/// The replacement images of the behavioural-reliance <c>other_image</c> condition for one dataset. The rule: the
/// candidates are the distinct <see cref="Sample.ImageId"/>s of the run's whole selection of the dataset (all shards),
/// sorted ordinally, without the sample's own image id; the sample gets candidate number <c>seed mod count</c>, where
/// the seed is the sample's seed shared by every model (<see cref="SampleSeeds.ForEveryModel"/>), so models compared
/// sample by sample face the same other image. Each image id's image is that of its sample with the
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
        // Candidate k of the list without the own id is entry k of the full list, or k + 1 from the own id's place on.
        int own = Array.BinarySearch(_imageIds, sample.ImageId, StringComparer.Ordinal);
        int count = own >= 0 ? _imageIds.Length - 1 : _imageIds.Length;
        if (count == 0) return null;
        int k = (int)((uint)seed % (uint)count);
        return _imageIds[own >= 0 && k >= own ? k + 1 : k];
    }

    /// <summary>The image chosen for <paramref name="sample"/> with <paramref name="seed"/>, or null when the dataset holds no other image.</summary>
    public ImageReference? ImageFor(Sample sample, int seed) => ImageIdFor(sample, seed) is { } id ? _images[id] : null;
}
