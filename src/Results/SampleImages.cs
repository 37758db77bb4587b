namespace LvlmEval.Results;

/// <summary>
/// The image each sample of a run asks about (<c>samples.image_id</c>), the independent unit that statistics resample:
/// several questions about one Shapes scene or VQAv2 image are correlated. A sample without a recorded image (runs
/// written before the column existed, or one missing from the samples table) is its own image.
/// </summary>
public sealed class SampleImages
{
    private readonly Dictionary<(string Dataset, string SampleId), string> _images = [];

    /// <summary>Every sample its own image.</summary>
    public static SampleImages None { get; } = new();

    /// <summary>The images recorded in <paramref name="samples"/> (one samples table or several runs' tables).</summary>
    public static SampleImages Of(IEnumerable<SampleRecord> samples)
    {
        var result = new SampleImages();
        foreach (var s in samples)
            if (!string.IsNullOrEmpty(s.ImageId)) result._images[(s.Dataset, s.SampleId)] = s.ImageId;
        return result;
    }

    /// <summary>The image of <paramref name="sampleId"/> in <paramref name="dataset"/> (the sample id itself when unknown), prefixed so it never equals another sample's id by accident.</summary>
    public string Of(string dataset, string sampleId) =>
        _images.TryGetValue((dataset, sampleId), out var image) ? "image:" + image : "sample:" + sampleId;
}
