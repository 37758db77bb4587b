using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;
using LvlmEval.Tensors;

namespace LvlmEval.Explainers.Core;

/// <summary>
/// One explanation in progress: the request checked, where the answer and the image sit in the sequence, and a meter
/// of model calls and time. Answer token i is predicted at position <see cref="PredictingPosition"/>(i).
/// </summary>
internal sealed class ExplainContext
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private double _forwards;
    private int _backwards;

    public ExplainContext(ExplainRequest request)
    {
        if (request.Prepared.BatchSize != 1)
            throw new ArgumentException($"An explanation takes one image, got a batch of {request.Prepared.BatchSize}.", nameof(request));
        if (request.AnswerIds.Length == 0)
            throw new ArgumentException("The answer to explain is empty (the model's first token was EOS).", nameof(request));
        Request = request;
    }

    public ExplainRequest Request { get; }
    public LlavaModel Model => Request.Model;
    public PreparedInput Prepared => Request.Prepared;
    public int[] AnswerIds => Request.AnswerIds;
    public int AnswerLength => Request.AnswerIds.Length;
    public int AnswerStart => Prepared.TokenIds.Length;
    public int GridHeight => Prepared.GridHeight;
    public int GridWidth => Prepared.GridWidth;
    public int Patches => Prepared.GridHeight * Prepared.GridWidth;

    /// <summary>The position whose output predicts answer token <paramref name="index"/>.</summary>
    public int PredictingPosition(int index) => AnswerStart + index - 1;

    /// <summary>Whether sequence position <paramref name="position"/> holds an image token.</summary>
    public bool IsImage(int position) => position >= Prepared.ImageTokenStart && position < Prepared.ImageTokenStart + Prepared.ImageTokenCount;

    /// <summary>The patch-grid values of a row over sequence positions; NaN for a patch no image token holds.</summary>
    public float[] PatchValues(ReadOnlySpan<float> row)
    {
        var values = new float[Patches];
        for (int p = 0; p < values.Length; p++)
            values[p] = Prepared.PatchPosition(p) is int position and >= 0 ? row[position] : float.NaN;
        return values;
    }

    /// <summary>
    /// Sets the patches no image token holds to NaN (missing) in a map computed from sequence positions: reading them
    /// would read a text token (SigLIP under "default" selection has no token for patch (0, 0)).
    /// </summary>
    public float[] MarkMissingPatches(float[] values)
    {
        for (int p = 0; p < values.Length; p++)
            if (Prepared.PatchPosition(p) < 0) values[p] = float.NaN;
        return values;
    }

    public PatchMap Map(float[] values) => new(GridHeight, GridWidth, values);

    /// <summary>A traced forward of the prompt and answer (shared through the request's cache when it has one); logits from the last prompt position on.</summary>
    public Trace Trace(TraceOptions options)
    {
        options = options with { LogitsFrom = AnswerStart - 1 };
        _forwards += 1;
        return Request.Traces is { } cache
            ? cache.GetOrRun(options, o => Model.Forward(Prepared, AnswerIds, o))
            : Model.Forward(Prepared, AnswerIds, options);
    }

    /// <summary>Backpropagates <paramref name="scalar"/> through <paramref name="trace"/>, counted.</summary>
    public void Backward(Trace trace, Tensor scalar)
    {
        _backwards++;
        trace.Backward(scalar);
    }

    /// <summary>Counts <paramref name="images"/> forwards made outside <see cref="Trace"/> (perturbation batches count each image).</summary>
    public void CountForwards(double images) => _forwards += images;

    /// <summary>Counts backward passes made outside <see cref="Backward"/>.</summary>
    public void CountBackwards(int count) => _backwards += count;

    /// <summary>The explanation with this context's cost.</summary>
    public Explanation Finish(string name, IReadOnlyList<TokenExplanation> tokens, PatchMap sequence) => new()
    {
        Explainer = name, Tokens = tokens, SequenceMap = sequence,
        Cost = new ExplainerCost(_forwards, _backwards, _clock.Elapsed),
    };
}
