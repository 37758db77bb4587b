namespace LvlmEval.Probing.Extraction;

/// <summary>How a layer's token vectors become what is stored.</summary>
public enum Pooling
{
    /// <summary>Mean over the image tokens (vision layers: the patch tokens, without CLIP's class token).</summary>
    ImageMean,

    /// <summary>The last prompt token, whose output predicts the first answer token (language layers only).</summary>
    TextLast,

    /// <summary>The first token of the reference answer, teacher-forced after the prompt (language layers only).</summary>
    AnswerFirst,

    /// <summary>Every token, flattened row-major [tokens × dim]: large (see docs/PROBES.md).</summary>
    None,
}

/// <summary>Names of <see cref="Pooling"/> as written in experiments, on the command line and in the Parquet <c>pooling</c> column.</summary>
public static class PoolingNames
{
    /// <summary>Every name, in declaration order.</summary>
    public static readonly IReadOnlyList<string> All = ["image-mean", "text-last", "answer-first", "none"];

    /// <summary>The name of <paramref name="pooling"/>.</summary>
    public static string Name(Pooling pooling) => All[(int)pooling];

    /// <summary>Parses a name.</summary>
    /// <exception cref="ArgumentException">Unknown name (the message lists the valid ones).</exception>
    public static Pooling Parse(string name)
    {
        int i = All.ToList().IndexOf(name);
        if (i < 0) throw new ArgumentException($"pooling '{name}' is not known; valid poolings: {string.Join(", ", All)}.");
        return (Pooling)i;
    }

    /// <summary>
    /// Whether a pooling applies to a layer: text positions exist only in the language model, so vision layers and the
    /// projector (which see image tokens only) take <c>image-mean</c> and <c>none</c>.
    /// </summary>
    public static bool Applies(Pooling pooling, LayerKind kind) => kind == LayerKind.Language || pooling is Pooling.ImageMean or Pooling.None;
}
