namespace LvlmEval.Datasets;

/// <summary>
/// One evaluation item: an image (decoded on demand), the prompt the model is asked, the reference answers,
/// and where known the pixels of the evidence, a pair id (MMVP-style pairs) and free-form metadata.
/// </summary>
public sealed record Sample
{
    /// <summary>Identifier unique within the dataset and split (e.g. the VQAv2 question_id, "2008_000123/dog").</summary>
    public required string Id { get; init; }

    /// <summary>Loader name ("vqav2", "voc", …).</summary>
    public required string Dataset { get; init; }

    /// <summary>Split name as the dataset spells it ("val2014", "val", "test").</summary>
    public required string Split { get; init; }

    /// <summary>The image, decoded only when asked.</summary>
    public required ImageReference Image { get; init; }

    /// <summary>The prompt given to the model (question plus the dataset's answer-format instruction); no chat template.</summary>
    public required string Prompt { get; init; }

    /// <summary>The question as the dataset states it, without instructions.</summary>
    public required string Question { get; init; }

    /// <summary>Reference answers (10 for VQAv2; synonyms for ImageNet; one for most others).</summary>
    public required IReadOnlyList<string> Answers { get; init; }

    /// <summary>Evidence region (mask or boxes) for localisation metrics, or null.</summary>
    public Evidence? Evidence { get; init; }

    /// <summary>Samples sharing a pair id form a pair (MMVP); null otherwise.</summary>
    public string? PairId { get; init; }

    /// <summary>Question or answer type used to group scores ("yes/no", "human", a Shapes question kind …).</summary>
    public string? QuestionType { get; init; }

    /// <summary>Dataset-specific fields kept for reports (image id, subset, class …).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The image the question asks about: the metadata's <c>image_id</c>, else the image file, else the image's description.
    /// Questions about one image (Shapes and VQAv2 ask several per scene) are not independent evidence: statistics resample images.
    /// </summary>
    public string ImageId => Metadata.TryGetValue("image_id", out var id) && id.Length > 0 ? id : Image.Path ?? Image.Description;
}
