using LvlmEval.Models.Llava;
using LvlmEval.Tensors;

namespace LvlmEval.Models.Tracing;

/// <summary>
/// The result of <see cref="LlavaModel.Forward"/>: logits plus whatever <see cref="TraceOptions"/> asked to keep.
/// With gradients on, build a scalar with <see cref="Logit"/>, <see cref="LogitLens"/> or <see cref="AnswerLogProbability"/>
/// (or any ops on the kept tensors inside <c>Autograd.Enable()</c>) and call <see cref="Backward"/>; the gradients then sit in
/// the <c>Grad</c> of every kept attention map, hidden state, <see cref="ImageFeatures"/> and <see cref="Pixels"/>.
/// </summary>
public sealed class Trace
{
    private readonly LlavaModel _model;
    private readonly ForwardRecorder _recorder;

    internal Trace(LlavaModel model, PreparedInput prepared, int[] tokenIds, int answerStart, TraceOptions options, Tensor pixels,
        Tensor imageFeatures, Tensor lastHidden, Tensor logits, ForwardRecorder recorder)
    {
        _model = model;
        _recorder = recorder;
        Prepared = prepared;
        TokenIds = tokenIds;
        AnswerStart = answerStart;
        Options = options;
        Pixels = pixels;
        ImageFeatures = imageFeatures;
        LastHidden = lastHidden;
        Logits = logits;
    }

    public PreparedInput Prepared { get; }
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
        var head = _model.Language.LmHead.RowsAsTensor(tokenId, 1);
        return Ops.Reshape(Ops.Linear(_model.Language.FinalNorm.Forward(row), head), []);
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
        return Ops.Mul(Ops.CrossEntropy(_model.Language.Logits(rows), targets), -answerLength);
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
