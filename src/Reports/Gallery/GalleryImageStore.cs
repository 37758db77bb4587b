using System.Security.Cryptography;
using System.Text;
using LvlmEval.Common;
using LvlmEval.Imaging;
using LvlmEval.Imaging.Codecs;
using LvlmEval.Reports.Runs;

namespace LvlmEval.Reports.Gallery;

/// <summary>
/// The gallery's images, kept in the run folder so a copied run renders its full report without the datasets:
/// <c>RUN_DIR/gallery/DATASET/SAMPLE.png</c> (the image at gallery size) and <c>SAMPLE.mask.png</c> (its evidence mask,
/// white inside, when it has one). A sample's images are taken from the folder when they are there, else loaded
/// through the dataset loaders (<see cref="SampleSource"/>) and written there, atomically, for every later report.
/// </summary>
internal sealed class GalleryImageStore(string runDirectory, IReadOnlyList<ManifestDataset> datasets, int size)
{
    /// <summary>Folder of the stored images inside a run folder.</summary>
    public const string FolderName = "gallery";

    private readonly SampleSource _datasets = new(datasets);

    /// <summary>The sample's gallery images, or null with the reason they cannot be had.</summary>
    public (MapImages? Images, string? Problem) Find(string dataset, string split, string sampleId)
    {
        string image = ImagePath(dataset, sampleId), mask = Path.ChangeExtension(image, ".mask.png");
        if (File.Exists(image))
        {
            try
            {
                return (MapImages.Of(RgbImage.Load(image), File.Exists(mask) ? MaskOf(RgbImage.Load(mask)) : null), null);
            }
            catch (Exception e) when (e is ImageDecodeException or InvalidDataException or IOException)
            {
                return (null, $"{image} cannot be read: {e.Message}");
            }
        }
        var (sample, problem) = _datasets.Find(dataset, split, sampleId);
        if (sample is null) return (null, problem);
        var images = MapImages.For(sample, size);
        AtomicFile.Write(image, s => s.Write(PngCodec.Encode(images.Image)));
        if (images.Mask is { } inside) AtomicFile.Write(mask, s => s.Write(PngCodec.Encode(MaskImage(inside, images.Image.Width, images.Image.Height))));
        return (images, null);
    }

    /// <summary>Where a sample's image is kept: its id with unsafe characters replaced, plus a short hash of the id so distinct ids never share a file.</summary>
    private string ImagePath(string dataset, string sampleId)
    {
        static string Safe(string text) => new(text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sampleId)))[..8];
        return Path.Combine(runDirectory, FolderName, Safe(dataset), $"{Safe(sampleId)}-{hash}.png");
    }

    private static RgbImage MaskImage(bool[] inside, int width, int height)
    {
        var image = new RgbImage(width, height);
        for (int i = 0; i < inside.Length; i++)
            if (inside[i]) image.Pixels[3 * i] = image.Pixels[3 * i + 1] = image.Pixels[3 * i + 2] = 255;
        return image;
    }

    private static bool[] MaskOf(RgbImage image)
    {
        var inside = new bool[image.Width * image.Height];
        for (int i = 0; i < inside.Length; i++) inside[i] = image.Pixels[3 * i] >= 128;
        return inside;
    }
}
