using LvlmEval.Models.Layers;
using LvlmEval.Tensors;

namespace LvlmEval.Models.Tracing;

/// <summary>
/// The result of a traced forward (<c>LlavaModel.Forward</c>): logits plus whatever <see cref="TraceOptions"/> asked to keep.
/// With gradients on, build a scalar with <see cref="Logit"/>, <see cref="LogitLens"/> or <see cref="AnswerLogProbability"/>
/// (or any ops on the kept tensors inside <c>Autograd.Enable()</c>) and call <see cref="Backward"/>; the gradients then sit in
/// the <c>Grad</c> of every kept attention map, hidden state, <see cref="ImageFeatures"/> and <see cref="Pixels"/>.
/// </summary>
public sealed class Trace
{
    // The language model's output side (final norm and head), for lens logits and graph log-probabilities; the trace
    // holds these rather than the model so tracing does not depend on the LLaVA assembly of parts.
    private readonly NormLayer _finalNorm;
    private readonly WeightMatrix _lmHead;
    private readonly ForwardRecorder _recorder;

    internal Trace(NormLayer finalNorm, WeightMatrix lmHead, int[] tokenIds, int answerStart, TraceOptions options, Tensor pixels,
        Tensor imageFeatures, Tensor lastHidden, Tensor logits, ForwardRecorder recorder)
    {
        _finalNorm = finalNorm;
        _lmHead = lmHead;
        _recorder = recorder;
        TokenIds = tokenIds;
        AnswerStart = answerStart;
        Options = options;
        Pixels = pixels;
        ImageFeatures = imageFeatures;
        LastHidden = lastHidden;
        Logits = logits;
    }

    /// <summary>Prompt then answer ids.</summary>
    public int[] TokenIds { get; }
    /// <summary>Position of the first answer token (= prompt length).</summary>
    public int AnswerStart { get; }
    public TraceOptions Options { get; }

    /// <summary>Pixels [B, 3, H, W] (a gradient leaf when gradients reach pixels).</summary>
    public Tensor Pixels { get; }

    /// <summary>Projected image-patch embeddings [B, N, D] fed to the language model.</summary>
    public Tensor ImageFeatures { get; }

    /// <summary>Last decoder layer's output [B, S, D], before the final norm.</summary>
    public Tensor LastHidden { get; }

    /// <summary>Logits [B, S − LogitsFrom, vocab]; row r predicts the token after position LogitsFrom + r.</summary>
    public Tensor Logits { get; }

    /// <summary>Per decoder layer: attention probabilities [B, H, S, S].</summary>
    public IReadOnlyList<Tensor> LanguageAttentions => _recorder.LanguageAttentions;

    /// <summary>Per run vision layer: attention probabilities [B, H, T, T].</summary>
    public IReadOnlyList<Tensor> VisionAttentions => _recorder.VisionAttentions;

    /// <summary>Residual stream [B, S, D]: index 0 the merged embeddings, k the output of decoder layer k (no final norm).</summary>
    public IReadOnlyList<Tensor> LanguageHiddenStates => _recorder.LanguageHiddenStates;

    /// <summary>Vision hidden states [B, T, Dv]: index 0 the encoder input, k the output of layer k.</summary>
    public IReadOnlyList<Tensor> VisionHiddenStates => _recorder.VisionHiddenStates;

    /// <summary>Per decoder layer, the value vectors [B, KV, S, head_dim] (with <see cref="TraceOptions.LanguageValues"/>).</summary>
    public IReadOnlyList<Tensor> LanguageValues => _recorder.LanguageValues;

    /// <summary>Per decoder layer, each head's attention output Σ_j α_j v_j [B, H, S, head_dim], before the output projection (with <see cref="TraceOptions.LanguageValues"/>).</summary>
    public IReadOnlyList<Tensor> LanguageHeadOutputs => _recorder.LanguageHeadOutputs;

    /// <summary>Attention probabilities of decoder layer <paramref name="layer"/> for batch item <paramref name="batch"/>: [H, S, S].</summary>
    public Tensor Attention(int layer, int batch = 0) => Ops.Select(LanguageAttentions[layer].Detach(), 0, batch);

    /// <summary>The logit of <paramref name="tokenId"/> predicted at <paramref name="position"/> (i.e. for position + 1), as a graph scalar.</summary>
    public Tensor Logit(int position, int tokenId, int batch = 0) => LensLogit(LastHidden, position, tokenId, batch);

    /// <summary>Logit lens: final norm and output head applied to hidden state <paramref name="layer"/> at <paramref name="position"/>.</summary>
    public Tensor LogitLens(int layer, int position, int tokenId, int batch = 0)
    {
        if (LanguageHiddenStates.Count == 0) throw new InvalidOperationException("The logit lens needs TraceOptions.LanguageHiddenStates.");
        return LensLogit(LanguageHiddenStates[layer], position, tokenId, batch);
    }

