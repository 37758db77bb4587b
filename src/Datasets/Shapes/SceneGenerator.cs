namespace LvlmEval.Datasets.Shapes;

/// <summary>Where objects may be placed.</summary>
public enum SceneLayout
{
    /// <summary>
    /// Each object centred (with a little jitter) in its own cell of a <see cref="SceneOptions.GridCells"/>-square
    /// layout grid, as in the SHAPES benchmark of neural module networks (Andreas et al. 2016). A model whose patch grid
    /// matches the layout grid sees every object within one patch.
    /// </summary>
    Grid,

    /// <summary>Anywhere on the canvas, objects not overlapping.</summary>
    Free,
}

/// <summary>Parameters of scene generation. The colour prior makes stars mostly yellow, so reliance on language priors is measurable.</summary>
public sealed record SceneOptions
{
    public int MinSize { get; init; } = 64;
    public int MaxSize { get; init; } = 160;
    public int MinObjects { get; init; } = 1;
    public int MaxObjects { get; init; } = 4;

    /// <summary>Object placement.</summary>
    public SceneLayout Layout { get; init; } = SceneLayout.Grid;

    /// <summary>Cells per side of the grid layout.</summary>
    public int GridCells { get; init; } = 4;

    /// <summary>
    /// Smallest object radius as a share of the grid cell's shorter side (grid layout; default 0.3) or of the canvas's
    /// shorter side (free layout; default 0.12).
    /// </summary>
    public double? MinRadiusFraction { get; init; }

    /// <summary>Largest object radius, as a share of the same length (defaults 0.45 of the cell, 0.22 of the canvas).</summary>
    public double? MaxRadiusFraction { get; init; }

    /// <summary>Probability that a star is yellow (0.9 in train; lower in test so the prior is often contradicted).</summary>
    public double StarYellowProbability { get; init; } = 0.9;

    /// <summary>Effective smallest radius share.</summary>
    public double ResolvedMinRadiusFraction => MinRadiusFraction ?? (Layout == SceneLayout.Grid ? 0.3 : 0.12);

    /// <summary>Effective largest radius share.</summary>
    public double ResolvedMaxRadiusFraction => MaxRadiusFraction ?? (Layout == SceneLayout.Grid ? 0.45 : 0.22);

    /// <summary>What the radius shares are shares of, for descriptions.</summary>
    public string RadiusReference => Layout == SceneLayout.Grid ? "grid cell" : "canvas";
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
        var objects = options.Layout == SceneLayout.Grid ? PlaceInGrid(rng, options, width, height, count) : PlaceFreely(rng, options, width, height, count);
        var background = (BackgroundKind)rng.Next(3);
        byte tone = (byte)rng.Next(150, 246);
        return new Scene(width, height, background, tone, rng.Next(), objects);
    }

    private static List<SceneObject> PlaceFreely(Random rng, SceneOptions options, int width, int height, int count)
    {
        var objects = new List<SceneObject>();
        int side = Math.Min(width, height);
        for (int attempt = 0; objects.Count < count && attempt < 200; attempt++)
        {
            if (NextKind(rng, options, objects) is not var (shape, color)) continue;
            double radius = side * NextRadiusFraction(rng, options);
            double cx = radius + 1 + rng.NextDouble() * (width - 2 * radius - 2);
            double cy = radius + 1 + rng.NextDouble() * (height - 2 * radius - 2);
            // A gap of two pixels keeps every object's pixels (and its evidence mask) separate.
            if (objects.Any(o => Math.Sqrt(Square(o.CenterX - cx) + Square(o.CenterY - cy)) < o.Radius + radius + 2)) continue;
            objects.Add(new SceneObject(shape, color, cx, cy, radius));
        }
        return objects;
    }

    private static List<SceneObject> PlaceInGrid(Random rng, SceneOptions options, int width, int height, int count)
    {
        int cells = options.GridCells;
        double cellW = (double)width / cells, cellH = (double)height / cells, cellSide = Math.Min(cellW, cellH);
        var freeCells = Enumerable.Range(0, cells * cells).ToList();
        var objects = new List<SceneObject>();
        for (int attempt = 0; objects.Count < count && freeCells.Count > 0 && attempt < 200; attempt++)
        {
            if (NextKind(rng, options, objects) is not var (shape, color)) continue;
            int k = rng.Next(freeCells.Count), cell = freeCells[k];
            freeCells.RemoveAt(k);
            // At least a pixel inside the cell on every side, so objects in neighbouring cells are two pixels apart.
            double radius = Math.Min(cellSide * NextRadiusFraction(rng, options), cellSide / 2 - 1);
            double slackX = Math.Max(0, cellW / 2 - radius - 1), slackY = Math.Max(0, cellH / 2 - radius - 1);
            // Half the slack at most, so the object stays near its cell's centre.
            double cx = (cell % cells + 0.5) * cellW + (rng.NextDouble() - 0.5) * slackX;
            double cy = (cell / cells + 0.5) * cellH + (rng.NextDouble() - 0.5) * slackY;
            objects.Add(new SceneObject(shape, color, cx, cy, radius));
        }
        return objects;
    }

    // A (shape, colour) pair not yet in the scene, or null to draw again.
    private static (ShapeKind Shape, int Color)? NextKind(Random rng, SceneOptions options, List<SceneObject> objects)
    {
        var shape = ShapeVocabulary.Shapes[rng.Next(ShapeVocabulary.Shapes.Count)];
        int color = PickColor(rng, shape, options);
        return objects.Any(o => o.Shape == shape && o.Color == color) ? null : (shape, color);
    }

    private static double NextRadiusFraction(Random rng, SceneOptions options) =>
        options.ResolvedMinRadiusFraction + (options.ResolvedMaxRadiusFraction - options.ResolvedMinRadiusFraction) * rng.NextDouble();

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
