namespace LvlmEval.Imaging.Transforms;

/// <summary>Resampling filters, numbered as PIL's <c>Image.Resampling</c> (the <c>resample</c> field of preprocessor configs).</summary>
public enum ResampleFilter
{
    /// <summary>Nearest neighbour (PIL 0).</summary>
    Nearest = 0,

    /// <summary>Triangle filter, support 1 (PIL 2).</summary>
    Bilinear = 2,

    /// <summary>Keys cubic with a = −0.5, support 2 (PIL 3).</summary>
    Bicubic = 3,
}
