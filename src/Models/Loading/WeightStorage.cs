namespace LvlmEval.Models.Loading;

/// <summary>How a model holds F16/BF16 checkpoint weights in memory.</summary>
public enum WeightStorage
{
    /// <summary>
    /// Weight matrices stay in their stored width, read in place from the memory-mapped safetensors files and widened
    /// inside each product; small tensors (norms, biases, position and patch embeddings) and float32 weights are read as
    /// float32. The default: a 7B F16 model takes 14 GB instead of 28.
    /// </summary>
    AsStored,

    /// <summary>Every tensor widened to float32 on load (the experiment's <c>dtype: float32</c>); needed to train or re-draw weights.</summary>
    Float32,
}
