using System.Globalization;

namespace LvlmEval.Training;

/// <summary>
/// An opening stage of training on easier Shapes scenes: at most <see cref="MaxObjects"/> objects whose radii are
/// between the given shares of the layout cell's shorter side (of the canvas's in the free layout), in a layout grid of
/// <see cref="GridCells"/> cells per side (null: the dataset's). Few objects in a coarse grid are large and cover many
/// image tokens, so answers visibly depend on the image early; the test split's one-patch objects come after.
/// </summary>
public sealed record CurriculumStage(int Steps, int MaxObjects, double MinRadiusFraction, double MaxRadiusFraction, int? GridCells = null)
{
    /// <summary>Checks the stage's numbers.</summary>
    public void Validate()
    {
        if (Steps < 1) throw new ArgumentException($"Curriculum stage {this}: steps must be positive.");
        if (MaxObjects is < 1 or > 4) throw new ArgumentException($"Curriculum stage {this}: objects must be 1 to 4.");
        if (!(MinRadiusFraction > 0 && MinRadiusFraction <= MaxRadiusFraction && MaxRadiusFraction < 0.5))
            throw new ArgumentException($"Curriculum stage {this}: radii must satisfy 0 < min ≤ max < 0.5.");
        if (GridCells is { } cells && (cells < 1 || cells * cells < MaxObjects))
            throw new ArgumentException($"Curriculum stage {this}: a {cells}×{cells} grid cannot hold {MaxObjects} objects.");
    }

    /// <summary>"STEPS:OBJECTS:MIN_RADIUS:MAX_RADIUS[:GRID]", e.g. "150:1:0.25:0.45" or "150:1:0.3:0.45:1".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Steps}:{MaxObjects}:{MinRadiusFraction}:{MaxRadiusFraction}{(GridCells is { } g ? $":{g}" : "")}");

    /// <summary>Parses comma-separated stages in the <see cref="ToString"/> form.</summary>
    public static List<CurriculumStage> ParseList(string text)
    {
        var stages = new List<CurriculumStage>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var f = part.Split(':');
            int grid = 0;
            if (f.Length is not (4 or 5)
                || !int.TryParse(f[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int steps)
                || !int.TryParse(f[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int objects)
                || !double.TryParse(f[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double low)
                || !double.TryParse(f[3], NumberStyles.Float, CultureInfo.InvariantCulture, out double high)
                || (f.Length == 5 && !int.TryParse(f[4], NumberStyles.Integer, CultureInfo.InvariantCulture, out grid)))
                throw new ArgumentException($"Curriculum stage '{part}' is not STEPS:OBJECTS:MIN_RADIUS:MAX_RADIUS[:GRID] (e.g. 150:1:0.25:0.45 or 150:1:0.3:0.45:1).");
            var stage = new CurriculumStage(steps, objects, low, high, f.Length == 5 ? grid : null);
            stage.Validate();
            stages.Add(stage);
        }
        return stages;
    }
}
