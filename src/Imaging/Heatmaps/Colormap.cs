namespace LvlmEval.Imaging.Heatmaps;

/// <summary>
/// A 256-entry colormap applied as matplotlib does: value v in [0, 1] picks entry int(v · 256) (clamped to
/// 0..255, out-of-range values take the end colours), and bytes are int(channel · 255). NaN takes the lowest colour.
/// </summary>
public sealed class Colormap
{
    /// <summary>Number of entries.</summary>
    public const int Size = 256;

    private readonly byte[] _bytes; // Size × RGB

    private Colormap(string name, double[] table)
    {
        Name = name;
        Table = table;
        _bytes = new byte[Size * 3];
        for (int i = 0; i < _bytes.Length; i++) _bytes[i] = (byte)(int)(table[i] * 255);
    }

    /// <summary>Perceptually uniform, colour-blind friendly (matplotlib's default).</summary>
    public static Colormap Viridis { get; } = new("viridis", ColormapTables.Viridis);

    /// <summary>Google's Turbo: a smooth rainbow.</summary>
    public static Colormap Turbo { get; } = new("turbo", ColormapTables.Turbo);

    /// <summary>MATLAB/matplotlib jet, built from its published breakpoints.</summary>
    public static Colormap Jet { get; } = new("jet", JetTable());

    /// <summary>Name as used in configs (viridis, turbo, jet).</summary>
    public string Name { get; }

    /// <summary>Entries as RGB triples in 0..1 (<see cref="Size"/> × 3).</summary>
    public IReadOnlyList<double> Table { get; }

    /// <summary>Looks a colormap up by name (case-insensitive).</summary>
    public static Colormap ByName(string name) => name.ToLowerInvariant() switch
    {
        "viridis" => Viridis,
        "turbo" => Turbo,
        "jet" => Jet,
        _ => throw new ArgumentException($"Unknown colormap '{name}' (known: viridis, turbo, jet).", nameof(name)),
    };

    /// <summary>Entry index for <paramref name="value"/>, computed in float32 as matplotlib does for float32 input.</summary>
    public static int IndexOf(float value)
    {
        if (float.IsNaN(value)) return 0;
        float scaled = value * Size;
        if (scaled < 0) return 0;
        return scaled >= Size ? Size - 1 : (int)scaled;
    }

    /// <summary>The colour of <paramref name="value"/> as bytes.</summary>
    public (byte R, byte G, byte B) Map(float value)
    {
        int i = IndexOf(value) * 3;
        return (_bytes[i], _bytes[i + 1], _bytes[i + 2]);
    }

    /// <summary>
    /// matplotlib's <c>_create_lookup_table</c> for jet's segment data: linear interpolation between breakpoints
    /// sampled at 256 evenly spaced positions.
    /// </summary>
    private static double[] JetTable()
    {
        (double X, double Y)[][] channels =
        [
            [(0.0, 0), (0.35, 0), (0.66, 1), (0.89, 1), (1.0, 0.5)],
            [(0.0, 0), (0.125, 0), (0.375, 1), (0.64, 1), (0.91, 0), (1.0, 0)],
            [(0.0, 0.5), (0.11, 1), (0.34, 1), (0.65, 0), (1.0, 0)],
        ];
        var table = new double[Size * 3];
        double step = 1.0 / (Size - 1);
        for (int c = 0; c < 3; c++)
        {
            var points = channels[c];
            table[c] = points[0].Y;
            table[(Size - 1) * 3 + c] = points[^1].Y;
            for (int i = 1; i < Size - 1; i++)
            {
                double position = (Size - 1) * (i * step);
                int upper = 0;
                while (points[upper].X * (Size - 1) < position) upper++;
                double x0 = points[upper - 1].X * (Size - 1), x1 = points[upper].X * (Size - 1);
                double distance = (position - x0) / (x1 - x0);
                table[i * 3 + c] = Math.Clamp(distance * (points[upper].Y - points[upper - 1].Y) + points[upper - 1].Y, 0.0, 1.0);
            }
        }
        return table;
    }
}
