using LvlmEval.Imaging;

namespace LvlmEval.Datasets.Shapes;

/// <summary>A rendered scene: the image and, per pixel, the index of the object drawn there (−1 for background).</summary>
public sealed record RenderedScene(RgbImage Image, int[] ObjectAt)
{
    /// <summary>Mask of the pixels belonging to any of the given objects.</summary>
    public EvidenceMask MaskOf(IReadOnlyCollection<int> objects)
    {
        var inside = new bool[ObjectAt.Length];
        for (int i = 0; i < inside.Length; i++) inside[i] = ObjectAt[i] >= 0 && objects.Contains(ObjectAt[i]);
        return new EvidenceMask(Image.Width, Image.Height, inside);
    }
}

/// <summary>
/// Rasterises a scene without anti-aliasing: a pixel belongs to an object when its centre lies inside the shape, so
/// the evidence masks are exact and every object pixel has exactly its palette colour.
/// </summary>
public static class SceneRenderer
{
    public static RenderedScene Render(Scene scene)
    {
        int w = scene.Width, h = scene.Height;
        var image = new RgbImage(w, h);
        var owner = new int[w * h];
        Array.Fill(owner, -1);
        PaintBackground(scene, image);
        for (int k = 0; k < scene.Objects.Count; k++)
        {
            var o = scene.Objects[k];
            var (_, r, g, b) = ShapeVocabulary.Colors[o.Color];
            int x0 = Math.Max(0, (int)Math.Floor(o.CenterX - o.Radius)), x1 = Math.Min(w - 1, (int)Math.Ceiling(o.CenterX + o.Radius));
            int y0 = Math.Max(0, (int)Math.Floor(o.CenterY - o.Radius)), y1 = Math.Min(h - 1, (int)Math.Ceiling(o.CenterY + o.Radius));
            for (int y = y0; y <= y1; y++)
                for (int x = x0; x <= x1; x++)
                {
                    if (!Contains(o, x + 0.5, y + 0.5)) continue;
                    owner[y * w + x] = k;
                    int p = (y * w + x) * 3;
                    image.Pixels[p] = r; image.Pixels[p + 1] = g; image.Pixels[p + 2] = b;
                }
        }
        return new RenderedScene(image, owner);
    }

    /// <summary>Whether point (px, py) lies inside the object's shape.</summary>
    public static bool Contains(SceneObject o, double px, double py)
    {
        double dx = (px - o.CenterX) / o.Radius, dy = (py - o.CenterY) / o.Radius;
        return o.Shape switch
        {
            ShapeKind.Circle => dx * dx + dy * dy <= 1.0,
            ShapeKind.Square => Math.Abs(dx) <= 0.8 && Math.Abs(dy) <= 0.8,
            ShapeKind.Diamond => Math.Abs(dx) + Math.Abs(dy) <= 1.0,
            _ => InPolygon(Polygon(o.Shape), dx, dy),
        };
    }

    /// <summary>Area of the shape at radius 1 (times r² for the drawn area), so "largest" means what the eye sees.</summary>
    public static double UnitArea(ShapeKind shape) => shape switch
    {
        ShapeKind.Circle => Math.PI,
        ShapeKind.Square => 1.6 * 1.6,
        ShapeKind.Diamond => 2.0,
        _ => PolygonArea(Polygon(shape)),
    };

    private static double PolygonArea((double X, double Y)[] poly)
    {
        double twice = 0;
        for (int i = 0, j = poly.Length - 1; i < poly.Length; j = i++) twice += poly[j].X * poly[i].Y - poly[i].X * poly[j].Y;
        return Math.Abs(twice) / 2;
    }

    private static readonly Dictionary<ShapeKind, (double X, double Y)[]> Polygons = new()
    {
        [ShapeKind.Triangle] = Regular(3, 1.0, 0),
        [ShapeKind.Hexagon] = Regular(6, 1.0, 0),
        [ShapeKind.Star] = StarPoints(),
    };

    private static (double X, double Y)[] Polygon(ShapeKind kind) => Polygons[kind];

    // Vertices on the unit circle, the first pointing up (image y grows downwards).
    private static (double, double)[] Regular(int n, double radius, double phase) =>
        Enumerable.Range(0, n).Select(i => (radius * Math.Sin(2 * Math.PI * i / n + phase), -radius * Math.Cos(2 * Math.PI * i / n + phase))).ToArray();

    private static (double, double)[] StarPoints()
    {
        var outer = Regular(5, 1.0, 0);
        var inner = Regular(5, 0.45, Math.PI / 5);
        return Enumerable.Range(0, 10).Select(i => i % 2 == 0 ? outer[i / 2] : inner[i / 2]).ToArray();
    }

    // Even–odd rule.
    private static bool InPolygon((double X, double Y)[] poly, double x, double y)
    {
        bool inside = false;
        for (int i = 0, j = poly.Length - 1; i < poly.Length; j = i++)
        {
            var (xi, yi) = poly[i];
            var (xj, yj) = poly[j];
            if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) inside = !inside;
        }
        return inside;
    }

    // Backgrounds are greys (R = G = B), which no palette colour is, so object pixels stay identifiable.
    private static void PaintBackground(Scene scene, RgbImage image)
    {
        var rng = new Random(scene.TextureSeed);
        byte tone = scene.BackgroundTone;
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
            {
                int v = scene.Background switch
                {
                    BackgroundKind.Stripes => (x + y) / 6 % 2 == 0 ? tone : tone - 25,
                    BackgroundKind.Noise => tone - rng.Next(30),
                    _ => tone,
                };
                int p = (y * image.Width + x) * 3;
                image.Pixels[p] = image.Pixels[p + 1] = image.Pixels[p + 2] = (byte)Math.Clamp(v, 0, 255);
            }
    }
}