    private Tensor LensLogit(Tensor hidden, int position, int tokenId, int batch)
    {
        using var mode = GradientScope();
        var row = Ops.Select(Ops.Select(hidden, 0, batch), 0, position);
        var head = _lmHead.RowsAsTensor(tokenId, 1);
        return Ops.Reshape(Ops.Linear(_finalNorm.Forward(row), head), []);
    }

    /// <summary>
    /// log p(answer token <paramref name="index"/> | prompt, earlier answer tokens) for image <paramref name="batch"/>, as a
    /// graph scalar (for backpropagation) from the kept <see cref="Logits"/>, which must include its predicting row.
    /// </summary>
    public Tensor AnswerTokenLogProbability(int index, int batch = 0)
    {
        using var mode = GradientScope();
        var logits = Ops.Select(Ops.Select(Logits, 0, batch), 0, LogitRow(index));
        return Ops.Reshape(Ops.Narrow(Ops.LogSoftmax(logits), 0, TokenIds[AnswerStart + index], 1), []);
    }

    /// <summary>
    /// The model's one answer scoring: log p(y_t | x, prompt, y_&lt;t) of every answer token for image
    /// <paramref name="batch"/>, as numbers (log-softmax in double over the kept <see cref="Logits"/>, no graph).
    /// </summary>
    public double[] AnswerTokenLogProbabilities(int batch = 0)
    {
        int answerLength = TokenIds.Length - AnswerStart, rows = Logits.Dim(1), vocabulary = Logits.Dim(2);
        var data = Logits.Data;
        var result = new double[answerLength];
        for (int t = 0; t < answerLength; t++)
            result[t] = LogSoftmaxAt(data.Slice((batch * rows + LogitRow(t)) * vocabulary, vocabulary), TokenIds[AnswerStart + t]);
        return result;
    }

    /// <summary>The row of <see cref="Logits"/> that predicts answer token <paramref name="index"/>.</summary>
    private int LogitRow(int index)
    {
        int row = AnswerStart - 1 + index - Options.LogitsFrom;
        if (index < 0 || AnswerStart + index >= TokenIds.Length) throw new ArgumentOutOfRangeException(nameof(index), index, $"The answer has {TokenIds.Length - AnswerStart} tokens.");
        if (row < 0) throw new InvalidOperationException($"The trace's logits start at position {Options.LogitsFrom}, after the row predicting answer token {index}; trace with LogitsFrom ≤ {AnswerStart - 1}.");
        return row;
    }

    /// <summary>log softmax(row)[index], computed in double.</summary>
    private static double LogSoftmaxAt(ReadOnlySpan<float> row, int index)
    {
        float max = float.NegativeInfinity;
        foreach (float v in row) if (v > max) max = v;
        double sum = 0;
        foreach (float v in row) sum += Math.Exp(v - max);
        return row[index] - max - Math.Log(sum);
    }

    /// <summary>Σ over answer tokens of log p(answer token | prefix), as a graph scalar.</summary>
    public Tensor AnswerLogProbability(int batch = 0)
    {
        int answerLength = TokenIds.Length - AnswerStart;
        if (answerLength == 0) throw new InvalidOperationException("The trace has no answer tokens.");
        using var mode = GradientScope();
        var rows = Ops.Narrow(Ops.Select(LastHidden, 0, batch), 0, AnswerStart - 1, answerLength);
        var targets = TokenIds.AsSpan(AnswerStart).ToArray();
        // Cross-entropy is the mean negative log-probability; scale back to the sum.
        return Ops.Mul(Ops.CrossEntropy(Ops.Linear(_finalNorm.Forward(rows), _lmHead), targets), -answerLength);
    }

    /// <summary>Clears earlier gradients, then backpropagates <paramref name="scalar"/> to every kept tensor.</summary>
    public void Backward(Tensor scalar)
    {
        if (!Options.Gradients) throw new InvalidOperationException("This trace was run without TraceOptions.Gradients.");
        using var modelClock = ModelClock.Measure();
        ZeroGradients();
        scalar.Backward();
    }

    /// <summary>Forgets gradients of the kept tensors.</summary>
    public void ZeroGradients()
    {
        foreach (var list in new[] { LanguageAttentions, VisionAttentions, LanguageHiddenStates, VisionHiddenStates })
            foreach (var t in list) t.Grad = null;
        Pixels.Grad = null;
        ImageFeatures.Grad = null;
    }

    private IDisposable GradientScope() => Options.Gradients ? Autograd.Enable() : Autograd.Disable();
}
