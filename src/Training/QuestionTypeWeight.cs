using System.Globalization;
using LvlmEval.Datasets.Shapes;

namespace LvlmEval.Training;

/// <summary>
/// A question type drawn <see cref="Weight"/> times as often in the main training stage. The extra questions come from
/// scenes of their own rather than repeats, so a type the model finds hard (position) gets more evidence, not more
/// memorisation.
/// </summary>
public sealed record QuestionTypeWeight(string Type, int Weight)
{
    /// <summary>Checks the type name and the weight.</summary>
    public void Validate()
    {
        if (!QuestionGenerator.Types.Contains(Type))
            throw new ArgumentException($"Question type weight '{this}': unknown type '{Type}'. Valid types: {string.Join(", ", QuestionGenerator.Types)}.");
        if (Weight is < 1 or > 10) throw new ArgumentException($"Question type weight '{this}': the weight must be 1 to 10.");
    }

    /// <summary>"TYPE:WEIGHT", e.g. "position:2".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Type}:{Weight}");

    /// <summary>Parses comma-separated weights in the <see cref="ToString"/> form.</summary>
    public static List<QuestionTypeWeight> ParseList(string text)
    {
        var weights = new List<QuestionTypeWeight>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var f = part.Split(':');
            if (f.Length != 2 || !int.TryParse(f[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int weight))
                throw new ArgumentException($"Question type weight '{part}' is not TYPE:WEIGHT (e.g. position:2).");
            var w = new QuestionTypeWeight(f[0], weight);
            w.Validate();
            if (weights.Any(x => x.Type == w.Type)) throw new ArgumentException($"Question type '{w.Type}' is weighted twice.");
            weights.Add(w);
        }
        return weights;
    }
}
