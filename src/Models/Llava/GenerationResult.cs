namespace LvlmEval.Models.Llava;

/// <summary>
/// A greedy answer: generated ids (the EOS, when produced, is not included), decoded text, why decoding stopped, and
/// the wall time of the prefill (image, prompt, first token) and of the decode steps after it.
/// </summary>
public sealed record GenerationResult(int[] TokenIds, string Text, bool StoppedAtEos, TimeSpan PrefillTime, TimeSpan DecodeTime);
