using System.Text.Json.Serialization;

namespace LvlmEval.Probing.Probes;

/// <summary>One row of <c>probes.parquet</c>: one outer fold of one probe (model × layer × pooling × label). Column names are an interface.</summary>
public sealed class ProbeRecord
{
    [JsonPropertyName("model")] public string Model { get; set; } = "";
    [JsonPropertyName("layer")] public string Layer { get; set; } = "";
    /// <summary>Data-flow order (vision, projector, language), for charts.</summary>
    [JsonPropertyName("layer_order")] public int LayerOrder { get; set; }
    [JsonPropertyName("pooling")] public string Pooling { get; set; } = "";
    [JsonPropertyName("label")] public string Label { get; set; } = "";
    [JsonPropertyName("fold")] public int Fold { get; set; }
    [JsonPropertyName("accuracy")] public double Accuracy { get; set; }
    [JsonPropertyName("control_accuracy")] public double ControlAccuracy { get; set; }
    [JsonPropertyName("selectivity")] public double Selectivity { get; set; }
    /// <summary>Test items of the fold.</summary>
    [JsonPropertyName("n")] public int N { get; set; }
    /// <summary>The C (inverse L2 strength) the inner CV chose.</summary>
    [JsonPropertyName("regularisation")] public double Regularisation { get; set; }
    [JsonPropertyName("control_regularisation")] public double ControlRegularisation { get; set; }
    /// <summary>Accuracy of predicting the training folds' most frequent label.</summary>
    [JsonPropertyName("majority_accuracy")] public double MajorityAccuracy { get; set; }
    [JsonPropertyName("classes")] public int Classes { get; set; }
}
