using LvlmEval.Results;
using LvlmEval.Datasets;
using LvlmEval.Reports.Runs;
using LvlmEval.Imaging;
using LvlmEval.Imaging.Codecs;
using LvlmEval.Imaging.Heatmaps;
using LvlmEval.Imaging.Transforms;

namespace LvlmEval.Reports.Gallery;

/// <summary>A sample's image at gallery size, with its evidence mask at the same size, ready for map overlays.</summary>
internal sealed class MapImages
{
    private static readonly HeatmapStyle Style = HeatmapStyle.Default with { ContourColor = (255, 40, 40) };
    private readonly RgbImage _image;
    private readonly bool[]? _mask;

    private MapImages(RgbImage image, bool[]? mask)
    {
        _image = image;
        _mask = mask;
    }

    /// <summary>The gallery image <paramref name="image"/> with its evidence <paramref name="mask"/> (true inside; one per pixel), as stored in a run folder.</summary>
    public static MapImages Of(RgbImage image, bool[]? mask)
    {
        if (mask is not null && mask.Length != image.Width * image.Height)
            throw new InvalidDataException($"The evidence mask has {mask.Length} pixels; the image has {image.Width}×{image.Height}.");
        return new MapImages(image, mask);
    }

    /// <summary>The image at gallery size.</summary>
    public RgbImage Image => _image;

    /// <summary>The evidence mask at gallery size (true inside), if the sample has evidence.</summary>
    public bool[]? Mask => _mask;

    /// <summary>Loads the sample's image scaled to longest side <paramref name="size"/> (small synthetic images grow, large photos shrink) and its evidence mask, if any.</summary>
    public static MapImages For(Sample sample, int size)
    {
        var original = sample.Image.Load();
        double scale = (double)size / Math.Max(original.Width, original.Height);
        int w = Math.Max(1, (int)Math.Round(original.Width * scale)), h = Math.Max(1, (int)Math.Round(original.Height * scale));
        var image = w != original.Width || h != original.Height ? PilResize.Resize(original, w, h, ResampleFilter.Bilinear) : original;
        bool[]? mask = null;
        if (sample.Evidence is { } evidence)
        {
            var full = evidence.ToMask(original.Width, original.Height);
            var asImage = new RgbImage(full.Width, full.Height);
            for (int i = 0; i < full.Inside.Length; i++) asImage.Pixels[i * 3] = full.Inside[i] ? (byte)255 : (byte)0;
            var small = w != original.Width || h != original.Height ? PilResize.Resize(asImage, w, h, ResampleFilter.Nearest) : asImage;
            mask = new bool[w * h];
            for (int i = 0; i < mask.Length; i++) mask[i] = small.Pixels[i * 3] >= 128;
        }
        return new MapImages(image, mask);
    }

    /// <summary>The image with the evidence contour, as a PNG data URI.</summary>
    public string Plain()
    {
        var copy = _image.Clone();
        if (_mask is not null) HeatmapRenderer.DrawContour(copy, _mask, Style.ContourColor);
        return DataUri(copy);
    }

    /// <summary>The map (decoded from the maps table) over the image with the evidence contour, as a PNG data URI.</summary>
    public string Overlay(MapRecord map)
    {
        var grid = Values(map);
        return DataUri(HeatmapRenderer.Overlay(_image, grid, map.GridHeight, map.GridWidth, Style, _mask));
    }

    /// <summary>The map's values; a size other than height × width is an error naming the row.</summary>
    public static float[] Values(MapRecord map)
    {
        var values = map.Values;
        if (values is null || values.Length != map.GridHeight * map.GridWidth || map.GridHeight <= 0 || map.GridWidth <= 0)
            throw new InvalidDataException($"maps row ({map.Model}, {map.Dataset}, {map.SampleId}, {map.Explainer}, token {map.TokenIndex}): " +
                $"values holds {values?.Length ?? 0} numbers but the grid is {map.GridHeight}×{map.GridWidth}.");
        return values;
    }

    private static string DataUri(RgbImage image) => "data:image/png;base64," + Convert.ToBase64String(PngCodec.Encode(image));
}
