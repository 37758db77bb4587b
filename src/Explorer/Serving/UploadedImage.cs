using LvlmEval.Imaging;
using LvlmEval.Imaging.Codecs;

namespace LvlmEval.Explorer.Serving;

/// <summary>Turns an uploaded file into an image within the request limits, or refuses it with one line naming the field.</summary>
public static class UploadedImage
{
    /// <summary>Decodes <paramref name="data"/> (JPEG or PNG) after checking its size and its pixel dimensions against <paramref name="limits"/>.</summary>
    public static RgbImage Decode(byte[] data, string field, RequestLimits limits)
    {
        if (data.Length == 0) throw new ExplorerRequestException($"'{field}' is empty: upload a JPEG or PNG image");
        if (data.Length > limits.MaxImageBytes)
            throw new ExplorerRequestException($"'{field}' is {data.Length / (1024.0 * 1024):F1} MB; the limit is {limits.MaxImageBytes / (1024 * 1024)} MB");
        if (!JpegCodec.HasSignature(data) && !PngCodec.HasSignature(data))
            throw new ExplorerRequestException($"'{field}' is not a JPEG or PNG image (unrecognised signature)");
        var size = ImageHeader.Dimensions(data) ?? throw new ExplorerRequestException($"'{field}': the image header cannot be read (truncated or corrupt file)");
        if (size.Width > limits.MaxImageSide || size.Height > limits.MaxImageSide)
            throw new ExplorerRequestException($"'{field}' is {size.Width}×{size.Height} px; the limit is {limits.MaxImageSide} px a side");
        try
        {
            return JpegCodec.HasSignature(data) ? JpegCodec.Decode(data, field) : PngCodec.Decode(data, field);
        }
        catch (ImageDecodeException e)
        {
            throw new ExplorerRequestException($"'{field}' cannot be decoded: {e.Reason}");
        }
    }
}
