using LvlmEval.Models.Config;
using LvlmEval.Models.Layers;
using LvlmEval.Models.Loading;
using LvlmEval.Models.Tracing;
using LvlmEval.Tensors;

namespace LvlmEval.Models.Text;

/// <summary>
/// A Llama or Qwen2 causal language model: token embedding, decoder layers, final RMSNorm and output head
/// (the embedding matrix when <c>tie_word_embeddings</c> and the checkpoint has no head).
/// </summary>
public sealed class LanguageModel
{
    private readonly DecoderLayer[] _layers;
    private readonly RotaryEmbedding _rotary;

    /// <summary>Loads the decoder body under <paramref name="body"/> and the head under <paramref name="head"/>.</summary>
    public LanguageModel(WeightPath body, WeightPath head, TextConfig config, string configFile)
    {
        Config = config;
        EmbedTokens = body.GetMatrix("embed_tokens.weight", config.VocabSize, config.HiddenSize);
        var layers = body.Pp("layers");
        _layers = new DecoderLayer[config.NumLayers];
        for (int i = 0; i < _layers.Length; i++) _layers[i] = new DecoderLayer(layers.Pp(i), config, configFile);
        FinalNorm = NormLayer.LoadRmsNorm(body.Pp("norm"), config.HiddenSize, config.RmsNormEps);
        bool tied = config.TieWordEmbeddings && !head.Contains("weight");
        LmHead = tied ? EmbedTokens : head.GetMatrix("weight", config.VocabSize, config.HiddenSize);
        HeadIsTied = tied;
        _rotary = new RotaryEmbedding(config);
    }

    /// <summary>The text configuration.</summary>
    public TextConfig Config { get; }

    /// <summary>Token embedding [vocab, D].</summary>
    public WeightMatrix EmbedTokens { get; }

    /// <summary>The final RMSNorm.</summary>
    public NormLayer FinalNorm { get; }

    /// <summary>Output head [vocab, D].</summary>
    public WeightMatrix LmHead { get; }

    /// <summary>Whether <see cref="LmHead"/> is the embedding matrix.</summary>
    public bool HeadIsTied { get; }

    /// <summary>Number of decoder layers.</summary>
    public int NumLayers => _layers.Length;

    /// <summary>The decoder layers, for methods that recompute a layer's pieces (head outputs, local gradients).</summary>
    public IReadOnlyList<DecoderLayer> Layers => _layers;

    /// <summary>Number of parameters (a tied head counted once).</summary>
    public long ParameterCount => EmbedTokens.Length + _layers.Sum(l => l.ParameterCount) + FinalNorm.ParameterCount + (HeadIsTied ? 0 : LmHead.Length);

    /// <summary>Embeds ids [B·S] as [B, S, D]; ids outside the vocabulary (image placeholders) embed as zeros.</summary>
    public Tensor Embed(ReadOnlySpan<int> ids, int batch)
    {
        int vocab = Config.VocabSize;
        var safe = new int[ids.Length];
        for (int i = 0; i < ids.Length; i++) safe[i] = ids[i] >= 0 && ids[i] < vocab ? ids[i] : 0;
        return Ops.Embedding(EmbedTokens, safe, batch, ids.Length / batch);
    }

    /// <summary>
    /// Runs the decoder on embeddings [B, S, D] at absolute <paramref name="positions"/>; returns the last hidden state
    /// before the final norm. Appends to <paramref name="cache"/> when given.
    /// </summary>
    internal Tensor Forward(Tensor embeddings, ReadOnlySpan<int> positions, KeyValueCache? cache, ForwardRecorder recorder)
    {
        var (cos, sin) = _rotary.Tables(positions);
        int first = positions[0];
        var h = recorder.LanguageHidden(0, embeddings, first);
        bool recompute = recorder.RecomputesLayers && Autograd.IsEnabled && h.RequiresGrad;
        for (int i = 0; i < _layers.Length; i++)
        {
            var result = recompute ? RecomputedLayer(i, h, cos, sin, recorder) : _layers[i].Forward(h, cos, sin, cache, i, recorder);
            recorder.LanguageAttention(result.Probabilities);
            h = recorder.LanguageHidden(i + 1, result.Output, first);
            ActivationMemory.AfterLayer(h.Length);
        }
        return h;
    }

    // Layer i as one recomputed block: the forward keeps its input (and what the recorder keeps); the backward re-runs the
    // layer and hands the re-run attention probabilities' gradient to the probabilities the forward recorded.
    private AttentionResult RecomputedLayer(int i, Tensor h, Tensor cos, Tensor sin, ForwardRecorder recorder)
    {
        var layer = _layers[i];
        var replay = recorder.ForReplay();
        Tensor? recorded = null, replayed = null;
        var output = Ops.Recompute(h, x =>
        {
            if (!Autograd.IsEnabled)
            {
                var first = layer.Forward(x, cos, sin, null, i, recorder);
                recorded = first.Probabilities;
                return first.Output;
            }
            var again = layer.Forward(x, cos, sin, null, i, replay);
            replayed = again.Probabilities.RetainGrad();
            return again.Output;
        }, afterBackward: () =>
        {
            if (recorded is not null && replayed?.Grad is { } g) recorded.Grad = recorded.Grad is null ? g : Ops.AddInPlace(recorded.Grad, g);
            replayed = null; // the local graph goes with it
        });
        return new AttentionResult(output, recorded!);
    }

    /// <summary>Logits [B, S', vocab] of hidden states [B, S', D]: final norm, then the output head.</summary>
    public Tensor Logits(Tensor hidden) => Ops.Linear(FinalNorm.Forward(hidden), LmHead);
}
