namespace LvlmEval.Probing.Extraction;

/// <summary>One pooled activation: the layer, the pooling, how many token vectors it covers and the values (tokens × dim, row-major).</summary>
public sealed record ExtractedVector(ModelLayer Layer, Pooling Pooling, int Tokens, int Dim, float[] Values);

/// <summary>Everything extracted from one sample: the vectors and the model's own first answer token (greedy, from the same forward).</summary>
public sealed record ExtractedSample(IReadOnlyList<ExtractedVector> Vectors, int PredictedFirstToken, string PredictedFirstText, int? ReferenceFirstToken);
