namespace LvlmEval.Models.Llava;

/// <summary>A greedy answer: generated ids (the EOS, when produced, is not included), decoded text, and why decoding stopped.</summary>
public sealed record GenerationResult(int[] TokenIds, string Text, bool StoppedAtEos);
