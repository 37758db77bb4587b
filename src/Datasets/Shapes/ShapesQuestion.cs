namespace LvlmEval.Datasets.Shapes;

/// <summary>
/// A question about a scene, its answer, the objects the answer depends on (the evidence), and its type:
/// color, color_counterprior (a non-yellow star), shape, exists, count, position, largest, pair.
/// </summary>
public sealed record ShapesQuestion(string Type, string Text, string Answer, IReadOnlyList<int> EvidenceObjects);

/// <summary>Derives questions and answers from a scene graph.</summary>
public static class QuestionGenerator
{
    /// <summary>Question types in the order they are cycled through.</summary>
    public static readonly IReadOnlyList<string> Types = ["color", "shape", "exists", "count", "position", "largest"];

    /// <summary>Up to <paramref name="count"/> questions of different types that the scene supports, starting at a random type.</summary>
    public static List<ShapesQuestion> Generate(Scene scene, Random rng, int count)
    {
        var questions = new List<ShapesQuestion>();
        int start = rng.Next(Types.Count);
        for (int k = 0; k < Types.Count && questions.Count < count; k++)
        {
            var q = Make(Types[(start + k) % Types.Count], scene, rng);
            if (q is not null) questions.Add(q);
        }
        return questions;
    }

    /// <summary>One question of a type, or null when the scene cannot support it unambiguously.</summary>
    public static ShapesQuestion? Make(string type, Scene scene, Random rng)
    {
        var objs = scene.Objects;
        var indices = Enumerable.Range(0, objs.Count).ToList();
        switch (type)
        {
            case "color":
            {
                var unique = indices.Where(i => objs.Count(o => o.Shape == objs[i].Shape) == 1).ToList();
                if (unique.Count == 0) return null;
                int i = unique[rng.Next(unique.Count)];
                var o = objs[i];
                string t = o.Shape == ShapeKind.Star && o.ColorName != "yellow" ? "color_counterprior" : "color";
                return new(t, $"What color is the {o.ShapeName}?", o.ColorName, [i]);
            }
            case "shape":
            {
                var unique = indices.Where(i => objs.Count(o => o.Color == objs[i].Color) == 1).ToList();
                if (unique.Count == 0) return null;
                int i = unique[rng.Next(unique.Count)];
                return new("shape", $"What shape is the {objs[i].ColorName} object?", objs[i].ShapeName, [i]);
            }
            case "exists":
            {
                if (rng.Next(2) == 0 && objs.Count > 0)
                {
                    int i = rng.Next(objs.Count);
                    return new("exists", $"Is there a {objs[i].ColorName} {objs[i].ShapeName}?", "yes", [i]);
                }
                for (int attempt = 0; attempt < 50; attempt++)
                {
                    var shape = ShapeVocabulary.Shapes[rng.Next(ShapeVocabulary.Shapes.Count)];
                    int color = rng.Next(ShapeVocabulary.Colors.Count);
                    if (objs.Any(o => o.Shape == shape && o.Color == color)) continue;
                    return new("exists", $"Is there a {ShapeVocabulary.Colors[color].Name} {ShapeVocabulary.Name(shape)}?", "no", []);
                }
                return null;
            }
            case "count":
            {
                int color = rng.Next(4) > 0 && objs.Count > 0 ? objs[rng.Next(objs.Count)].Color : rng.Next(ShapeVocabulary.Colors.Count);
                var matching = indices.Where(i => objs[i].Color == color).ToList();
                return new("count", $"How many {ShapeVocabulary.Colors[color].Name} objects are there?", ShapeVocabulary.Numbers[matching.Count], matching);
            }
            case "position":
            {
                var unique = indices.Where(i => objs.Count(o => o.Shape == objs[i].Shape) == 1).ToList();
                var pairs = (from p in unique from q in unique where p < q select (a: p, b: q)).ToList();
                bool horizontal = rng.Next(2) == 0;
                // Only pairs separated along the asked axis by more than their radii, so the answer is visually clear.
                pairs = pairs.Where(p => Separation(objs[p.a], objs[p.b], horizontal) > objs[p.a].Radius + objs[p.b].Radius).ToList();
                if (pairs.Count == 0) return null;
                var (i, j) = pairs[rng.Next(pairs.Count)];
                if (rng.Next(2) == 0) (i, j) = (j, i);
                var (first, second) = (objs[i], objs[j]);
                var winner = horizontal ? (first.CenterX < second.CenterX ? first : second) : (first.CenterY < second.CenterY ? first : second);
                string text = horizontal ? $"Which is further left, the {first.ShapeName} or the {second.ShapeName}?" : $"Which is higher, the {first.ShapeName} or the {second.ShapeName}?";
                return new("position", text, winner.ShapeName, [i, j]);
            }
            case "largest":
            {
                if (objs.Count < 2) return null;
                var bySize = indices.OrderByDescending(i => objs[i].Area).ToList();
                // A clear margin in drawn area, so the answer does not hinge on a few pixels.
                if (objs[bySize[0]].Area < 1.5 * objs[bySize[1]].Area) return null;
                return new("largest", "What shape is the largest object?", objs[bySize[0]].ShapeName, [bySize[0]]);
            }
            default:
                throw new ArgumentException($"Unknown Shapes question type '{type}'. Valid types: {string.Join(", ", Types)}.");
        }
    }

    private static double Separation(SceneObject a, SceneObject b, bool horizontal) =>
        horizontal ? Math.Abs(a.CenterX - b.CenterX) : Math.Abs(a.CenterY - b.CenterY);
}
