using LvlmEval.Datasets;
using LvlmEval.Imaging;

namespace LvlmEval.Metrics.Pipeline;

/// <summary>
/// One sample for <see cref="SamplePipeline"/>: the dataset record and the seed every stochastic explainer and metric of
/// the sample draws from. Samples of a dataset take their seed from <see cref="InRun"/>; a single image asked about on
/// the command line or in the explorer gives it directly, so the maps of any run's sample (its <c>seed</c> column) can be
/// recomputed exactly.
/// </summary>
public sealed record SampleInput
{
    /// <summary>The dataset record (image, prompt, references, evidence).</summary>
    public required Sample Sample { get; init; }

    /// <summary>The sample's seed.</summary>
    public required int Seed { get; init; }

    /// <summary>Whether the sample-level metrics run (a resumed run whose sample row exists only adds missing explainers).</summary>
    public bool SampleMetrics { get; init; } = true;

    /// <summary>The explainers still to run; null runs every explainer of the options.</summary>
    public IReadOnlyList<LvlmEval.Explainers.IExplainer>? Explainers { get; init; }

    /// <summary>Another image of the dataset for the behavioural-reliance condition (loaded only when sample metrics run); null skips it.</summary>
    public ImageReference? OtherImage { get; init; }

    /// <summary>
    /// A dataset sample of a run: its seed derived from the experiment seed and the (model, dataset, sample) key
    /// (<see cref="SampleSeeds.For"/>), so shards, resumed runs and the tools' studies draw the same numbers.
    /// </summary>
    public static SampleInput InRun(Sample sample, int experimentSeed, string model, string dataset) =>
        new() { Sample = sample, Seed = SampleSeeds.For(experimentSeed, model, dataset, sample.Id) };

    /// <summary>One image and prompt outside any dataset (the <c>explain</c> command, the explorer): the sample is named after <paramref name="imageName"/> and has no references.</summary>
    public static SampleInput Single(RgbImage image, string imageName, string prompt, int seed) => new()
    {
        Sample = new Sample
        {
            Id = imageName, Dataset = "", Split = "", Image = ImageReference.FromFactory(imageName, () => image),
            Prompt = prompt, Question = prompt, Answers = [],
        },
        Seed = seed,
    };
}
