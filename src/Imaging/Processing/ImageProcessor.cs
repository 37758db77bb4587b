using LvlmEval.Imaging.Transforms;
using LvlmEval.Tensors;

namespace LvlmEval.Imaging.Processing;

/// <summary>
/// The Hugging Face <c>CLIPImageProcessor</c> / <c>SiglipImageProcessor</c> pipeline on one image, step for step:
/// optional LLaVA-1.5 <c>expand2square</c> pad, PIL resize (shortest edge or fixed size), center crop, rescale,
/// mean/std normalisation, CHW float32. Resize and crop are fused so only the kept pixels are resampled.
/// </summary>
public sealed class ImageProcessor
{
    private readonly float[] _lookup; // [channel * 256 + byte] → normalised value

    /// <summary>Creates the processor; <paramref name="padToSquare"/> selects original LLaVA-1.5 behaviour (pad with the mean colour first).</summary>
    public ImageProcessor(PreprocessorConfig config, bool padToSquare = false)
    {
        Config = config;
        PadToSquare = padToSquare;
        _lookup = BuildLookup(config);
    }

    /// <summary>Loads <c>preprocessor_config.json</c> and creates its processor.</summary>
    public static ImageProcessor Load(string configPath, bool padToSquare = false) => new(PreprocessorConfig.Load(configPath), padToSquare);

    /// <summary>The parsed configuration.</summary>
    public PreprocessorConfig Config { get; }

    /// <summary>Whether images are padded to square with <see cref="PadFill"/> before resizing.</summary>
    public bool PadToSquare { get; }

    /// <summary>LLaVA's pad colour: <c>tuple(int(x * 255) for x in image_mean)</c>.</summary>
    public (byte R, byte G, byte B) PadFill =>
        ((byte)(int)(Config.ImageMean[0] * 255.0), (byte)(int)(Config.ImageMean[1] * 255.0), (byte)(int)(Config.ImageMean[2] * 255.0));

    /// <summary>The full pipeline: a [3, H, W] tensor of normalised model input.</summary>
    public Tensor Preprocess(RgbImage image) => ToTensor(PrepareImage(image));

    /// <summary>The uint8 model-input image (pad, resize, crop) before rescaling and normalisation — what overlays are drawn on.</summary>
    public RgbImage PrepareImage(RgbImage image)
    {
        if (PadToSquare) image = Geometry.PadToSquare(image, PadFill);
        var (width, height) = Config.DoResize ? Config.Size.OutputSize(image.Width, image.Height) : (image.Width, image.Height);
        if (!Config.DoCenterCrop)
            return Config.DoResize ? PilResize.Resize(image, width, height, Config.Resample) : image;

        var (cropHeight, cropWidth) = Config.CropSize;
        var window = Geometry.CenterCropWindow(width, height, cropWidth, cropHeight);
        bool inside = window.Left >= 0 && window.Top >= 0 && window.Right <= width && window.Bottom <= height;
        if (Config.DoResize && inside)
            return PilResize.ResizeRegion(image, width, height, Config.Resample, window);
        var resized = Config.DoResize ? PilResize.Resize(image, width, height, Config.Resample) : image;
        return Geometry.CenterCrop(resized, cropWidth, cropHeight);
    }

    /// <summary>
    /// Carries a label mask (e.g. a VOC segmentation, same size as the image) through the same geometry as
    /// <see cref="PrepareImage"/> — pad, resize, crop — with nearest-neighbour sampling, so each output label sits
    /// on the model-input pixel it describes. Pixels that come from padding get <paramref name="fill"/>.
    /// </summary>
    public IndexedImage PrepareMask(IndexedImage mask, byte fill)
    {
        int width = mask.Width, height = mask.Height;
        bool pad = PadToSquare && width != height;
        int paddedWidth = pad ? Math.Max(width, height) : width, paddedHeight = pad ? Math.Max(width, height) : height;
        int padLeft = (paddedWidth - width) / 2, padTop = (paddedHeight - height) / 2;
        var (resizedWidth, resizedHeight) = Config.DoResize ? Config.Size.OutputSize(paddedWidth, paddedHeight) : (paddedWidth, paddedHeight);
        var window = Config.DoCenterCrop
            ? Geometry.CenterCropWindow(resizedWidth, resizedHeight, Config.CropSize.Width, Config.CropSize.Height)
            : new PixelRect(0, 0, resizedWidth, resizedHeight);

        var columns = SourcePositions(window.Left, window.Width, resizedWidth, paddedWidth, padLeft, width);
        var rows = SourcePositions(window.Top, window.Height, resizedHeight, paddedHeight, padTop, height);
        var labels = new byte[window.Width * window.Height];
        for (int y = 0; y < window.Height; y++)
            for (int x = 0; x < window.Width; x++)
                labels[y * window.Width + x] = rows[y] < 0 || columns[x] < 0 ? fill : mask.Indices[rows[y] * width + columns[x]];
        return new IndexedImage(window.Width, window.Height, labels, mask.Palette);
    }

    /// <summary>For output positions first … first + count − 1 of the resized axis: the original index, or −1 for padding.</summary>
    private int[] SourcePositions(int first, int count, int resized, int padded, int padOffset, int original)
    {
        var nearest = resized != padded ? NearestNeighbour.SourceIndices((double)padded / resized, resized, padded) : null;
        var positions = new int[count];
        for (int i = 0; i < count; i++)
        {
            int r = first + i;
            int p = r < 0 || r >= resized ? -1 : nearest is null ? r : nearest[r];
            int o = p < 0 ? -1 : p - padOffset;
            positions[i] = o >= 0 && o < original ? o : -1;
        }
        return positions;
    }

    /// <summary>Rescales and normalises a prepared image into a [3, H, W] tensor.</summary>
    public Tensor ToTensor(RgbImage prepared)
    {
        int plane = prepared.Width * prepared.Height;
        var data = GC.AllocateUninitializedArray<float>(plane * 3);
        var pixels = prepared.Pixels;
        var lookup = _lookup;
        for (int i = 0; i < plane; i++)
        {
            data[i] = lookup[pixels[i * 3]];
            data[plane + i] = lookup[256 + pixels[i * 3 + 1]];
            data[2 * plane + i] = lookup[512 + pixels[i * 3 + 2]];
        }
        return new Tensor(data, 3, prepared.Height, prepared.Width);
    }

    /// <summary>
    /// Every possible byte's normalised value per channel, computed as transformers does: rescale in float64 then
    /// cast to float32, then (x − mean) / std in float32.
    /// </summary>
    private static float[] BuildLookup(PreprocessorConfig config)
    {
        var lookup = new float[3 * 256];
        for (int c = 0; c < 3; c++)
        {
            for (int v = 0; v < 256; v++)
            {
                float x = config.DoRescale ? (float)(v * config.RescaleFactor) : v;
                if (config.DoNormalize) x = (x - config.ImageMean[c]) / config.ImageStd[c];
                lookup[c * 256 + v] = x;
            }
        }
        return lookup;
    }
}
