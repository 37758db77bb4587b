namespace LvlmEval.Datasets.Shapes;

/// <summary>Parameters of scene generation. The colour prior makes stars mostly yellow, so reliance on language priors is measurable.</summary>
public sealed record SceneOptions
{
    public int MinSize { get; init; } = 64;
    public int MaxSize { get; init; } = 160;
    public int MinObjects { get; init; } = 1;
    public int MaxObjects { get; init; } = 4;

    /// <summary>Smallest object radius as a share of the canvas's shorter side.</summary>
    public double MinRadiusFraction { get; init; } = 0.12;

    /// <summary>Largest object radius as a share of the canvas's shorter side.</summary>
    public double MaxRadiusFraction { get; init; } = 0.22;

    /// <summary>Probability that a star is yellow (0.9 in train; lower in test so the prior is often contradicted).</summary>
    public double StarYellowProbability { get; init; } = 0.9;
}

/// <summary>Draws random scene graphs: 1–4 objects of distinct (shape, colour), non-overlapping, on a plain or textured grey background.</summary>
public static class SceneGenerator
{
    private static readonly int Yellow = ShapeVocabulary.ColorIndex("yellow");

    public static Scene Generate(Random rng, SceneOptions options)
    {
        int width = rng.Next(options.MinSize, options.MaxSize + 1);
        int height = Math.Clamp(width + rng.Next(-width / 4, width / 4 + 1), options.MinSize, options.MaxSize);
        int count = rng.Next(options.MinObjects, options.MaxObjects + 1);
        var objects = new List<SceneObject>();
        int side = Math.Min(width, height);
        for (int attempt = 0; objects.Count < count && attempt < 200; attempt++)
        {
            var shape = ShapeVocabulary.Shapes[rng.Next(ShapeVocabulary.Shapes.Count)];
            int color = PickColor(rng, shape, options);
            if (objects.Any(o => o.Shape == shape && o.Color == color)) continue;
            double radius = side * (options.MinRadiusFraction + (options.MaxRadiusFraction - options.MinRadiusFraction) * rng.NextDouble());
            double cx = radius + 1 + rng.NextDouble() * (width - 2 * radius - 2);
            double cy = radius + 1 + rng.NextDouble() * (height - 2 * radius - 2);
            var candidate = new SceneObject(shape, color, cx, cy, radius);
            // A gap of two pixels keeps every object's pixels (and its evidence mask) separate.
            if (objects.Any(o => Math.Sqrt(Square(o.CenterX - cx) + Square(o.CenterY - cy)) < o.Radius + radius + 2)) continue;
            objects.Add(candidate);
        }
        var background = (BackgroundKind)rng.Next(3);
        byte tone = (byte)rng.Next(150, 246);
        return new Scene(width, height, background, tone, rng.Next(), objects);
    }

    /// <summary>A colour for a shape, honouring the star prior.</summary>
    public static int PickColor(Random rng, ShapeKind shape, SceneOptions options)
    {
        if (shape != ShapeKind.Star) return rng.Next(ShapeVocabulary.Colors.Count);
        if (rng.NextDouble() < options.StarYellowProbability) return Yellow;
        int c = rng.Next(ShapeVocabulary.Colors.Count - 1);
        return c >= Yellow ? c + 1 : c;
    }

    private static double Square(double v) => v * v;
}
