namespace LvlmEval.Datasets.Shapes;

/// <summary>One drawn object: shape, colour (index into <see cref="ShapeVocabulary.Colors"/>), centre and radius in pixels.</summary>
public sealed record SceneObject(ShapeKind Shape, int Color, double CenterX, double CenterY, double Radius)
{
    /// <summary>Colour name.</summary>
    public string ColorName => ShapeVocabulary.Colors[Color].Name;

    /// <summary>Drawn area in square pixels (analytic).</summary>
    public double Area => SceneRenderer.UnitArea(Shape) * Radius * Radius;

    /// <summary>Shape name.</summary>
    public string ShapeName => ShapeVocabulary.Name(Shape);
}

/// <summary>How the background is painted.</summary>
public enum BackgroundKind { Plain, Stripes, Noise }

/// <summary>A scene graph: canvas size, background, and non-overlapping objects.</summary>
public sealed record Scene(int Width, int Height, BackgroundKind Background, byte BackgroundTone, int TextureSeed, IReadOnlyList<SceneObject> Objects)
{
    /// <summary>The same scene with object <paramref name="index"/> replaced (used to build minimal pairs).</summary>
    public Scene WithObject(int index, SceneObject replacement)
    {
        var objects = Objects.ToArray();
        objects[index] = replacement;
        return this with { Objects = objects };
    }
}
