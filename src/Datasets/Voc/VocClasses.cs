namespace LvlmEval.Datasets.Voc;

/// <summary>The 21 PASCAL VOC classes in devkit order (index = value in SegmentationClass masks; 255 = void).</summary>
public static class VocClasses
{
    /// <summary>Devkit names; index 0 is background.</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "background", "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow",
        "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train", "tvmonitor",
    ];

    /// <summary>Mask value of pixels excluded from evaluation (object boundaries, difficult regions).</summary>
    public const byte Void = 255;

    private static readonly Dictionary<string, string> Readable = new()
    {
        ["diningtable"] = "dining table", ["pottedplant"] = "potted plant", ["tvmonitor"] = "tv monitor",
    };

    /// <summary>The class name as written in prompts ("potted plant" for "pottedplant").</summary>
    public static string ReadableName(string devkitName) => Readable.GetValueOrDefault(devkitName, devkitName);

    /// <summary>The devkit's 256-entry colormap (RGB triples), as used in SegmentationClass palette PNGs.</summary>
    public static byte[] Palette()
    {
        var palette = new byte[256 * 3];
        for (int i = 0; i < 256; i++)
        {
            int r = 0, g = 0, b = 0, c = i;
            for (int j = 0; j < 8; j++)
            {
                r |= ((c >> 0) & 1) << (7 - j);
                g |= ((c >> 1) & 1) << (7 - j);
                b |= ((c >> 2) & 1) << (7 - j);
                c >>= 3;
            }
            palette[3 * i] = (byte)r; palette[3 * i + 1] = (byte)g; palette[3 * i + 2] = (byte)b;
        }
        return palette;
    }

    /// <summary>Index of a devkit class name, or −1.</summary>
    public static int IndexOf(string devkitName)
    {
        for (int i = 0; i < Names.Count; i++) if (Names[i] == devkitName) return i;
        return -1;
    }
}
