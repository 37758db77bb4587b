namespace LvlmEval.Metrics.Task;

/// <summary>A dataset's official answer score for one prediction against the sample's reference answers, in [0, 1].</summary>
public interface ITaskScorer
{
    /// <summary>Short name of the rule ("vqa-accuracy", "relaxed-accuracy" …), for reports.</summary>
    string Name { get; }

    /// <summary>The score of <paramref name="prediction"/> given <paramref name="references"/>.</summary>
    double Score(string prediction, IReadOnlyList<string> references);

    /// <summary>The score of <paramref name="prediction"/> for <paramref name="sample"/>; scorers that need more than the references (MMVP's option texts) override it.</summary>
    double Score(string prediction, LvlmEval.Datasets.Sample sample) => Score(prediction, sample.Answers);
}
