namespace LvlmEval.Models.Tokenization;

/// <summary>The BPE settings of tokenizer.json's <c>model</c> section.</summary>
public sealed record BpeOptions
{
    /// <summary>Token used for characters missing from the vocabulary (null: such characters are dropped).</summary>
    public string? UnkToken { get; init; }

    /// <summary>Prefix of every non-initial symbol of a word (e.g. "##"); null or empty for none.</summary>
    public string? ContinuingSubwordPrefix { get; init; }

    /// <summary>Suffix of a word's last symbol (e.g. "&lt;/w&gt;"); null or empty for none.</summary>
    public string? EndOfWordSuffix { get; init; }

    /// <summary>Consecutive unknown characters become a single unknown token.</summary>
    public bool FuseUnk { get; init; }

    /// <summary>Characters missing from the vocabulary become their UTF-8 bytes as &lt;0xHH&gt; tokens.</summary>
    public bool ByteFallback { get; init; }

    /// <summary>A piece that is itself a vocabulary entry is emitted whole, without merging.</summary>
    public bool IgnoreMerges { get; init; }
}
