namespace LvlmEval.Datasets.Shapes;

/// <summary>The shapes the generator draws.</summary>
public enum ShapeKind { Circle, Square, Triangle, Star, Diamond, Hexagon }

/// <summary>Words and colours of the Shapes benchmark: shape names, the object palette, and background tones that never equal an object colour.</summary>
public static class ShapeVocabulary
{
    /// <summary>Shape names as they appear in questions and answers.</summary>
    public static string Name(ShapeKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>All shapes.</summary>
    public static readonly IReadOnlyList<ShapeKind> Shapes = Enum.GetValues<ShapeKind>();

    /// <summary>Object colours by name (saturated, far apart, so a pixel's colour identifies its object's colour exactly).</summary>
    public static readonly IReadOnlyList<(string Name, byte R, byte G, byte B)> Colors =
    [
        ("red", 220, 30, 30), ("green", 30, 170, 50), ("blue", 40, 70, 220),
        ("yellow", 240, 220, 20), ("purple", 140, 40, 180), ("orange", 250, 140, 0),
    ];

    /// <summary>Index of a colour name, or −1.</summary>
    public static int ColorIndex(string name)
    {
        for (int i = 0; i < Colors.Count; i++) if (Colors[i].Name == name) return i;
        return -1;
    }

    /// <summary>Number words used for counts (answers are words so every answer is a single short token sequence).</summary>
    public static readonly IReadOnlyList<string> Numbers = ["zero", "one", "two", "three", "four"];
}
