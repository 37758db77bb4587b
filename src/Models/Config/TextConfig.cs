using LvlmEval.Common.Config;

namespace LvlmEval.Models.Config;

/// <summary>Decoder families; Qwen2 is Llama with biased q/k/v projections.</summary>
public enum TextModelFamily
{
    /// <summary><c>model_type: "llama"</c> (Llama, Vicuna, TinyLlama).</summary>
    Llama,

    /// <summary><c>model_type: "qwen2"</c>.</summary>
    Qwen2,
}

/// <summary>The language model's <c>text_config</c>, every absent field at the transformers default of its family.</summary>
public sealed record TextConfig
{
    public required TextModelFamily Family { get; init; }
    public required string ModelType { get; init; }
    public required int VocabSize { get; init; }
    public required int HiddenSize { get; init; }
    public required int IntermediateSize { get; init; }
    public required int NumLayers { get; init; }
    public required int NumHeads { get; init; }
    public required int NumKeyValueHeads { get; init; }
    public required int HeadDim { get; init; }
    public required string HiddenAct { get; init; }
    public required int MaxPositionEmbeddings { get; init; }
    public required float RmsNormEps { get; init; }
    public required double RopeTheta { get; init; }
    public RopeScaling? RopeScaling { get; init; }
    /// <summary>Bias on q, k and v projections (Qwen2 always; Llama with <c>attention_bias</c>).</summary>
    public required bool QkvBias { get; init; }
    /// <summary>Bias on the attention output projection (Llama <c>attention_bias</c>).</summary>
    public required bool OutputBias { get; init; }
    /// <summary>Bias on gate/up/down projections (Llama <c>mlp_bias</c>).</summary>
    public required bool MlpBias { get; init; }
    /// <summary>Whether the output head shares the token embedding (explicit in the text config or the LLaVA root).</summary>
    public required bool TieWordEmbeddings { get; init; }
    public int? BosTokenId { get; init; }
    public int[] EosTokenIds { get; init; } = [];

    internal static TextConfig Read(ConfigNode s, bool? rootTie)
    {
        var modelType = s.Choice("model_type", "llama", ["llama", "qwen2"]);
        var family = modelType == "qwen2" ? TextModelFamily.Qwen2 : TextModelFamily.Llama;
        bool qwen = family == TextModelFamily.Qwen2;
        int hidden = s.Int("hidden_size", 4096, min: 1);
        int heads = s.Int("num_attention_heads", 32, min: 1);
        int kvHeads = s.OptionalInt("num_key_value_heads", min: 1) ?? (qwen ? 32 : heads);
        if (heads % kvHeads != 0) throw s.FieldError("num_key_value_heads", $"({kvHeads}) must divide num_attention_heads ({heads}).");
        int headDim = s.OptionalInt("head_dim", min: 1) ?? hidden / heads;
        if (headDim % 2 != 0) throw s.FieldError("head_dim", $"({headDim}) must be even for rotary embeddings.");
        bool attentionBias = s.Bool("attention_bias", false);
        return new TextConfig
        {
            Family = family,
            ModelType = modelType,
            VocabSize = s.Int("vocab_size", qwen ? 151936 : 32000, min: 1),
            HiddenSize = hidden,
            IntermediateSize = s.Int("intermediate_size", qwen ? 22016 : 11008, min: 1),
            NumLayers = s.Int("num_hidden_layers", 32, min: 0),
            NumHeads = heads,
            NumKeyValueHeads = kvHeads,
            HeadDim = headDim,
            HiddenAct = s.Choice("hidden_act", "silu", Activations.Names),
            MaxPositionEmbeddings = s.Int("max_position_embeddings", qwen ? 32768 : 2048, min: 1),
            RmsNormEps = (float)s.Double("rms_norm_eps", 1e-6, min: 0),
            RopeTheta = s.Double("rope_theta", 10000.0, min: 0),
            RopeScaling = RopeScaling.Read(s),
            QkvBias = qwen || attentionBias,
            OutputBias = !qwen && attentionBias,
            MlpBias = !qwen && s.Bool("mlp_bias", false),
            TieWordEmbeddings = s.OptionalBool("tie_word_embeddings") ?? rootTie ?? false,
            BosTokenId = s.OptionalInt("bos_token_id") ?? (qwen ? null : 1),
            EosTokenIds = s.IntOrIntList("eos_token_id") ?? (qwen ? [] : [2]),
        };
    }
}
