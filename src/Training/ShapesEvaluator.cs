using LvlmEval.Datasets;
using LvlmEval.Datasets.Shapes;
using LvlmEval.Models.Llava;

namespace LvlmEval.Training;

/// <summary>Correct and asked questions of one Shapes question type.</summary>
public sealed record TypeAccuracy(string Type, int Correct, int Total)
{
    /// <summary>Share answered correctly.</summary>
    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;
}

/// <summary>
/// Exact-match accuracy of greedy answers on a Shapes split, overall and per question type, plus the text-prior
/// measure: among <c>color_counterprior</c> questions (a star that is not yellow), the share answered "yellow".
/// </summary>
public sealed record ShapesAccuracy(IReadOnlyList<TypeAccuracy> Types, int PriorAnswers, int CounterPriorQuestions)
{
    /// <summary>Correct answers over all questions.</summary>
    public double Overall => (double)Types.Sum(t => t.Correct) / Math.Max(1, Types.Sum(t => t.Total));

    /// <summary>Questions asked.</summary>
    public int Total => Types.Sum(t => t.Total);

    /// <summary>Share of counter-prior colour questions answered with the prior colour "yellow".</summary>
    public double PriorAnswerRate => CounterPriorQuestions == 0 ? 0 : (double)PriorAnswers / CounterPriorQuestions;

    /// <summary>Accuracy of one type (0 when it was not asked).</summary>
    public double Of(string type) => Types.FirstOrDefault(t => t.Type == type)?.Accuracy ?? 0;
}

/// <summary>Answers Shapes questions with a model the way an evaluation run does: loader prompt, model template, greedy generation.</summary>
public static class ShapesEvaluator
{
    /// <summary>The prior colour of stars in the training distribution.</summary>
    public const string PriorColor = "yellow";

    /// <summary>Evaluates the first <paramref name="maxQuestions"/> questions (all when null) of the Shapes split.</summary>
    public static ShapesAccuracy Evaluate(LlavaModel model, string split, int seed, int images, int? maxQuestions = null, IProgress<int>? progress = null)
    {
        var options = new DatasetOptions
        {
            Root = "", Split = split, Limit = maxQuestions,
            Settings = new Dictionary<string, string> { ["seed"] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture), ["images"] = images.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };
        var pending = new ShapesLoader().Index(options);
        if (maxQuestions is { } m) pending = pending.Take(m).ToList();
        var counts = new SortedDictionary<string, (int Correct, int Total)>(StringComparer.Ordinal);
        int prior = 0, counterPrior = 0, done = 0;
        foreach (var p in pending)
        {
            var sample = p.Build();
            var answer = Answer(model, sample);
            bool correct = sample.Answers.Any(a => Normalize(a) == answer);
            string type = sample.QuestionType ?? "unknown";
            var (c, t) = counts.GetValueOrDefault(type);
            counts[type] = (c + (correct ? 1 : 0), t + 1);
            if (type == "color_counterprior")
            {
                counterPrior++;
                if (answer == PriorColor) prior++;
            }
            progress?.Report(++done);
        }
        return new ShapesAccuracy(counts.Select(kv => new TypeAccuracy(kv.Key, kv.Value.Correct, kv.Value.Total)).ToList(), prior, counterPrior);
    }

    /// <summary>The model's normalised greedy answer to a sample.</summary>
    public static string Answer(LlavaModel model, Sample sample)
    {
        var prepared = model.Prepare(sample.Image.Load(), sample.Prompt);
        return Normalize(model.Generate(prepared, maxNewTokens: 4).Text);
    }

    /// <summary>Lower case, surrounding whitespace and final punctuation removed.</summary>
    public static string Normalize(string text) => text.Trim().TrimEnd('.', '!', '?').Trim().ToLowerInvariant();
}
