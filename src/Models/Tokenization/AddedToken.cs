namespace LvlmEval.Models.Tokenization;

/// <summary>
/// A token added on top of the model vocabulary (tokenizer.json <c>added_tokens</c>). Added tokens are split
/// out of the input before the model sees it; <see cref="Normalized"/> ones are matched in normalized text.
/// </summary>
/// <param name="Content">The exact text of the token.</param>
/// <param name="Special">Skipped by <see cref="Tokenizer.Decode"/> when special tokens are skipped.</param>
/// <param name="Normalized">Matched against normalized text instead of the raw input.</param>
/// <param name="SingleWord">Only matched when not inside a word.</param>
/// <param name="LStrip">Absorbs the whitespace on its left.</param>
/// <param name="RStrip">Absorbs the whitespace on its right.</param>
public sealed record AddedToken(string Content, bool Special, bool Normalized, bool SingleWord = false, bool LStrip = false, bool RStrip = false)
{
    /// <summary>A special token (not normalized), as the reference library's <c>add_special_tokens</c> creates.</summary>
    public static AddedToken SpecialToken(string content) => new(content, Special: true, Normalized: false);

    /// <summary>A regular added token (normalized), as the reference library's <c>add_tokens</c> creates.</summary>
    public static AddedToken RegularToken(string content) => new(content, Special: false, Normalized: true);
}
