using System.Text.Json.Serialization;

namespace LvlmEval.Probing.Extraction;

/// <summary>
/// One row of the <c>activations</c> table: one sample × layer × pooling, with the sample's labels (docs/PROBES.md).
/// Column names are an interface: add columns, never rename.
/// </summary>
public sealed class ActivationRecord
{
    [JsonPropertyName("run_id")] public string RunId { get; set; } = "";
    [JsonPropertyName("model")] public string Model { get; set; } = "";
    [JsonPropertyName("dataset")] public string Dataset { get; set; } = "";
    [JsonPropertyName("split")] public string Split { get; set; } = "";
    [JsonPropertyName("sample_id")] public string SampleId { get; set; } = "";
    /// <summary>The image the sample asks about; cross-validation folds never split one image.</summary>
    [JsonPropertyName("image_id")] public string ImageId { get; set; } = "";
    [JsonPropertyName("question")] public string Question { get; set; } = "";
    [JsonPropertyName("question_type")] public string? QuestionType { get; set; }
    /// <summary>The first reference answer.</summary>
    [JsonPropertyName("answer")] public string Answer { get; set; } = "";
    /// <summary>The model's greedy first answer token (decoded), from the extraction forward.</summary>
    [JsonPropertyName("predicted")] public string Predicted { get; set; } = "";
    /// <summary>Whether the predicted first token equals the reference answer's first token.</summary>
    [JsonPropertyName("correct")] public bool? Correct { get; set; }
    [JsonPropertyName("layer")] public string Layer { get; set; } = "";
    /// <summary>vision, projector or language.</summary>
    [JsonPropertyName("layer_kind")] public string LayerKind { get; set; } = "";
    /// <summary>Data-flow order: vision layers, then the projector, then language layers.</summary>
    [JsonPropertyName("layer_order")] public int LayerOrder { get; set; }
    [JsonPropertyName("pooling")] public string Pooling { get; set; } = "";
    /// <summary>Token vectors stored in <see cref="Vector"/>: 1 for a pooled row, every token for pooling none.</summary>
    [JsonPropertyName("tokens")] public int Tokens { get; set; }
    /// <summary>Token vectors the row was pooled from (image-mean: the image tokens; text-last, answer-first: 1).</summary>
    [JsonPropertyName("pooled_tokens")] public int PooledTokens { get; set; }
    [JsonPropertyName("dim")] public int Dim { get; set; }
    /// <summary>The vector (tokens × dim values, row-major, for pooling none).</summary>
    [JsonPropertyName("vector")] public float[] Vector { get; set; } = [];
    /// <summary>Structured labels of the queried object where the dataset has them (Shapes): colour, shape, objects in the scene, position.</summary>
    [JsonPropertyName("colour")] public string? Colour { get; set; }
    [JsonPropertyName("shape")] public string? Shape { get; set; }
    [JsonPropertyName("count")] public string? Count { get; set; }
    [JsonPropertyName("position")] public string? Position { get; set; }

    /// <summary>The label columns a probe can be trained on.</summary>
    public static readonly IReadOnlyList<string> LabelColumns = ["answer", "question_type", "predicted", "colour", "shape", "count", "position"];

    /// <summary>The value of label column <paramref name="column"/> (null when the sample has none).</summary>
    public string? Label(string column) => column switch
    {
        "answer" => Answer,
        "question_type" => QuestionType,
        "predicted" => Predicted,
        "colour" => Colour,
        "shape" => Shape,
        "count" => Count,
        "position" => Position,
        _ => throw new ArgumentException($"--label '{column}' is not a label column; valid: {string.Join(", ", LabelColumns)}."),
    };
}
