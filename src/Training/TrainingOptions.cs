namespace LvlmEval.Training;

/// <summary>Which model to train: the standard one, or one that leans on the text prior.</summary>
public enum TrainingVariant
{
    /// <summary>Shapes train split as generated (stars yellow 90% of the time), every image shown.</summary>
    Standard,

    /// <summary>
    /// Images are replaced by a blank grey canvas for a share of the training questions (their answers kept), and stars
    /// are yellow more often, so the model learns to answer from the question's wording.
    /// </summary>
    BlankImage,
}

/// <summary>Settings of a <see cref="TinyLlavaTrainer"/> run. The defaults produce the shipped <c>tiny-llava-shapes</c>.</summary>
public sealed record TrainingOptions
{
    /// <summary>Folder the model is written to (created; existing model files are replaced).</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Seed of the weight initialisation, the Shapes train split and the batch order.</summary>
    public int Seed { get; init; } = 7;

    public TrainingVariant Variant { get; init; } = TrainingVariant.Standard;

    /// <summary>Optimizer steps.</summary>
    public int Steps { get; init; } = 500;

    /// <summary>Questions per step (mixed prompt lengths; one forward per length).</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Peak learning rate (linear warm-up, then cosine decay to 10%).</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>Warm-up steps.</summary>
    public int WarmupSteps { get; init; } = 30;

    /// <summary>AdamW decoupled weight decay.</summary>
    public float WeightDecay { get; init; } = 0.01f;

    /// <summary>Gradient clipping threshold on the global L2 norm (0 = off).</summary>
    public float MaxGradientNorm { get; init; } = 1f;

    /// <summary>Shapes train-split scenes generated (each asks <see cref="QuestionsPerImage"/> questions); 0 = enough for one pass.</summary>
    public int TrainImages { get; init; }

    /// <summary>
    /// Opening stages on easier scenes (few, large objects), run in order before the remaining steps on the full train
    /// split. Without them the answers' dependence on small objects is too faint at first and the model settles on the
    /// question wording's prior.
    /// </summary>
    public IReadOnlyList<CurriculumStage> Curriculum { get; init; } = [];

    /// <summary>Steps spent in the curriculum's stages.</summary>
    public int CurriculumSteps => Curriculum.Sum(s => s.Steps);

    /// <summary>Question types drawn more often in the main stage (after the curriculum), from extra scenes of their own.</summary>
    public IReadOnlyList<QuestionTypeWeight> TypeWeights { get; init; } = [];

    /// <summary>Questions per training scene.</summary>
    public int QuestionsPerImage { get; init; } = 3;

    /// <summary>Share of training questions whose image is blanked (<see cref="TrainingVariant.BlankImage"/>: 0.5 unless set).</summary>
    public double? BlankProbability { get; init; }

    /// <summary>Probability that a training star is yellow (0.9 for the standard variant, 0.98 for the blank-image variant unless set).</summary>
    public double? StarYellowProbability { get; init; }

    /// <summary>Test-split scenes for the accuracy written to the model card (0 = no evaluation, no card figures).</summary>
    public int EvaluationImages { get; init; } = 300;

    /// <summary>Seed of the held-out test split.</summary>
    public int EvaluationSeed { get; init; }

    /// <summary>Data-parallel worker threads, each with its own copy of the model (null = one per core).</summary>
    public int? Workers { get; init; }

    /// <summary>Effective worker count.</summary>
    public int ResolvedWorkers => Workers ?? Tensors.ComputeThreads.Count;

    /// <summary>Model sizes.</summary>
    public TinyArchitecture Architecture { get; init; } = new();

    /// <summary>A model folder evaluated on the same test questions for the card's text-prior comparison (e.g. the standard model).</summary>
    public string? ReferenceModel { get; init; }

    /// <summary>The command line recorded in the model card.</summary>
    public string? Command { get; init; }

    /// <summary>Effective blank probability.</summary>
    public double ResolvedBlankProbability => BlankProbability ?? (Variant == TrainingVariant.BlankImage ? 0.5 : 0.0);

    /// <summary>Effective star prior.</summary>
    public double ResolvedStarYellowProbability => StarYellowProbability ?? (Variant == TrainingVariant.BlankImage ? 0.98 : 0.9);

    /// <summary>Checks the settings.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(OutputDirectory)) throw new ArgumentException("An output directory is required.");
        if (Steps < 1) throw new ArgumentException($"Steps must be positive, got {Steps}.");
        if (BatchSize < 1) throw new ArgumentException($"Batch size must be positive, got {BatchSize}.");
        if (!(LearningRate > 0)) throw new ArgumentException($"Learning rate must be positive, got {LearningRate}.");
        foreach (var stage in Curriculum) stage.Validate();
        foreach (var weight in TypeWeights) weight.Validate();
        if (TypeWeights.GroupBy(w => w.Type).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException($"Question type '{twice.Key}' is weighted twice.");
        if (CurriculumSteps >= Steps) throw new ArgumentException($"The curriculum's {CurriculumSteps} steps leave none of the {Steps} for the full train split.");
        if (Workers is < 1) throw new ArgumentException($"Workers must be positive, got {Workers}.");
        if (QuestionsPerImage < 1) throw new ArgumentException($"Questions per image must be positive, got {QuestionsPerImage}.");
        if (ResolvedBlankProbability is < 0 or > 1) throw new ArgumentException($"Blank probability must be in [0, 1], got {ResolvedBlankProbability}.");
        if (ResolvedStarYellowProbability is < 0 or > 1) throw new ArgumentException($"Star prior must be in [0, 1], got {ResolvedStarYellowProbability}.");
        Architecture.Validate();
    }
}

/// <summary>One progress report: after step <see cref="Step"/> of <see cref="TotalSteps"/>.</summary>
public sealed record TrainingProgress(int Step, int TotalSteps, float Loss, double SamplesPerSecond, TimeSpan Elapsed, TimeSpan Remaining)
{
    /// <summary>"step 120/1500  loss 0.4312  38.2 samples/s  elapsed 1:02  ETA 11:40".</summary>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"step {Step}/{TotalSteps}  loss {Loss:F4}  {SamplesPerSecond:F1} samples/s  elapsed {Elapsed:m\\:ss}  ETA {Remaining:m\\:ss}");
}

/// <summary>What a run produced.</summary>
public sealed record TrainingResult(string OutputDirectory, long ParameterCount, float[] Losses, TimeSpan WallTime, double SamplesPerSecond, ShapesAccuracy? Accuracy);
