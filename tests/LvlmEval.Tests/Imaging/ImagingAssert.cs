namespace LvlmEval.Tests.Imaging;

/// <summary>Comparisons of byte images and float arrays with the worst offending position in the message.</summary>
internal static class ImagingAssert
{
    /// <summary>Asserts equal lengths and max |a − b| ≤ tolerance over bytes.</summary>
    public static void BytesWithin(ReadOnlySpan<byte> actual, ReadOnlySpan<byte> expected, int tolerance, string what)
    {
        Assert.That(actual.Length, Is.EqualTo(expected.Length), $"{what}: length");
        int worst = 0, at = -1;
        for (int i = 0; i < actual.Length; i++)
        {
            int d = Math.Abs(actual[i] - expected[i]);
            if (d > worst) { worst = d; at = i; }
        }
        Assert.That(worst, Is.LessThanOrEqualTo(tolerance),
            $"{what}: max abs difference {worst} at byte {at} (ours {(at >= 0 ? actual[at] : 0)}, reference {(at >= 0 ? expected[at] : 0)})");
    }

    /// <summary>Asserts equal lengths and max |a − b| ≤ tolerance over floats.</summary>
    public static void FloatsWithin(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, double tolerance, string what)
    {
        Assert.That(actual.Length, Is.EqualTo(expected.Length), $"{what}: length");
        double worst = 0;
        int at = -1;
        for (int i = 0; i < actual.Length; i++)
        {
            double d = Math.Abs((double)actual[i] - expected[i]);
            if (d > worst || double.IsNaN(d)) { worst = double.IsNaN(d) ? double.PositiveInfinity : d; at = i; }
        }
        Assert.That(worst, Is.LessThanOrEqualTo(tolerance),
            $"{what}: max abs difference {worst:G6} at element {at} (ours {(at >= 0 ? actual[at] : 0)}, reference {(at >= 0 ? expected[at] : 0)})");
    }

    /// <summary>Reads a raw little-endian float32 file written by numpy's tofile.</summary>
    public static float[] ReadFloats(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var floats = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, floats, 0, floats.Length * 4);
        return floats;
    }
}
