namespace LvlmEval.Models.Tracing;

/// <summary>
/// Blocks attention edges in one decoder layer: query positions <see cref="Queries"/> cannot attend to key positions
/// <see cref="Keys"/> (their attention scores become −∞ before the softmax, so the remaining weights renormalise),
/// in the batch items <see cref="Items"/> (all when null). This is the attention knockout of Geva, Bastings, Filippova
/// &amp; Globerson 2023 ("Dissecting recall of factual associations in auto-regressive language models"). Positions
/// are absolute. A query must keep at least one visible key; blocking every key of a row is an error.
/// </summary>
/// <param name="Layer">Decoder layer index, 0 … L − 1.</param>
/// <param name="Queries">Absolute positions whose attention is edited.</param>
/// <param name="Keys">Absolute positions they may no longer read.</param>
/// <param name="Items">Batch items the block applies to; null: every item.</param>
public sealed record AttentionBlock(int Layer, IReadOnlyList<int> Queries, IReadOnlyList<int> Keys, IReadOnlyList<int>? Items = null);
