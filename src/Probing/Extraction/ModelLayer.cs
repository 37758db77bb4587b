namespace LvlmEval.Probing.Extraction;

/// <summary>Where a layer sits in LLaVA's data flow: vision tower, then projector, then language model.</summary>
public enum LayerKind { Vision, Projector, Language }

/// <summary>
/// A layer whose output can be extracted, named as in the Hugging Face module tree of <c>LlavaForConditionalGeneration</c>
/// (the names PyTorch forward hooks use, e.g. in VLM-LENS). <see cref="Order"/> sorts vision layers, then the
/// projector, then language layers.
/// </summary>
public sealed record ModelLayer(LayerKind Kind, int Index, string Name)
{
    /// <summary>Position in the data flow, for charts and tables.</summary>
    public int Order => Kind switch
    {
        LayerKind.Vision => Index,
        LayerKind.Projector => 10_000,
        _ => 20_000 + Index,
    };
}
