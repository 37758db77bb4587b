using System.Globalization;

namespace LvlmEval.Training;

/// <summary>
/// An opening stage of training on easier Shapes scenes: at most <see cref="MaxObjects"/> objects whose radii are
/// between the given shares of the canvas's shorter side. Large, few objects make the image's content a large share of
/// every image token, so answers visibly depend on the image early; the test split's small objects come after.
/// </summary>
public sealed record CurriculumStage(int Steps, int MaxObjects, double MinRadiusFraction, double MaxRadiusFraction)
{
    /// <summary>Checks the stage's numbers.</summary>
    public void Validate()
    {
        if (Steps < 1) throw new ArgumentException($"Curriculum stage {this}: steps must be positive.");
        if (MaxObjects is < 1 or > 4) throw new ArgumentException($"Curriculum stage {this}: objects must be 1 to 4.");
        if (!(MinRadiusFraction > 0 && MinRadiusFraction <= MaxRadiusFraction && MaxRadiusFraction < 0.5))
            throw new ArgumentException($"Curriculum stage {this}: radii must satisfy 0 < min ≤ max < 0.5.");
    }

    /// <summary>"STEPS:OBJECTS:MIN_RADIUS:MAX_RADIUS", e.g. "150:1:0.25:0.45".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Steps}:{MaxObjects}:{MinRadiusFraction}:{MaxRadiusFraction}");

    /// <summary>Parses comma-separated stages in the <see cref="ToString"/> form.</summary>
    public static List<CurriculumStage> ParseList(string text)
    {
        var stages = new List<CurriculumStage>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var f = part.Split(':');
            if (f.Length != 4
                || !int.TryParse(f[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int steps)
                || !int.TryParse(f[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int objects)
                || !double.TryParse(f[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double low)
                || !double.TryParse(f[3], NumberStyles.Float, CultureInfo.InvariantCulture, out double high))
                throw new ArgumentException($"Curriculum stage '{part}' is not STEPS:OBJECTS:MIN_RADIUS:MAX_RADIUS (e.g. 150:1:0.25:0.45).");
            var stage = new CurriculumStage(steps, objects, low, high);
            stage.Validate();
            stages.Add(stage);
        }
        return stages;
    }
}
